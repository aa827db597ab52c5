import {linkSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import path from 'node:path'
import {hashOf} from './build-cache.js'
import {fileStamp, type PageEntry, type SearchState, type ShardEntry} from './search/search-state.js'
import {isIndexFile, marksBody, shardCount, shardFolder, shardOf, SHARD_LIST} from './search/shards.js'

/** Bumped when the way parts are made changes, so every part is made again. */
const FORMAT = '1'

/** What indexing did: pages indexed, and Pagefind's own complaints (each a sentence). */
export interface SearchIndexResult {
  readonly pages: number
  readonly problems: readonly string[]
}

/** The folder of the output Pagefind writes into (its index, and the UI the search page loads). */
export const SEARCH_FOLDER = 'pagefind'

type Pagefind = typeof import('pagefind')

/** Pagefind, loaded the first time a site is indexed (a build with `search: false` never loads it). */
async function loadPagefind(): Promise<Pagefind | string> {
  try {
    return await import('pagefind')
  } catch (error) {
    return `the search index cannot be built: Pagefind did not load (${(error as Error).message})`
  }
}

/** What indexing `dir` did, and what the next build may reuse of it. */
export interface FolderIndexResult extends SearchIndexResult {
  /** The state to save for the next build (see search/search-state.ts). */
  readonly state: SearchState
  /** Parts of the index made anew, and kept from the last build. */
  readonly shards: {readonly made: number; readonly kept: number}
}

/**
 * Index the finished site in the staging folder `dir` with Pagefind and
 * write the index and its UI to `dir/pagefind/`, in parts (search/shards.ts):
 * a part whose pages are all as the last build indexed them (`previous`) is
 * linked from the output `out` as it is, the others are made again. Only
 * pages that mark their content with `data-pagefind-body` are indexed (all
 * pages, when none does: Pagefind's own rule). Pagefind runs its binary
 * (shipped in its npm package for each platform) as a child process, which is
 * started only when a part is made and stopped again before this returns.
 */
export async function indexFolder(dir: string, options: {readonly out?: string | undefined; readonly previous?: SearchState | undefined} = {}): Promise<FolderIndexResult> {
  const {previous, out} = options
  const files = listPages(dir)
  const pages = new Map<string, PageEntry>()
  for (const file of files) {
    const absolute = path.join(dir, ...file.split('/'))
    const stamp = fileStamp(absolute)
    const known = previous?.pages.get(file)
    if (known && known.stamp === stamp && stamp !== 'missing') {
      pages.set(file, known)
      continue
    }
    const html = readFileSync(absolute, 'utf8')
    pages.set(file, {stamp, hash: hashOf(html), body: marksBody(html)})
  }
  const anyBody = [...pages.values()].some((page) => page.body)
  const indexed = files.filter((file) => !anyBody || pages.get(file)?.body === true)
  const count = shardCount(indexed.length)
  const groups = Array.from({length: count}, (): string[] => [])
  for (const file of indexed) groups[shardOf(file, count)]?.push(file)

  const shards = new Map<number, ShardEntry>()
  const problems: string[] = []
  let pageCount = 0
  let kept = 0
  const toMake: number[] = []
  const keys = new Map<number, string>()
  for (const [shard, group] of groups.entries()) {
    // An empty part after the first is left out (the first carries the UI, so it is always made).
    if (shard > 0 && group.length === 0) continue
    const key = hashOf(FORMAT, pagefindVersion(), String(count), String(shard), String(anyBody), ...group.flatMap((file) => [file, pages.get(file)?.hash ?? '']))
    keys.set(shard, key)
    const old = previous?.shards.get(shard)
    if (old?.key === key && out !== undefined && linkShard(old.files, out, dir)) {
      shards.set(shard, old)
      pageCount += group.length
      kept++
    } else toMake.push(shard)
  }
  if (toMake.length > 0) {
    const pagefind = await loadPagefind()
    if (typeof pagefind === 'string') return {pages: 0, problems: [pagefind], state: {pages, shards: new Map()}, shards: {made: 0, kept}}
    try {
      const made = await Promise.all(
        toMake.map((shard) => indexShard(pagefind, {dir, shard, files: groups[shard] ?? []}))
      )
      for (const [index, result] of made.entries()) {
        const shard = toMake[index] as number
        problems.push(...result.problems)
        pageCount += result.pages
        // A part Pagefind complained about is not kept for the next build: it is made again and the complaint seen again.
        if (result.problems.length === 0) shards.set(shard, {key: keys.get(shard) ?? '', files: result.files})
      }
    } catch (error) {
      problems.push(`the search index could not be built: ${(error as Error).message}`)
    } finally {
      await pagefind.close().catch(() => undefined)
    }
  }
  // The parts after the first, for the search page to merge: always written, so the UI never asks for a missing file.
  const others = [...groups.keys()].filter((shard) => shard > 0 && (groups[shard]?.length ?? 0) > 0).map(shardFolder)
  writeInto(dir, `${SEARCH_FOLDER}/${SHARD_LIST}`, JSON.stringify(others) + '\n')
  return {pages: pageCount, problems, state: {pages, shards}, shards: {made: toMake.length, kept}}
}

/**
 * One part: Pagefind indexes its pages in the staging folder (a glob of
 * their paths, so it reads them itself, in parallel, and the URLs are those
 * of a whole-folder index; a path a glob cannot spell plainly is added as
 * text) and writes its bundle beside them; the bundle's files are then moved
 * under the part's folder (a part after the first keeps only its index
 * files). Returns them as output paths with their stamps. The bundle's
 * folder is inside the staging folder, which an interrupted build leaves to
 * be removed whole.
 */
async function indexShard(pagefind: Pagefind, part: {readonly dir: string; readonly shard: number; readonly files: readonly string[]}): Promise<{pages: number; problems: string[]; files: Array<readonly [string, string]>}> {
  const bundleDir = path.join(part.dir, `.galley-search-${part.shard}`)
  try {
    const created = await pagefind.createIndex({})
    if (!created.index) return {pages: 0, problems: created.errors, files: []}
    const problems = [...created.errors]
    let pages = 0
    const plain = part.files.filter((file) => PLAIN_PATH.test(file))
    if (plain.length > 0) {
      const added = await created.index.addDirectory({path: part.dir, glob: plain.length === 1 ? (plain[0] as string) : `{${plain.join(',')}}`})
      problems.push(...added.errors)
      pages += added.page_count
    }
    for (const sourcePath of part.files.filter((file) => !PLAIN_PATH.test(file))) {
      const added = await created.index.addHTMLFile({sourcePath, content: readFileSync(path.join(part.dir, ...sourcePath.split('/')), 'utf8')})
      problems.push(...added.errors)
      if (added.errors.length === 0) pages++
    }
    const written = await created.index.writeFiles({outputPath: bundleDir})
    await created.index.deleteIndex()
    problems.push(...written.errors)
    const files: Array<readonly [string, string]> = []
    for (const file of listFiles(bundleDir)) {
      if (part.shard > 0 && !isIndexFile(file)) continue
      const output = `${SEARCH_FOLDER}/${shardFolder(part.shard)}${file}`
      const target = path.join(part.dir, ...output.split('/'))
      mkdirSync(path.dirname(target), {recursive: true})
      renameSync(path.join(bundleDir, ...file.split('/')), target)
      files.push([output, fileStamp(target)])
    }
    return {pages, problems, files}
  } finally {
    rmSync(bundleDir, {recursive: true, force: true})
  }
}

/** A path a glob matches as it is: no glob syntax in it (others are added as text). */
const PLAIN_PATH = /^[\w.\/-]+$/

/** Every file under `dir`, as sorted POSIX paths relative to it. */
function listFiles(dir: string): string[] {
  try {
    return readdirSync(dir, {recursive: true, withFileTypes: true})
      .filter((entry) => entry.isFile())
      .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
      .sort()
  } catch {
    return []
  }
}

/** Link a kept part's files from the output into the staging folder; false (and nothing linked) when any is gone or changed. */
function linkShard(files: ReadonlyArray<readonly [string, string]>, out: string, dir: string): boolean {
  if (!files.every(([file, stamp]) => fileStamp(path.join(out, ...file.split('/'))) === stamp)) return false
  const linked: string[] = []
  try {
    for (const [file] of files) {
      const target = path.join(dir, ...file.split('/'))
      mkdirSync(path.dirname(target), {recursive: true})
      linkSync(path.join(out, ...file.split('/')), target)
      linked.push(target)
    }
    return true
  } catch {
    for (const target of linked) rmSync(target, {force: true})
    return false
  }
}

/** Write `contents` at output path `file` under `dir`; its stamp. */
function writeInto(dir: string, file: string, contents: string | Uint8Array): string {
  const target = path.join(dir, ...file.split('/'))
  mkdirSync(path.dirname(target), {recursive: true})
  writeFileSync(target, contents)
  return fileStamp(target)
}

/** The HTML files under `dir` (not the search folder), as sorted POSIX paths: what Pagefind's own walk of the folder would index. */
function listPages(dir: string): string[] {
  let entries
  try {
    entries = readdirSync(dir, {recursive: true, withFileTypes: true})
  } catch {
    return []
  }
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.html'))
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .filter((file) => !file.startsWith(SEARCH_FOLDER + '/') && !file.startsWith('.galley-search-'))
    .sort()
}

let version: string | undefined
/** Pagefind's version (part of every part's key: another Pagefind makes other files). */
function pagefindVersion(): string {
  if (version === undefined) {
    try {
      const entry = createRequire(import.meta.url).resolve('pagefind')
      version = String((JSON.parse(readFileSync(path.join(path.dirname(entry), '..', 'package.json'), 'utf8')) as {version?: unknown}).version)
    } catch {
      version = 'unknown'
    }
  }
  return version
}

/**
 * Index pages held in memory (the preview's): output path → HTML. Returns
 * the files of `/pagefind/` (path inside that folder → contents), or the
 * problems when there is no index.
 */
export async function indexPages(pages: Iterable<readonly [string, string]>): Promise<SearchIndexResult & {readonly files: ReadonlyMap<string, Uint8Array>}> {
  const pagefind = await loadPagefind()
  if (typeof pagefind === 'string') return {pages: 0, problems: [pagefind], files: new Map()}
  try {
    const created = await pagefind.createIndex({})
    if (!created.index) return {pages: 0, problems: created.errors, files: new Map()}
    const problems = [...created.errors]
    let count = 0
    for (const [sourcePath, content] of pages) {
      // Only pages that mark their content: the rest would be dropped by Pagefind anyway, after parsing.
      if (!content.includes('data-pagefind-body')) continue
      const added = await created.index.addHTMLFile({sourcePath, content})
      problems.push(...added.errors)
      if (added.errors.length === 0) count++
    }
    const got = await created.index.getFiles()
    await created.index.deleteIndex()
    // One index, no parts after the first: the search page's UI still reads the list.
    const files = new Map<string, Uint8Array>([...got.files.map((file) => [file.path, file.content] as const), [SHARD_LIST, new TextEncoder().encode('[]\n')]])
    return {pages: count, problems: [...problems, ...got.errors], files}
  } catch (error) {
    return {pages: 0, problems: [`the search index could not be built: ${(error as Error).message}`], files: new Map()}
  }
}

/** Stop Pagefind's child process (the preview calls this when it closes). */
export async function closeSearch(): Promise<void> {
  const pagefind = await loadPagefind()
  if (typeof pagefind !== 'string') await pagefind.close().catch(() => undefined)
}
