import {existsSync, readdirSync} from 'node:fs'
import path from 'node:path'
import {VFile} from 'vfile'
import {loadConfig, reportMissingUrl, type ConfigOverrides, type SiteConfig} from './config.js'
import type {Post} from './content/post.js'
import {isReplaceableOutput, markBuilt, recoverOutput, resolveOutput} from './io.js'
import {lockOutput, OutputLockedError, type LockHolder} from './output-lock.js'
import {createFileRegistry} from './layout/liquid-errors.js'
import {createRenderPool} from './render/pool.js'
import {applyWarningLevels, escalateWarnings, folderFile, hasErrors, optionFile, report} from './report.js'
import {createBuildCache, DamagedCacheError, type BuildCache} from './site/build-cache.js'
import {createTemporaryBodyStore, openDiskCache} from './site/disk-cache.js'
import {createFolderSink, type FinishResult} from './site/folder-sink.js'
import {renderSite, type BuildProgress, type SiteRender} from './site/render-site.js'
import {indexFolder, SEARCH_FOLDER} from './site/search-index.js'
import {loadSearchState, saveSearchState, type SearchState} from './site/search/search-state.js'
import {version} from './version.js'

/** What a build did: every file with its messages, what was written, and what came from the cache. */
export interface BuildReport {
  /** False when any error was reported; nothing was written then. */
  readonly ok: boolean
  /** Every file that has messages or was processed, for reporting. */
  readonly files: readonly VFile[]
  /** Output paths of the built site (relative to the output folder), sorted. */
  readonly written: readonly string[]
  readonly config: SiteConfig | undefined
  /** Posts in the site, newest first. */
  readonly posts: readonly Post[]
  /** What the persistent cache saved this build; undefined with --no-cache. */
  readonly cache?: CacheUse | undefined
  /** How long each stage took (ms), in order. */
  readonly timings?: ReadonlyArray<readonly [string, number]> | undefined
}

export interface CacheUse {
  /** Bodies rendered, and taken from the cache. */
  readonly rendered: number
  readonly reusedBodies: number
  /** Output files made, and kept from the last build. */
  readonly made: number
  readonly keptOutputs: number
  /** Whether the output folder was left as it was (nothing changed). */
  readonly unchanged: boolean
}

export type {BuildProgress} from './site/render-site.js'

/** Options of {@link build} and {@link buildSite} that are not configuration. */
export interface BuildOptions {
  /** Told as the build moves through its stages (the CLI draws a progress line on a terminal). */
  readonly progress?: BuildProgress | undefined
  /** When another build holds the output's lock: wait for it (true) or fail with a message (default). */
  readonly wait?: boolean | undefined
  /** Remove files in the output that Galley did not write, instead of keeping them with a warning (`--clean`). */
  readonly clean?: boolean | undefined
  /** Told once when the build starts waiting for another build's lock. */
  readonly onWait?: ((holder: LockHolder | undefined) => void) | undefined
  /**
   * Told, once the output's lock is taken, the synchronous clean-up that stops
   * this build without damage (staging removed, an interrupted swap rolled
   * back, lock released), for a signal handler to call before it exits;
   * told `undefined` when the build no longer holds the lock.
   */
  readonly onLocked?: ((stop: (() => void) | undefined) => void) | undefined
  /**
   * `--strict`: every warning is an error, so a build with any warning fails
   * and writes nothing. Not part of the config (nor of any cache key): it
   * changes what counts as failure, never what a page renders to.
   */
  readonly strict?: boolean | undefined
}

/** Load the config for `overrides`, then build. The whole of `galley build`, minus printing. */
export async function buildSite(overrides: ConfigOverrides, options: BuildOptions = {}): Promise<BuildReport> {
  const loaded = loadConfig(overrides)
  if (!loaded.config) return {ok: false, files: [loaded.file], written: [], config: undefined, posts: []}
  reportMissingUrl(loaded)
  applyWarningLevels([loaded.file], loaded.config.warnings)
  if (options.strict) escalateWarnings([loaded.file])
  // A config warning turned into an error (warnings: {site-url: error}) stops the build before anything is written.
  if (hasErrors([loaded.file])) return {ok: false, files: [loaded.file], written: [], config: loaded.config, posts: []}
  const result = await build(loaded.config, options)
  return {...result, files: [loaded.file, ...result.files]}
}

/**
 * Build the site described by `config` into `config.out`. Everything is
 * written into a staging folder and swapped into place only when no error
 * was reported anywhere, so a failed build leaves the previous output
 * exactly as it was; files unchanged since the last build are linked, not
 * made again, and when nothing changed the output is left alone. An output
 * folder named with --out (or `destination:`) that holds files Galley did
 * not write is never replaced; the default `_site` is the generator's own,
 * as in Jekyll. No console, no process: the caller reports.
 */
