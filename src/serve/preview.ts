import {readFileSync} from 'node:fs'
import {createServer, type AddressInfo, type Server} from 'node:net'
import path from 'node:path'
import {loadConfig, type ConfigOverrides, type SiteConfig} from '../config.js'
import {count} from '../plural.js'
import {formatMessages} from '../report.js'
import {createRenderPool} from '../render/pool.js'
import {createBuildCache, type BuildCache} from '../site/build-cache.js'
import {renderInMemory} from '../site/memory-sink.js'
import type {BuildProgress} from '../site/render-site.js'
import {BADGE_LINES, createReloadHub, type BuildFailure} from './reload.js'
import {createHostCheck} from './host-check.js'
import {createPreviewServer, type ServedSite} from './server.js'
import {watchSite} from './watch.js'
import {createBackgroundSearch} from './search.js'
import {globToRegExp} from '../site/scan.js'

export interface PreviewOptions {
  readonly overrides: Omit<ConfigOverrides, 'now'>
  readonly port: number
  readonly host: string
  /** The clock, injected (the CLI passes Date.now). */
  readonly now: () => number
  /** Where the preview reports what it does, one line at a time (the CLI prints it). */
  readonly log: (line: string, stream: 'out' | 'err') => void
  /**
   * Told as a whole-site build (the first, and after a site.yml edit) moves
   * through its stages, for a progress line; `clear` is called before the
   * build's outcome is logged.
   */
  readonly progress?: {readonly update: BuildProgress; readonly clear: () => void} | undefined
}

export interface Preview {
  /** The site's address, e.g. `http://127.0.0.1:4000/blog/`. */
  readonly url: string
  /**
   * Rebuild after these absolute paths changed (the watcher calls this; tests
   * may too). `structural` says files were added or removed (default true:
   * the folder is listed again).
   */
  rebuild(changed: readonly string[], structural?: boolean): Promise<void>
  close(): Promise<void>
}

/** How many new warnings a rebuild prints in the terminal before it counts the rest. */
const TERMINAL_WARNINGS = 40

/** Thrown when the site cannot be previewed at all (bad config on start, port in use). */
export class PreviewError extends Error {}

/**
 * `galley serve`: build the site into memory, serve it, watch its files and
 * rebuild what a change touches, and tell open pages to reload (or swap
 * their stylesheets). A failed rebuild keeps the last good site on screen and
 * shows the errors in an overlay; the next good build clears it.
 *
 * Rebuilds go through the same `renderSite` as `galley build` (into memory), with a cache
 * kept for the whole session: an edited post re-renders that post and the
 * pages that list it; a layout edit re-wraps pages without parsing markdown
 * again; a site.yml edit starts over with an empty cache.
 */
