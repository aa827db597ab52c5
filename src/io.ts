import {randomBytes} from 'node:crypto'
import {spawn} from 'node:child_process'
import {copyFileSync, existsSync, linkSync, lstatSync, mkdirSync, promises as fs, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync} from 'node:fs'
import path from 'node:path'

/**
 * Everything the build reads and writes goes through these two interfaces, so
 * whole builds run against temp folders in tests and a later in-memory writer
 * (the preview server) can replace the disk one.
 */
export interface SourceReader {
  /** Every file under the root, as sorted POSIX paths relative to it; `skip` prunes folders and files. */
  list(skip: (relative: string, isDirectory: boolean) => boolean): Promise<string[]>
  read(relative: string): Promise<Buffer>
  /** Modification time and size, as a string that changes when the file does. */
  stamp(relative: string): Promise<string>
  exists(relative: string): Promise<boolean>
}

export interface OutputWriter {
  /** Write `contents` at `relative` (POSIX, inside the output). */
  write(relative: string, contents: string | Uint8Array): Promise<void>
  /** Copy an absolute source file to `relative`. */
  copy(from: string, relative: string): Promise<void>
  /** Put an existing file (the last output's copy of an unchanged file) at `relative` without copying it: a hard link, else a copy. */
  link(from: string, relative: string): Promise<void>
  /** Make the folder `relative` (and its parents), empty unless something is written into it. */
  makeDir(relative: string): Promise<void>
  /** The stamp (as `SourceReader.stamp` gives) of a file written at `relative`. */
  stampOf(relative: string): string
  /** The staging folder (absolute), for a step that writes into it directly (the search index) before the commit. */
  readonly dir: string
  /** Make everything written visible at once; `written` (the build's own files) is recorded in the output's marker. */
  commit(written?: readonly string[]): Promise<void>
  /** Throw away everything written; the previous output stays as it was. */
  abort(): Promise<void>
}

/** A source file or folder that could not be read (permissions, a file where a folder was expected, gone mid-build). */
export class SourceReadError extends Error {
  /** The path relative to the source root (`''`: the root itself). */
  readonly relative: string
  readonly code: string | undefined
  constructor(relative: string, kind: 'file' | 'folder', cause: unknown) {
    const code = (cause as NodeJS.ErrnoException | undefined)?.code
    super(`cannot read ${relative === '' ? 'the source folder' : 'this ' + kind}: ${describeCode(code) ?? String((cause as Error | undefined)?.message ?? cause)}`, {cause})
    this.name = 'SourceReadError'
    this.relative = relative
    this.code = code
  }
}

function describeCode(code: string | undefined): string | undefined {
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return `permission denied (${code})`
    case 'ENOTDIR':
      return 'not a folder (ENOTDIR)'
    case 'EISDIR':
      return 'a folder, not a file (EISDIR)'
    case 'ENOENT':
      return 'it is gone (ENOENT: removed while the build ran?)'
    case 'ELOOP':
      return 'a symbolic link loop (ELOOP)'
    default:
      return undefined
  }
}

/** Run `read` on `relative`, turning a file system error into a `SourceReadError`. */
function reading<T>(relative: string, read: () => T): T {
  try {
    return read()
  } catch (error) {
    throw new SourceReadError(relative, 'file', error)
  }
}

/** A reader of the source folder; a file or folder it cannot read throws a `SourceReadError` naming it. */
export function createSourceReader(root: string): SourceReader {
  return {
    async list(skip) {
      const found: string[] = []
      async function walk(relative: string): Promise<void> {
        let entries
        try {
          entries = await fs.readdir(path.join(root, relative), {withFileTypes: true})
        } catch (error) {
          throw new SourceReadError(relative, 'folder', error)
        }
        for (const entry of entries) {
          const child = relative === '' ? entry.name : relative + '/' + entry.name
          const isDirectory = entry.isDirectory()
          if (!isDirectory && !entry.isFile()) continue // symlinks and sockets are not content
          if (skip(child, isDirectory)) continue
          if (isDirectory) await walk(child)
          else found.push(child)
        }
      }
      await walk('')
      return found.sort()
    },
    // Synchronous on purpose, like `stamp`: a build reads hundreds of small files one after the other, and each
    // asynchronous read is four trips through libuv's thread pool (open, stat, read, close) with the thread idle.
    read: async (relative) => reading(relative, () => readFileSync(path.join(root, relative))),
    async stamp(relative) {
      // Synchronous on purpose: a preview rebuild stamps every source file, and 1000 promise
      // round trips cost more than the stat calls themselves.
      const stat = reading(relative, () => statSync(path.join(root, relative)))
      return `${stat.mtimeMs}:${stat.size}`
    },
    async exists(relative) {
      try {
        await fs.access(path.join(root, relative))
        return true
      } catch {
        return false
      }
    }
  }
}

