import {promises as fs, readdirSync, statSync} from 'node:fs'
import path from 'node:path'
import {createStagedWriter, lastWritten, OUTPUT_MARKER, type OutputWriter} from '../io.js'
import type {OutputEntry} from './build-cache.js'
import type {OutputSink} from './outputs.js'

/**
 * The build's sink. Everything goes into a staging folder beside the output,
 * swapped into place by `finish` only when the build succeeded, so a failed
 * or interrupted build leaves the previous output exactly as it was.
 *
 * A file the last build wrote, from the same key, and still in the output as
 * written (same size and mtime), is not made again: it is hard-linked into
 * the staging folder. When every file is kept and none has gone, the output
 * is already right and nothing is written at all.
 *
 * Files the user keeps in the output (`keep`: a `.git` worktree, a `CNAME`)
 * are hard-linked (else copied) from the old output into the staging folder
 * just before the swap, so they survive every build; a file the build
 * itself writes wins over a kept one. They are no output of the build, so
 * they never stop it from finding that nothing changed.
 */
export interface FolderSink extends OutputSink {
  /**
   * Finish a successful build whose outputs are `paths`: swap the staging
   * folder in, or — when nothing changed — leave the output alone.
   */
  /**
   * Swap the staged output in. `beforeCommit` runs on the finished staging
   * folder first (the search index reads its pages and writes beside them)
   * and returns the paths it wrote, which are the build's own files too; it
   * runs only when something changed (or `always` says it must).
   */
  finish(paths: readonly string[], options?: {readonly beforeCommit?: (dir: string) => Promise<readonly string[]>; readonly always?: boolean}): Promise<FinishResult>
  /** Throw away the staging folder; the output stays as it was. */
  abort(): Promise<void>
}

export interface FinishResult {
  readonly written: number
  readonly kept: number
  readonly unchanged: boolean
  /**
   * Files in the output that the last build did not write and `keep` does
   * not name (the user's own): kept, unless `clean`; `replaced` are those the
   * build wrote its own file over.
   */
  readonly foreign: readonly string[]
  readonly replaced: readonly string[]
}

export interface FolderSinkOptions {
  /** Remove the files in the output that Galley did not write (`--clean`), instead of keeping them. */
  readonly clean?: boolean | undefined
  /** The output folder. */
  readonly out: string
  /** What the last build wrote there (path → key and stamp); updated as files are written. Empty to trust nothing. */
  readonly manifest: Map<string, OutputEntry>
  /** Output-relative paths the user keeps there (`keep_files`), each with everything under it. */
  readonly keep?: readonly string[] | undefined
}

export function createFolderSink(options: FolderSinkOptions): FolderSink {
  const {out, manifest} = options
  const previous = new Map(manifest)
  const kept: string[] = []
  let writer: OutputWriter | undefined
  let written = 0

  /** The staging folder, opened on the first write; the files kept before that are linked in then. */
  async function staging(): Promise<OutputWriter> {
    if (!writer) {
      writer = await createStagedWriter(out)
      for (const file of kept) await keep(writer, file)
    }
    return writer
  }

  async function keep(into: OutputWriter, file: string): Promise<void> {
    await into.link(path.join(out, ...file.split('/')), file)
  }

  function record(file: string, key: string | undefined): void {
    if (key === undefined || !writer) {
      manifest.delete(file)
      return
    }
    manifest.set(file, {key, stamp: writer.stampOf(file)})
  }

  return {
    async reuse(file, key) {
      const entry = previous.get(file)
      if (entry?.key !== key || entry.stamp === undefined || stampOf(path.join(out, ...file.split('/'))) !== entry.stamp) return false
      kept.push(file)
      if (writer) await keep(writer, file)
      return true
    },
    async write(file, contents, key) {
      await (await staging()).write(file, contents)
      written++
      record(file, key)
    },
    async copy(file, from, key) {
      await (await staging()).copy(from, file)
      written++
      record(file, key)
    },
    async finish(paths, finishing = {}) {
      const wanted = new Set(paths)
      for (const file of [...manifest.keys()]) if (!wanted.has(file)) manifest.delete(file)
      const foreign = foreignFiles(out, options.keep ?? [])
      const replaced = foreign.filter((file) => wanted.has(file))
      const carried = options.clean ? [] : foreign.filter((file) => !wanted.has(file))
      // Nothing made, nothing gone: the output already is this build (its foreign files stay where they are, unless cleaned).
      if (!finishing.always && !writer && [...previous.keys()].every((file) => wanted.has(file)) && kept.length === wanted.size && (carried.length === foreign.length || foreign.length === 0)) {
        return {written: 0, kept: kept.length, unchanged: true, foreign, replaced}
      }
      const into = await staging()
      await keepUserFiles(into, out, options.keep ?? [], wanted)
      for (const file of carried) await into.link(path.join(out, ...file.split('/')), file)
      const extra = finishing.beforeCommit ? await finishing.beforeCommit(into.dir) : []
      await into.commit([...wanted, ...extra])
      return {written, kept: kept.length, unchanged: false, foreign, replaced}
    },
    async abort() {
      await writer?.abort()
      manifest.clear()
      for (const [file, entry] of previous) manifest.set(file, entry)
    }
  }
}

/** Link each kept path (a file, a symlink, or a folder with all it holds) from `out` into the staging folder, unless the build wrote it. */
async function keepUserFiles(into: OutputWriter, out: string, keep: readonly string[], wanted: ReadonlySet<string>): Promise<void> {
  for (const relative of keep) {
    const from = path.join(out, ...relative.split('/'))
    let stat
    try {
      stat = await fs.lstat(from)
    } catch {
      continue
    }
    // The build's own file (or folder) at that path wins.
    const buildHasFolder = [...wanted].some((file) => file.startsWith(relative + '/'))
    if (wanted.has(relative) || (buildHasFolder && !stat.isDirectory())) continue
    if (!stat.isDirectory()) {
      await into.link(from, relative)
      continue
    }
    await into.makeDir(relative)
    for (const entry of await fs.readdir(from, {recursive: true, withFileTypes: true})) {
      const inside = [relative, ...path.relative(from, path.join(entry.parentPath, entry.name)).split(path.sep)].join('/')
      if (entry.isDirectory()) await into.makeDir(inside)
      else if (!wanted.has(inside)) await into.link(path.join(entry.parentPath, entry.name), inside)
    }
  }
}

/**
 * Files in `out` that its last build did not write (its marker lists what it
 * wrote) and `keep` does not name. A folder without a marker was written by
 * no build: all its files are foreign. A marker of an older Galley, which
 * lists nothing, gives none (it cannot tell).
 */
function foreignFiles(out: string, keep: readonly string[]): string[] {
  const last = lastWritten(out)
  if (last === 'unknown') return []
  let entries
  try {
    entries = readdirSync(out, {recursive: true, withFileTypes: true})
  } catch {
    return []
  }
  const found: string[] = []
  for (const entry of entries) {
    if (entry.isDirectory()) continue
    const relative = path.relative(out, path.join(entry.parentPath, entry.name)).split(path.sep).join('/')
    if (relative === OUTPUT_MARKER) continue
    if (keep.some((kept) => relative === kept || relative.startsWith(kept + '/'))) continue
    if (last !== 'none' && last.has(relative)) continue
    found.push(relative)
  }
  return found.sort()
}

function stampOf(file: string): string | undefined {
  try {
    const stat = statSync(file)
    return stat.isFile() ? `${stat.mtimeMs}:${stat.size}` : undefined
  } catch {
    return undefined
  }
}