export async function startPreview(options: PreviewOptions): Promise<Preview> {
  let config = readConfig(options)
  // A busy port is said before the first build, which may take many seconds on a large site.
  await ensureListenable(options.port, options.host)
  let cache: BuildCache = createBuildCache()
  const hub = createReloadHub()
  // Worker threads for the first build of a large site (and after a site.yml edit); a rebuild of a few posts renders here.
  const pool = createRenderPool({workers: config.workers, minBytes: config.workersForced ? 0 : undefined})
  // The search index is rebuilt after every good render, in the background; its files join the served outputs when ready.
  let servedOutputs = new Map<string, string | Uint8Array>()
  const search = createBackgroundSearch({
    onIndexed(files, pages) {
      for (const [file, contents] of files) servedOutputs.set(file, contents)
      options.log(`galley: search index updated (${count(pages, 'page')})`, 'out')
    },
    onProblem: (problem) => options.log(`galley: search: ${problem}`, 'err')
  })
  options.log('galley: building the site in memory…', 'out')
  const first = await timed(() => renderInMemory(config, cache, {pool, progress: options.progress?.update}))
  options.progress?.clear()
  if (!first.value.ok) options.log(failureLines(first.value.files).join('\n'), 'err')
  // The warnings already printed: each rebuild prints only the ones it adds.
  let printed = new Set<string>()
  const showWarnings = (files: Parameters<typeof formatMessages>[0]): void => {
    const lines = warningLines(files, config)
    const added = lines.filter((line) => !printed.has(line))
    if (added.length > 0) {
      const more = added.length - TERMINAL_WARNINGS
      options.log(added.slice(0, TERMINAL_WARNINGS).join('\n') + (more > 0 ? `\ngalley: ${count(more, 'more new warning')} not shown (the page's badge lists up to ${BADGE_LINES})` : ''), 'err')
    }
    printed = new Set(lines)
    hub.warned({lines, total: lines.length})
  }
  showWarnings(first.value.files)
  let site: ServedSite = served(first.value, config)
  if (!first.value.ok) hub.failed(failure(first.value.files, config))
  else if (config.search) search.update(first.value.outputs, first.value.paths)
  options.log(`galley: built ${count(first.value.posts.length, 'post')} (drafts and future posts included) in ${first.ms} ms`, 'out')

  const server = createPreviewServer(() => site, hub, createHostCheck(options.host))
  await listen(server, options.port, options.host)
  const address = server.address() as AddressInfo
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
  const url = `http://${host}:${address.port}${config.baseurl}/`

  const rebuild = async (changed: readonly string[], structural = true): Promise<void> => {
    const configChanged = changed.some((file) => path.dirname(file) === config.source && ['site.yml', '_config.yml'].includes(path.basename(file)))
    if (configChanged) {
      try {
        config = readConfig(options)
        cache = createBuildCache()
      } catch (error) {
        options.log((error as Error).message, 'err')
        hub.failed({lines: (error as Error).message.split('\n')})
        return
      }
    }
    const names = changed.map((file) => path.relative(config.source, file) || file)
    const result = await timed(() => renderInMemory(config, cache, {pool, hint: {changed: names, structural: structural || configChanged}, progress: configChanged ? options.progress?.update : undefined}))
    if (configChanged) options.progress?.clear()
    showWarnings(result.value.files)
    if (!result.value.ok) {
      options.log(`galley: build failed after ${names.join(', ')} changed; still serving the last good build\n${failureLines(result.value.files).join('\n')}`, 'err')
      hub.failed(failure(result.value.files, config))
      return
    }
    // A change that touched nothing the site is made of (a file the site does not use) reloads nothing.
    const used = new Set([...result.value.copies.values()])
    const relevant = structural || configChanged || result.value.rendered.length > 0 || result.value.deferred.size > 0 || changed.some((file) => used.has(file) || isTemplate(file))
    site = served(result.value, config)
    if (config.search && relevant) search.update(result.value.outputs, result.value.paths)
    if (!relevant) {
      options.log(`galley: ${names.join(', ')} changed; nothing in the site uses it`, 'out')
      return
    }
    const onlyStyles = !configChanged && changed.every((file) => file.endsWith('.css')) && result.value.rendered.every((file) => file.endsWith('.css'))
    hub.published(onlyStyles ? 'css' : 'reload')
    const rendered = result.value.rendered.length === 0 ? 'nothing to re-render' : `re-rendered ${result.value.rendered.length}: ${summarise(result.value.rendered)}`
    const later = result.value.deferred.size === 0 ? '' : `; ${result.value.deferred.size} more page${result.value.deferred.size === 1 ? '' : 's'} render when requested: ${summarise([...result.value.deferred.keys()])}`
    options.log(`galley: rebuilt in ${result.ms} ms after ${names.join(', ')} changed; ${rendered}${later}`, 'out')
  }

  const theme = config.themeDir === config.source ? [] : [path.join(config.themeDir, 'layouts'), path.join(config.themeDir, 'assets')]
  const excluded = config.exclude.map((pattern) => globToRegExp(pattern))
  const watcher = watchSite({
    roots: [config.source, ...theme],
    ignore: [config.out, path.join(config.source, 'node_modules')],
    // Files the site excludes (site.yml `exclude:`) never trigger a rebuild; the config files themselves do.
    skip: (file) => {
      const relative = path.relative(config.source, file).split(path.sep).join('/')
      if (relative.startsWith('..') || relative === 'site.yml' || relative === '_config.yml') return false
      return excluded.some((pattern) => pattern.test(relative))
    },
    onChange: rebuild
  })
  await watcher.ready

  return {
    url,
    rebuild,
    async close() {
      await watcher.close()
      await pool.close()
      await search.close()
      hub.close()
      // Open event streams would keep server.close() waiting for ever: end them as soon as it stops accepting.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      server.closeAllConnections()
      await closed
    }
  }

  /** What the server serves from a render: deferred pages render once on request, and a failure is logged. */
  function served(render: Awaited<ReturnType<typeof renderInMemory>>, siteConfig: SiteConfig): ServedSite {
    const outputs = new Map(render.outputs)
    // The last search index stays served until the next one is ready (none with `search: false`).
    if (siteConfig.search) for (const [file, contents] of search.files) if (!outputs.has(file)) outputs.set(file, contents)
    servedOutputs = outputs
    const deferred = new Map<string, () => Promise<string | Uint8Array | undefined>>()
    for (const [file, make] of render.deferred) {
      let pending: Promise<string | Uint8Array | undefined> | undefined
      deferred.set(file, () => {
        pending ??= make().then((html) => {
          if (html === undefined) options.log(`galley: could not render ${file}\n${failureLines(render.files).join('\n')}`, 'err')
          else outputs.set(file, html)
          return html
        })
        return pending
      })
    }
    return {outputs, copies: render.copies, deferred, baseurl: siteConfig.baseurl}
  }

  /** Layouts, includes and data are read by every build, not listed among the copies. */
  function isTemplate(file: string): boolean {
    const folders = [config.dirs.layouts, config.dirs.includes, config.dirs.data].filter((dir): dir is string => dir !== undefined).map((dir) => path.join(config.source, dir))
    folders.push(path.join(config.themeDir, 'layouts'))
    return folders.some((folder) => file.startsWith(folder + path.sep))
  }

  function readConfig(preview: PreviewOptions): SiteConfig {
    const loaded = loadConfig({drafts: true, future: true, ...preview.overrides, now: preview.now()})
    if (!loaded.config) throw new PreviewError(formatMessages([loaded.file]).join('\n'))
    return loaded.config
  }
}

