import {randomBytes} from 'node:crypto'
import {spawn} from 'node:child_process'
import {copyFileSync, linkSync, mkdirSync, promises as fs, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
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
  /** Make everything written visible at once. */
  commit(): Promise<void>
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

/**
 * Marks a folder as Galley's output, so a later build may replace it. Its
 * modification time is when a build last finished there (a build that
 * changed nothing writes it again), which `galley deploy` compares with the
 * sources.
 */
export const OUTPUT_MARKER = '.galley-output'

const markerText = 'This folder is written by galley build and replaced on every build.\n'

/** Write the marker again in an output a build left as it was: the output is as new as this build. */
export async function markBuilt(out: string): Promise<void> {
  await fs.writeFile(path.join(out, OUTPUT_MARKER), markerText)
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
  const staging = path.join(parent, `.galley-staging-${path.basename(out)}-${stamp}`)
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
    async commit() {
      await fs.writeFile(path.join(staging, OUTPUT_MARKER), markerText)
      const old = path.join(parent, `.galley-old-${path.basename(out)}-${stamp}`)
      let moved = false
      try {
        await fs.rename(out, old)
        moved = true
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
      }
      try {
        await fs.rename(staging, out)
      } catch (error) {
        if (moved) await fs.rename(old, out)
        throw error
      }
      if (moved) removeInBackground(old)
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

/** Replaced output folders an earlier build left beside `out` (its background removal did not finish), removed now. */
export function removeLeftovers(out: string): void {
  const parent = path.dirname(out)
  const prefix = `.galley-old-${path.basename(out)}-`
  let names: string[]
  try {
    names = readdirSync(parent)
  } catch {
    return
  }
  for (const name of names) if (name.startsWith(prefix)) removeInBackground(path.join(parent, name))
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
