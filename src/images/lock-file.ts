import {existsSync, mkdirSync, readFileSync, renameSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {isMap, isScalar, LineCounter, parseDocument, stringify} from 'yaml'
import {z} from 'zod'
import type {VFile} from 'vfile'
import {report} from '../report.js'

/**
 * The lock file of mirrored images (`data/remote-images.yml`): every remote
 * URL `galley images pull` fetched, with the local copy it keeps. Builds read
 * it to show the copies; nothing but `pull` writes it.
 */
export const LOCK_FILE_NAME = 'remote-images.yml'

export interface LockEntry {
  /** The copy, relative to the site folder (`assets/remote/<host>/<hash>.<ext>`). */
  readonly file: string
  readonly size: number
  /** The media type the bytes are (sniffed, not the server's word). */
  readonly type: string
  readonly sha256: string
  /** When it was fetched (ISO 8601, UTC). */
  readonly date: string
}

/** URL → entry, in URL order when written. */
export type Lock = ReadonlyMap<string, LockEntry>

const entrySchema = z.strictObject({
  file: z.string().regex(/^assets\/remote\/[^/]+\/[^/]+$/, 'must be a file under assets/remote/<host>/'),
  size: z.number().int().nonnegative(),
  type: z.string().regex(/^image\//, 'must be an image media type'),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 hex digits'),
  date: z.string()
})

/** The lock file's path for a site whose data folder is `dataDir` (relative to the site; `data` when it has none). */
export function lockPath(source: string, dataDir: string | undefined): string {
  return path.join(source, dataDir ?? 'data', LOCK_FILE_NAME)
}

/**
 * Read a lock file; an entry that does not fit the schema is a warning at its
 * line on `file` and is left out (it is never fatal: the build then shows the
 * remote URL, as without a lock file). A missing file is an empty lock.
 */
export function readLock(absolute: string, file: VFile): Lock {
  if (!existsSync(absolute)) return new Map()
  const text = readFileSync(absolute, 'utf8')
  file.value = text
  return parseLock(text, file)
}

export function parseLock(text: string, file: VFile): Lock {
  const lines = new LineCounter()
  const document = parseDocument(text, {lineCounter: lines, uniqueKeys: true})
  const place = (offset: number | undefined) => {
    if (offset === undefined) return {line: 1, column: 1}
    const {line, col} = lines.linePos(offset)
    return {line, column: col}
  }
  const lock = new Map<string, LockEntry>()
  for (const error of document.errors) report(file, {reason: `the lock file cannot be read: ${error.message.split('\n')[0]}`, ruleId: 'remote-images', severity: 'warning', place: place(error.pos[0])})
  if (document.errors.length > 0) return lock
  const root = document.contents
  if (root === null) return lock
  if (!isMap(root)) {
    report(file, {reason: 'the lock file must map image URLs to their copies', ruleId: 'remote-images', severity: 'warning', place: place(root.range?.[0])})
    return lock
  }
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? pair.key : undefined
    const url = key ? String(key.value) : ''
    const parsed = entrySchema.safeParse((pair.value as {toJSON?: () => unknown} | null)?.toJSON?.() ?? pair.value)
    if (!/^https?:\/\//i.test(url) || !parsed.success) {
      const why = parsed.success ? 'its key is not an http(s) URL' : parsed.error.issues.map((issue) => `${issue.path.join('.') || 'entry'} ${issue.message}`).join('; ')
      report(file, {reason: `lock entry \`${url}\` is ignored: ${why}`, ruleId: 'remote-images', severity: 'warning', place: place(key?.range?.[0])})
      continue
    }
    lock.set(url, parsed.data)
  }
  return lock
}

const header = `# Remote images this site keeps a copy of, written by \`galley images pull\`.
# Builds show the copy instead of the URL (site.yml: images: {remote: keep} turns that off).
# Edit by running the command again, not by hand.
`

/** The lock file's text: URLs sorted, so it changes only where an image did. */
export function formatLock(lock: Lock): string {
  const sorted = Object.fromEntries([...lock].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([url, entry]) => [url, {file: entry.file, size: entry.size, type: entry.type, sha256: entry.sha256, date: entry.date}]))
  return lock.size === 0 ? header + '{}\n' : header + stringify(sorted, {lineWidth: 0})
}

/** Write the lock file whole or not at all (a pull interrupted mid-write leaves the previous one). */
export function writeLock(absolute: string, lock: Lock): void {
  mkdirSync(path.dirname(absolute), {recursive: true})
  const temporary = `${absolute}.${process.pid}.tmp`
  writeFileSync(temporary, formatLock(lock))
  renameSync(temporary, absolute)
}
