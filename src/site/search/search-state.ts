import {randomBytes} from 'node:crypto'
import {mkdirSync, readFileSync, renameSync, statSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {z} from 'zod'

/**
 * What the last search index was made from, kept beside the build cache
 * (`search.json` in the cache folder) so the next build re-indexes only the
 * parts (see shards.ts) whose pages changed. Nothing in it is trusted
 * blindly: a page counts as unchanged only while its file has the stamp
 * recorded (inode, mtime, size), and a part's files are reused only while
 * every one of them is still in the output with its stamp.
 */
export interface SearchState {
  /** Every HTML file of the output when it was indexed: its stamp, a hash of its text, and whether it marks a `data-pagefind-body`. */
  readonly pages: ReadonlyMap<string, PageEntry>
  /** Each part of the index: the key of the pages it was made from, and its files (output paths) with their stamps. */
  readonly shards: ReadonlyMap<number, ShardEntry>
}

export interface PageEntry {
  readonly stamp: string
  readonly hash: string
  readonly body: boolean
}

export interface ShardEntry {
  readonly key: string
  readonly files: ReadonlyArray<readonly [string, string]>
}

const FORMAT = 1
const FILE = 'search.json'

const stored = z.object({
  format: z.literal(FORMAT),
  galley: z.string(),
  out: z.string(),
  pages: z.array(z.tuple([z.string(), z.string(), z.string(), z.boolean()])),
  shards: z.array(z.tuple([z.number().int().nonnegative(), z.string(), z.array(z.tuple([z.string(), z.string()]))]))
})

/** A file's identity and version: inode, modification time and size; `missing` when it is not a file. */
export function fileStamp(file: string): string {
  try {
    const stat = statSync(file)
    return stat.isFile() ? `${stat.ino}:${stat.mtimeMs}:${stat.size}` : 'missing'
  } catch {
    return 'missing'
  }
}

/** The state the last build of `out` saved in `cacheDir`, or undefined (none, another version's, another output's, or damaged: then everything is indexed again). */
export function loadSearchState(cacheDir: string, site: {readonly galley: string; readonly out: string}): SearchState | undefined {
  let text: string
  try {
    text = readFileSync(path.join(cacheDir, FILE), 'utf8')
  } catch {
    return undefined
  }
  let parsed: z.infer<typeof stored>
  try {
    parsed = stored.parse(JSON.parse(text))
  } catch {
    return undefined
  }
  if (parsed.galley !== site.galley || parsed.out !== site.out) return undefined
  return {
    pages: new Map(parsed.pages.map(([file, stamp, hash, body]) => [file, {stamp, hash, body}] as const)),
    shards: new Map(parsed.shards.map(([shard, key, files]) => [shard, {key, files}] as const))
  }
}

/** Store `state` for the next build of `out` (written whole, then renamed). */
export function saveSearchState(cacheDir: string, state: SearchState, site: {readonly galley: string; readonly out: string}): void {
  const data: z.infer<typeof stored> = {
    format: FORMAT,
    galley: site.galley,
    out: site.out,
    pages: [...state.pages].map(([file, entry]) => [file, entry.stamp, entry.hash, entry.body]),
    shards: [...state.shards].map(([shard, entry]) => [shard, entry.key, entry.files.map(([file, stamp]) => [file, stamp] as [string, string])])
  }
  mkdirSync(cacheDir, {recursive: true})
  const temporary = path.join(cacheDir, `${FILE}.${randomBytes(4).toString('hex')}`)
  writeFileSync(temporary, JSON.stringify(data))
  renameSync(temporary, path.join(cacheDir, FILE))
}