/** A file's modification time and size (`missing` when it cannot be read): what cached work on it is checked against. */
export function stampOf(file: string): string {
  try {
    const stat = statSync(file)
    return `${stat.mtimeMs}:${stat.size}`
  } catch {
    return 'missing'
  }
}

/**
 * Whether a stamp (from `stamp`) was taken so soon after the file was
 * written that another write in the same clock tick, of the same size, would
 * leave it unchanged: such a stamp proves nothing, and the file must be read
 * again next time (git's "racily clean" entries). A property of the file
 * system's clock, so it is read here and not injected.
 */
export function isRecentStamp(stamp: string, now: number = Date.now()): boolean {
  const mtime = Number(stamp.split(':')[0])
  return !Number.isFinite(mtime) || now - mtime < 3000
}

/** Marks a folder as Galley's output, so a later build may replace it; it lists the files that build wrote. */
export const OUTPUT_MARKER = '.galley-output'

const MARKER_HEADER = 'This folder is written by galley build and replaced on every build.'
const MARKER_LIST = 'Files it wrote (any other file here is yours, and is kept):'

function markerText(written: readonly string[] | undefined): string {
  if (written === undefined) return MARKER_HEADER + '\n'
  return `${MARKER_HEADER}\n${MARKER_LIST}\n${[...written].sort().join('\n')}${written.length > 0 ? '\n' : ''}`
}

/**
 * What the last build wrote into `out`, from its marker: the set of paths;
 * `unknown` when the marker lists none (written by an older Galley);
 * `none` when there is no marker (no build of Galley wrote this folder).
 */
export function lastWritten(out: string): ReadonlySet<string> | 'unknown' | 'none' {
  let text: string
  try {
    text = readFileSync(path.join(out, OUTPUT_MARKER), 'utf8')
  } catch {
    return 'none'
  }
  const lines = text.split('\n')
  const start = lines.indexOf(MARKER_LIST)
  if (start === -1) return 'unknown'
  return new Set(lines.slice(start + 1).filter((line) => line !== ''))
}

/**
 * Touch the marker of an output a build left as it was: its modification
 * time is when a build last finished there, which `galley deploy` compares
 * with the sources.
 */
export async function markBuilt(out: string): Promise<void> {
  const now = new Date()
  await fs.utimes(path.join(out, OUTPUT_MARKER), now, now).catch(async () => fs.writeFile(path.join(out, OUTPUT_MARKER), markerText(undefined)))
}

/** When a build last finished in `out` (ms since the epoch), or undefined when it holds no marker. */
export function builtAt(out: string): number | undefined {
  try {
    return statSync(path.join(out, OUTPUT_MARKER)).mtimeMs
  } catch {
    return undefined
  }
}

/**
 * Writes into a staging folder beside `out` and swaps it into place on
 * commit, so a failed or interrupted build never leaves a half-written site,
 * and the previous output stays byte for byte as it was.
 */
export async function createStagedWriter(out: string): Promise<OutputWriter> {
  const parent = path.dirname(out)
  await fs.mkdir(parent, {recursive: true})
  const stamp = randomBytes(4).toString('hex')
  const staging = path.join(parent, `${STAGING_PREFIX}${path.basename(out)}-${stamp}`)
  await fs.mkdir(staging)
  const made = new Set<string>()

  // Synchronous writes: thousands of small files written one by one cost a fraction of what as many
  // asynchronous round trips through libuv's thread pool do.
  function ensureDir(relative: string): string {
    const target = path.join(staging, ...relative.split('/'))
    const dir = path.dirname(target)
    if (!made.has(dir)) {
      mkdirSync(dir, {recursive: true})
      made.add(dir)
    }
    return target
  }

  return {
    dir: staging,
    async write(relative, contents) {
      writeFileSync(ensureDir(relative), contents)
    },
    async copy(from, relative) {
      copyFileSync(from, ensureDir(relative))
    },
    async link(from, relative) {
      const target = ensureDir(relative)
      try {
        linkSync(from, target)
      } catch {
        copyFileSync(from, target)
      }
    },
    async makeDir(relative) {
      const target = path.join(staging, ...relative.split('/'))
      if (!made.has(target)) {
        mkdirSync(target, {recursive: true})
        made.add(target)
      }
    },
    stampOf(relative) {
      const stat = statSync(path.join(staging, ...relative.split('/')))
      return `${stat.mtimeMs}:${stat.size}`
    },
    async commit(written) {
      await fs.writeFile(path.join(staging, OUTPUT_MARKER), markerText(written))
      const old = path.join(parent, `${OLD_PREFIX}${path.basename(out)}-${stamp}`)
      // Both renames are synchronous, so no signal handler (which runs between
      // ticks) can see the moment between them; only a SIGKILL or a power cut
      // can, and the next build rolls that back (`recoverOutput`).
      let moved = false
      try {
        renameSync(out, old)
        moved = true
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
      }
      try {
        renameSync(staging, out)
      } catch (error) {
        if (moved) renameSync(old, out)
        throw error
      }
      if (moved) trash(old)
    },
    async abort() {
      await fs.rm(staging, {recursive: true, force: true})
    }
  }
}