export async function build(given: SiteConfig, options: BuildOptions = {}): Promise<BuildReport> {
  const registry = createFileRegistry(given.source)
  const configFile = registry.get(path.join(given.source, given.configFile ?? 'site.yml'))
  // A problem with the output folder is about --out when that named it, else about the config file.
  const fromConfig = given.outIsDefault || (typeof given.site.destination === 'string' && path.resolve(given.source, given.site.destination) === given.out)
  const outOption = fromConfig ? configFile : optionFile('--out')
  const resolved = resolveOutput(given.out)
  if ('reason' in resolved) {
    report(outOption, {reason: resolved.reason, ruleId: 'output', severity: 'error'})
    return {ok: false, files: [outOption], written: [], config: given, posts: []}
  }
  // An output that is a symbolic link is written where it points; the link stays.
  const config: SiteConfig = resolved.out === given.out ? given : Object.freeze({...given, out: resolved.out})
  let lock
  try {
    lock = await lockOutput(config.out, {wait: options.wait, onWait: options.onWait})
  } catch (error) {
    if (!(error instanceof OutputLockedError)) {
      // The folder around the output cannot be made or written (permissions, a file in the way).
      const code = (error as NodeJS.ErrnoException).code ?? String(error)
      const why = code === 'EEXIST' || code === 'ENOTDIR' ? 'a file is in the way' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : 'it cannot be written'
      report(outOption, {reason: `cannot make the folder around the output folder ${config.out}: ${why} (${code}); pick another --out or fix the folder`, ruleId: 'output', severity: 'error', cause: error})
      return {ok: false, files: [outOption], written: [], config, posts: []}
    }
    const folder = folderFile(path.relative(given.source, given.out).split(path.sep).join('/') || '.')
    report(folder, {reason: error.message, ruleId: 'output-lock', severity: 'error'})
    return {ok: false, files: [folder], written: [], config, posts: []}
  }
  const held = lock
  options.onLocked?.(() => {
    recoverOutput(config.out)
    held.release()
  })
  try {
    // What an interrupted build left: its staging folder, or (killed mid-swap) no output and the old one aside.
    recoverOutput(config.out)
    return await buildLocked(config, configFile, outOption, options)
  } finally {
    options.onLocked?.(undefined)
    held.release()
  }
}

