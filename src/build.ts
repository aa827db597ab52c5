import {existsSync} from 'node:fs'
import path from 'node:path'
import type {VFile} from 'vfile'
import {loadConfig, reportMissingUrl, type ConfigOverrides, type SiteConfig} from './config.js'
import type {Post} from './content/post.js'
import {isReplaceableOutput, removeLeftovers} from './io.js'
import {createFileRegistry} from './layout/liquid-errors.js'
import {createRenderPool} from './render/pool.js'
import {applyWarningLevels, hasErrors, report} from './report.js'
import {createBuildCache, type BuildCache} from './site/build-cache.js'
import {createTemporaryBodyStore, openDiskCache} from './site/disk-cache.js'
import {createFolderSink} from './site/folder-sink.js'
import {renderSite, type BuildProgress, type SiteRender} from './site/render-site.js'
import {indexFolder, SEARCH_FOLDER} from './site/search-index.js'
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
}

/** Load the config for `overrides`, then build. The whole of `galley build`, minus printing. */
export async function buildSite(overrides: ConfigOverrides, options: BuildOptions = {}): Promise<BuildReport> {
  const loaded = loadConfig(overrides)
  if (!loaded.config) return {ok: false, files: [loaded.file], written: [], config: undefined, posts: []}
  reportMissingUrl(loaded)
  applyWarningLevels([loaded.file], loaded.config.warnings)
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
export async function build(config: SiteConfig, options: BuildOptions = {}): Promise<BuildReport> {
  const registry = createFileRegistry(config.source)
  const configFile = registry.get(path.join(config.source, config.configFile ?? 'site.yml'))
  if (!config.outIsDefault && !(await isReplaceableOutput(config.out))) {
    report(configFile, {
      reason: `the output folder ${config.out} holds files galley did not write; refusing to replace it (empty it or pick another --out)`,
      ruleId: 'output',
      severity: 'error'
    })
    return {ok: false, files: [configFile], written: [], config, posts: []}
  }

  removeLeftovers(config.out)
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
    let attempt = await buildOnce(config, cache, pool, options.progress)
    if (cache.bodies.damaged && disk) {
      // A cached body could not be read back as written: nothing of this attempt is trusted; start again without the cache.
      await attempt.sink.abort()
      cacheWarning(configFile, `the cache in ${disk.dir} is damaged (a stored body does not match its checksum); it is ignored and rebuilt`)
      cache = disk.empty()
      attempt = await buildOnce(config, cache, pool, options.progress)
    }
    const {site, sink} = attempt
    // warnings: in site.yml, applied before anything is written, so a rule turned to error fails the build.
    applyWarningLevels([configFile, ...site.files], config.warnings)
    if (!site.ok || hasErrors([configFile, ...site.files])) {
      await sink.abort()
      return {ok: false, files: [configFile, ...site.files], written: [], config, posts: site.posts}
    }
    let started = performance.now()
    const finished = await sink.finish(site.paths)
    const timings: Array<readonly [string, number]> = [...site.timings, ['swap output', Math.round(performance.now() - started)]]
    // The search index, after the swap (Pagefind reads the finished pages); not again when the output was left as it was.
    if (config.search && (!finished.unchanged || !existsSync(path.join(config.out, SEARCH_FOLDER, 'pagefind.js')))) {
      started = performance.now()
      const indexed = await indexFolder(config.out)
      for (const problem of indexed.problems) report(configFile, {reason: `search: ${problem}`, ruleId: 'search', severity: 'warning', place: {line: 1, column: 1}})
      timings.push(['search index', Math.round(performance.now() - started)])
    }
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
    return {ok: true, files: [configFile, ...site.files], written: [...site.paths].sort(), config, posts: site.posts, cache: disk ? use : undefined, timings}
  } finally {
    await pool.close()
    temporary?.dispose()
  }
}

async function buildOnce(config: SiteConfig, cache: BuildCache, pool: ReturnType<typeof createRenderPool>, progress: BuildProgress | undefined): Promise<{site: SiteRender; sink: ReturnType<typeof createFolderSink>}> {
  const sink = createFolderSink({out: config.out, manifest: cache.pages, keep: config.keepFiles})
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