/** The warning lines of a render, without the rules site.yml turns off (`warnings: {image-alt: off}`). */
function warningLines(files: Parameters<typeof formatMessages>[0], config: SiteConfig): string[] {
  const all = formatMessages(files)
  const errors = new Set(formatMessages(files, {warnings: false}))
  const off = Object.entries(config.warnings).filter(([, level]) => level === 'off').map(([rule]) => ` (${rule})`)
  return all.filter((line) => !errors.has(line) && !off.some((rule) => line.endsWith(rule)))
}

function failureLines(files: Parameters<typeof formatMessages>[0]): string[] {
  return formatMessages(files, {warnings: false})
}

/** The overlay's content: the error lines, and the source line of the first one. */
function failure(files: Parameters<typeof formatMessages>[0], config: SiteConfig): BuildFailure {
  const lines = failureLines(files)
  const first = /^(.+?):(\d+):\d+: error:/.exec(lines[0] ?? '')
  if (!first?.[1] || !first[2]) return {lines}
  try {
    const text = readFileSync(path.resolve(config.source, first[1]), 'utf8').split(/\r\n?|\n/)[Number(first[2]) - 1]
    return text === undefined ? {lines} : {lines, source: {file: first[1], line: Number(first[2]), text}}
  } catch {
    return {lines}
  }
}

/** `a, b, c and 12 more`. */
function summarise(items: readonly string[], shown = 8): string {
  return items.length <= shown ? items.join(', ') : `${items.slice(0, shown).join(', ')} and ${items.length - shown} more`
}

async function timed<T>(run: () => Promise<T>): Promise<{value: T; ms: number}> {
  const started = performance.now()
  const value = await run()
  return {value, ms: Math.round(performance.now() - started)}
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(new PreviewError(error.code === 'EADDRINUSE' ? `port ${port} on ${host} is in use: pick another with --port, or --port 0 for any free port` : `cannot listen on ${host}:${port}: ${error.message}`))
    })
    server.listen(port, host, () => resolve())
  })
}

/** Listen on `port` and let go at once: a {@link PreviewError} now rather than after building the site. */
async function ensureListenable(port: number, host: string): Promise<void> {
  const probe = createServer()
  await listen(probe, port, host)
  await new Promise<void>((resolve) => probe.close(() => resolve()))
}