async function buildLocked(config: SiteConfig, configFile: VFile, outOption: VFile, options: BuildOptions): Promise<BuildReport> {
  if (!config.outIsDefault && !(await isReplaceableOutput(config.out))) {
    report(outOption, {
      reason: `the output folder ${config.out} holds files galley did not write; refusing to replace it (empty it or pick another --out)`,
      ruleId: 'output',
      severity: 'error'
    })
    return {ok: false, files: [outOption], written: [], config, posts: []}
  }

  const disk = config.cacheDir === undefined ? undefined : openDiskCache(config.cacheDir, version)
  const temporary = disk ? undefined : createTemporaryBodyStore()
  const fresh = (): BuildCache => createBuildCache({keepTexts: false, bodies: temporary ?? createTemporaryBodyStore()})
  let cache: BuildCache
  if (disk) {
    const loaded = await disk.load(config)
    cache = loaded.cache
    if (loaded.problem) cacheWarning(configFile, `${loaded.problem}; it is ignored and rebuilt`)
  } else cache = fresh()

  const pool = createRenderPool({workers: config.workers, minBytes: config.workersForced ? 0 : undefined})
  try {
    let attempt: Awaited<ReturnType<typeof buildOnce>>
    try {
      attempt = await buildOnce(config, cache, pool, options.progress, options.clean === true)
    } catch (error) {
      // A stage that reads a cached body outside an output's own error handling (mentions, papers) throws it here.
      if (!(error instanceof DamagedCacheError) || !disk) throw error
      cacheWarning(configFile, `the cache in ${disk.dir} is damaged (${error.message}); it is ignored and rebuilt`)
      cache = disk.empty()
      attempt = await buildOnce(config, cache, pool, options.progress, options.clean === true)
    }
    if (cache.bodies.damaged && disk) {
      // A cached body could not be read back as written: nothing of this attempt is trusted; start again without the cache.
      await attempt.sink.abort()
      cacheWarning(configFile, `the cache in ${disk.dir} is damaged (a stored body does not match its checksum); it is ignored and rebuilt`)
      cache = disk.empty()
      attempt = await buildOnce(config, cache, pool, options.progress, options.clean === true)
    }
    const {site, sink} = attempt
    // warnings: in site.yml, applied before anything is written, so a rule turned to error fails the build.
    applyWarningLevels([configFile, ...site.files], config.warnings)
    if (options.strict) escalateWarnings([configFile, ...site.files])
    if (!site.ok || hasErrors([configFile, ...site.files])) {
      await sink.abort()
      return {ok: false, files: [configFile, ...site.files], written: [], config, posts: site.posts}
    }
    let started = performance.now()
    // The search index is made in the staging folder, from its finished pages, before the swap: an interrupted build
    // never publishes pages without their index. Not again when the output is left as it was (unless its index is gone).
    let indexMs: number | undefined
    const searchProblems: string[] = []
    // It is made in parts, and a part whose pages are as the last build indexed them is kept (site/search/).
    let searchState: SearchState | undefined
    const beforeCommit = config.search
      ? async (dir: string): Promise<readonly string[]> => {
          const began = performance.now()
          const previous = disk ? loadSearchState(disk.dir, {galley: version, out: config.out}) : undefined
          const indexed = await indexFolder(dir, {out: config.out, previous})
          searchProblems.push(...indexed.problems)
          searchState = indexed.state
          indexMs = Math.round(performance.now() - began)
          return listFolder(path.join(dir, SEARCH_FOLDER), SEARCH_FOLDER)
        }
      : undefined
    const finished = await sink.finish(site.paths, {beforeCommit, always: config.search && !existsSync(path.join(config.out, SEARCH_FOLDER, 'pagefind.js'))})
    if (disk && searchState) {
      try {
        saveSearchState(disk.dir, searchState, {galley: version, out: config.out})
      } catch (error) {
        cacheWarning(configFile, `could not save the search index's state in ${disk.dir}: ${(error as Error).message}; the next build indexes every page`)
      }
    }
    const foreignFiles = reportForeign(config, finished, options.clean === true)
    if (finished.unchanged) await markBuilt(config.out)
    for (const problem of searchProblems) report(configFile, {reason: `search: ${problem}`, ruleId: 'search', severity: 'warning', place: {line: 1, column: 1}})
    const timings: Array<readonly [string, number]> = [...site.timings, ...(indexMs === undefined ? [] : [['search index', indexMs] as const]), ['swap output', Math.round(performance.now() - started - (indexMs ?? 0))]]
    started = performance.now()
    // Nothing read, rendered or written: the cache on disk already is this build's.
    if (disk && !(finished.unchanged && site.bodies.rendered === 0 && !cache.touched)) {
      try {
        await disk.save(cache, config)
      } catch (error) {
        cacheWarning(configFile, `could not save the cache in ${disk.dir}: ${(error as Error).message}; the next build starts without it`)
      }
      timings.push(['save cache', Math.round(performance.now() - started)])
    }
    const use: CacheUse = {rendered: site.bodies.rendered, reusedBodies: site.bodies.reused, made: finished.written, keptOutputs: finished.kept, unchanged: finished.unchanged}
    return {ok: true, files: [configFile, ...site.files, ...foreignFiles], written: [...site.paths].sort(), config, posts: site.posts, cache: disk ? use : undefined, timings}
  } finally {
    await pool.close()
    temporary?.dispose()
  }
}

/** A warning on each file in the output that Galley did not write: kept (or removed with --clean), and how to quiet it. */
function reportForeign(config: SiteConfig, finished: FinishResult, clean: boolean): VFile[] {
  const where = path.relative(config.source, config.out).split(path.sep).join('/') || '.'
  const replaced = new Set(finished.replaced)
  return finished.foreign.map((file) => {
    const vfile = new VFile({path: `${where}/${file}`})
    const reason = replaced.has(file)
      ? 'this file was not written by galley, and the build has its own file at this path: it was replaced (move yours elsewhere, or list it in keep_files in site.yml to keep it over the build\'s)'
      : clean
        ? 'this file was not written by galley; removed (--clean)'
        : 'this file was not written by galley; it is kept (list it in keep_files in site.yml to keep it without this warning, or build with --clean to remove it)'
    report(vfile, {reason, ruleId: 'foreign-file', severity: 'warning', place: {line: 1, column: 1}})
    return vfile
  })
}

async function buildOnce(config: SiteConfig, cache: BuildCache, pool: ReturnType<typeof createRenderPool>, progress: BuildProgress | undefined, clean: boolean): Promise<{site: SiteRender; sink: ReturnType<typeof createFolderSink>}> {
  const sink = createFolderSink({out: config.out, manifest: cache.pages, keep: config.keepFiles, clean})
  try {
    const site = await renderSite(config, cache, {sink, pool, version, progress})
    return {site, sink}
  } catch (error) {
    await sink.abort()
    throw error
  }
}

function cacheWarning(file: VFile, reason: string): void {
  report(file, {reason, ruleId: 'cache', severity: 'warning', place: {line: 1, column: 1}})
}

/** Every file under `dir`, as POSIX paths under `prefix`. */
function listFolder(dir: string, prefix: string): string[] {
  try {
    return readdirSync(dir, {recursive: true, withFileTypes: true})
      .filter((entry) => entry.isFile())
      .map((entry) => [prefix, ...path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep)].join('/'))
      .sort()
  } catch {
    return []
  }
}
