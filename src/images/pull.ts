import {createHash} from 'node:crypto'
import {existsSync, mkdirSync, readFileSync, renameSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import pLimit from 'p-limit'
import {VFile} from 'vfile'
import {loadConfig} from '../config.js'
import {formatOf} from '../content/format.js'
import {readFrontMatter} from '../content/front-matter.js'
import {sourceText} from '../content/source-text.js'
import {createSourceReader, SourceReadError} from '../io.js'
import {hasErrors, report} from '../report.js'
import {scanSite} from '../site/scan.js'
import {fetchImage, type FetchOptions} from './fetch-image.js'
import {lockPath, readLock, writeLock, type LockEntry} from './lock-file.js'
import {findRemoteImages, type RemoteRef} from './remote-refs.js'

export interface PullOptions extends Partial<FetchOptions> {
  readonly source: string
  /** Only images on these hosts (`--host`); all when empty. */
  readonly hosts?: readonly string[] | undefined
  /** Downloads at once. */
  readonly concurrency?: number | undefined
  readonly now: () => number
  /** Told as each image is done (fetched, kept or failed). */
  readonly progress?: ((done: number, total: number) => void) | undefined
}

export interface PullResult {
  readonly ok: boolean
  /** Files with messages (the config, posts whose images failed, the lock file). */
  readonly files: readonly VFile[]
  /** Images referenced (after the host filter), fetched now, already mirrored, and failed. */
  readonly total: number
  readonly fetched: number
  readonly kept: number
  readonly failed: number
  /** The lock file, relative to the site. */
  readonly lockFile: string
}

/** Where a URL is first used, for messages, and every file that uses it. */
interface Use {
  readonly file: VFile
  readonly ref: RemoteRef
}

/** Defaults for a pull: patient with a slow CDN, strict about what it keeps. */
export const pullDefaults: FetchOptions & {concurrency: number} = {
  timeoutMs: 20_000,
  maxBytes: 25 * 1024 * 1024,
  retries: 3,
  backoffMs: 500,
  origins: new Map(),
  concurrency: 6
}

/**
 * `galley images pull`: fetch every remote image the site's posts, drafts
 * and pages show into `assets/remote/<host>/<hash>.<ext>` and record each in
 * the lock file. Never edits a source: builds read the lock file.
 *
 * The lock file is rewritten after every image, so an interrupted pull
 * keeps what it fetched and the next one fetches only the rest; an image
 * already recorded whose copy is there, unchanged, is not fetched again.
 * A failure is an error at the first place the image is used.
 */
export async function pullImages(options: PullOptions): Promise<PullResult> {
  const fetchOptions: FetchOptions = {
    timeoutMs: options.timeoutMs ?? pullDefaults.timeoutMs,
    maxBytes: options.maxBytes ?? pullDefaults.maxBytes,
    retries: options.retries ?? pullDefaults.retries,
    backoffMs: options.backoffMs ?? pullDefaults.backoffMs,
    origins: options.origins ?? pullDefaults.origins
  }
  const loaded = loadConfig({source: options.source, drafts: true, future: true, now: options.now()})
  const files: VFile[] = [loaded.file]
  const config = loaded.config
  const empty = (lockFile: string): PullResult => ({ok: false, files, total: 0, fetched: 0, kept: 0, failed: 0, lockFile})
  if (!config) return empty('data/' + 'remote-images.yml')
  const lockAbsolute = lockPath(config.source, config.dirs.data)
  const lockFile = path.relative(config.source, lockAbsolute).split(path.sep).join('/')
  const lockVFile = new VFile({path: lockFile, cwd: config.source})
  files.push(lockVFile)

  // Every remote image, in source order, with the first place it is used.
  const reader = createSourceReader(config.source)
  let scanned
  try {
    scanned = await scanSite(config, reader)
  } catch (error) {
    if (!(error instanceof SourceReadError)) throw error
    report(loaded.file, {reason: error.message, ruleId: 'read', severity: 'error', place: {line: 1, column: 1}})
    return empty(lockFile)
  }
  const uses = new Map<string, Use>()
  const hosts = new Set((options.hosts ?? []).map((host) => host.toLowerCase()))
  for (const source of [...scanned.posts, ...scanned.drafts, ...scanned.pageCandidates]) {
    const file = new VFile({path: source, cwd: config.source})
    let text: string
    try {
      text = sourceText(await reader.read(source))
    } catch (error) {
      if (!(error instanceof SourceReadError)) throw error
      report(file, {reason: error.message, ruleId: 'read', severity: 'error', place: {line: 1, column: 1}})
      files.push(file)
      continue
    }
    file.value = text
    let body = text
    let image: {value: unknown; line: number} | undefined
    try {
      const matter = readFrontMatter(file)
      body = matter.body
      image = {value: matter.data.image, line: matter.keyLines.image ?? 1}
    } catch {
      // A post whose front matter does not parse is the build's to report; its body is still scanned.
    }
    const format = formatOf(source)
    if (format === 'text') continue
    for (const ref of findRemoteImages(body, format, image)) {
      if (hosts.size > 0 && !hosts.has(new URL(ref.url).hostname.toLowerCase())) continue
      if (!uses.has(ref.url)) uses.set(ref.url, {file, ref})
    }
  }

  const lock = new Map<string, LockEntry>(readLock(lockAbsolute, lockVFile))
  const total = uses.size
  let done = 0
  let fetched = 0
  let kept = 0
  let failed = 0
  const limit = pLimit(Math.max(1, options.concurrency ?? pullDefaults.concurrency))
  const tick = () => options.progress?.(++done, total)
  options.progress?.(0, total)
  await Promise.all(
    [...uses].map(([url, use]) =>
      limit(async () => {
        const known = lock.get(url)
        if (known && isIntact(config.source, known)) {
          kept++
          tick()
          return
        }
        const result = await fetchImage(url, fetchOptions)
        if (!result.ok) {
          failed++
          report(use.file, {reason: `could not mirror \`${url}\`: ${result.reason}${result.attempts > 1 ? ` (after ${result.attempts} attempts)` : ''}`, ruleId: 'image-pull', severity: 'error', place: {line: use.ref.line, column: use.ref.column}})
          if (!files.includes(use.file)) files.push(use.file)
          tick()
          return
        }
        const sha256 = createHash('sha256').update(result.bytes).digest('hex')
        const relative = `assets/remote/${hostFolder(url)}/${sha256.slice(0, 16)}.${result.kind.ext}`
        writeOnce(path.join(config.source, relative), result.bytes, sha256)
        lock.set(url, {file: relative, size: result.bytes.length, type: result.kind.mime, sha256, date: new Date(options.now()).toISOString()})
        writeLock(lockAbsolute, lock)
        fetched++
        tick()
      })
    )
  )
  return {ok: !hasErrors(files), files, total, fetched, kept, failed, lockFile}
}

/** Whether a recorded copy is still there with the bytes it was recorded with. */
function isIntact(source: string, entry: LockEntry): boolean {
  const absolute = path.join(source, entry.file)
  if (!existsSync(absolute)) return false
  return createHash('sha256').update(readFileSync(absolute)).digest('hex') === entry.sha256
}

/** The folder of a host's copies: its name, lower-cased, a port after `_`. */
export function hostFolder(url: string): string {
  const parsed = new URL(url)
  const name = parsed.hostname.toLowerCase().replace(/[^a-z0-9.-]/g, '_')
  return parsed.port ? `${name}_${parsed.port}` : name
}

/**
 * Write a content-addressed copy: the name holds the hash, so a file that is
 * already there with those bytes stays as it is; anything else there is
 * never overwritten in place (written beside it, then renamed over it only
 * when its bytes differ from what its name promises).
 */
function writeOnce(absolute: string, bytes: Uint8Array, sha256: string): void {
  if (existsSync(absolute) && createHash('sha256').update(readFileSync(absolute)).digest('hex') === sha256) return
  mkdirSync(path.dirname(absolute), {recursive: true})
  const temporary = `${absolute}.${process.pid}.tmp`
  writeFileSync(temporary, bytes)
  renameSync(temporary, absolute)
}