/**
 * Remove a replaced output folder without waiting: on some file systems
 * deleting thousands of folders takes longer than the rest of a rebuild.
 * A detached process does it; one that did not finish (the machine went
 * down) is finished by the next build (`removeLeftovers`).
 */
function removeInBackground(folder: string): void {
  try {
    const child = spawn(process.execPath, ['-e', 'require("node:fs").rmSync(process.argv[1], {recursive: true, force: true})', folder], {detached: true, stdio: 'ignore'})
    child.on('error', () => rmSync(folder, {recursive: true, force: true}))
    child.unref()
  } catch {
    rmSync(folder, {recursive: true, force: true})
  }
}

const STAGING_PREFIX = '.galley-staging-'
const OLD_PREFIX = '.galley-old-'
const TRASH_PREFIX = '.galley-trash-'

/**
 * Move a replaced output folder out of the way under a name that says it is
 * garbage, then remove it in the background. A `.galley-old-*` folder thus
 * only ever exists in the instant of a swap: one found later is the previous
 * output of a build killed in that instant.
 */
function trash(old: string): void {
  const name = path.basename(old)
  const target = path.join(path.dirname(old), TRASH_PREFIX + name.slice(OLD_PREFIX.length))
  try {
    renameSync(old, target)
  } catch {
    removeInBackground(old)
    return
  }
  removeInBackground(target)
}

/** What `recoverOutput` did. */
export interface Recovery {
  /** The output was missing and the previous one was put back. */
  readonly restored: boolean
  /** Staging folders of interrupted builds, removed. */
  readonly staging: number
}

/**
 * Finish or roll back what an interrupted build left beside `out`: when the
 * output is missing and a previous output (`.galley-old-*`) is there (a
 * build killed between its two renames), it is put back; staging folders
 * are removed; replaced outputs are removed in the background. Synchronous,
 * so a signal handler can run it. Call it only while holding the output's
 * lock: another build's staging folder would be removed too.
 */
export function recoverOutput(out: string): Recovery {
  const parent = path.dirname(out)
  const base = path.basename(out)
  let names: string[]
  try {
    names = readdirSync(parent).sort()
  } catch {
    return {restored: false, staging: 0}
  }
  let restored = false
  let staging = 0
  const olds = names.filter((name) => name.startsWith(OLD_PREFIX + base + '-'))
  for (const name of olds) {
    const old = path.join(parent, name)
    if (!restored && !existsSync(out)) {
      try {
        renameSync(old, out)
        restored = true
        continue
      } catch {
        // fall through: remove it
      }
    }
    trash(old)
  }
  for (const name of names) {
    if (name.startsWith(STAGING_PREFIX + base + '-')) {
      rmSync(path.join(parent, name), {recursive: true, force: true})
      staging++
    } else if (name.startsWith(TRASH_PREFIX + base + '-')) removeInBackground(path.join(parent, name))
  }
  return {restored, staging}
}

/**
 * The folder to write for output `out`: `out` itself, or, when it is a
 * symbolic link, the folder it points to (the link stays as it is, and the
 * site is written where it leads). A link to nothing, or to a file, is a
 * problem the caller reports (`reason`).
 */
export function resolveOutput(out: string): {readonly out: string} | {readonly reason: string} {
  let stat
  try {
    stat = lstatSync(out)
  } catch {
    return {out}
  }
  if (!stat.isSymbolicLink()) return stat.isDirectory() ? {out} : {reason: `the output folder ${out} is a file, not a folder; remove it or pick another --out`}
  let target: string
  try {
    target = realpathSync(out)
  } catch {
    return {reason: `the output folder ${out} is a symbolic link to a folder that does not exist; create the folder it points to, or remove the link`}
  }
  if (!statSync(target).isDirectory()) return {reason: `the output folder ${out} is a symbolic link to ${target}, which is not a folder`}
  return {out: target}
}

/**
 * Whether `out` may be replaced: absent, empty, or written by an earlier
 * build. Anything else may be the user's own files, which are never deleted.
 */
export async function isReplaceableOutput(out: string): Promise<boolean> {
  try {
    const entries = await fs.readdir(out)
    return entries.length === 0 || entries.includes(OUTPUT_MARKER)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    return code === 'ENOENT'
  }
}
