import path from 'node:path'
import {VFile} from 'vfile'
import type {SiteConfig} from '../config.js'
import {nowIn} from '../content/dates.js'
import {siteFiles} from './site-files.js'
import {urlToOutputPath} from '../content/permalink.js'
import type {Post} from '../content/post.js'
import {createSourceReader} from '../io.js'
import {createFileRegistry} from '../layout/liquid-errors.js'
import {createLiquid} from '../layout/liquid.js'
import {layoutChain, loadLayouts} from '../layout/layouts.js'
import {katexAssets} from '../markdown/math.js'
import {createMarkdownify} from '../markdown/markdownify.js'
import {withBase} from '../markdown/rehype-base-url.js'
import type {RenderSettings} from '../render/body.js'
import {createRenderPool, type RenderPool} from '../render/pool.js'
import {RecordingMap} from '../render/recording-map.js'
import {hasErrors, report} from '../report.js'
import {renderBodies, type BodyRequest, type BodyStageContext} from './body-stage.js'
import {fingerprint, hashOf, type BuildCache, type RebuildHint} from './build-cache.js'
import {readSiteData} from './data-files.js'
import {checkUrlClashes, isVisible, resolveDocuments} from './documents.js'
import {byDateDescending, groupBy, linkNeighbours, toLiquidPage, type LiquidPage, type Rendering} from './liquid-scope.js'
import {listingPages} from './listings.js'
import {paginate} from './paginate.js'
import {scanSite} from './scan.js'
import {applyLayouts, layoutFor, wrap, type LayoutContext} from './wrap.js'

/** A whole site rendered in memory: what a build writes, or the preview server serves. */
export interface SiteRender {
  /** False when any error was reported. */
  readonly ok: boolean
  /** Every file that was processed or has messages. */
  readonly files: readonly VFile[]
  /** Posts, newest first. */
  readonly posts: readonly Post[]
  /** Generated files: output path → contents. */
  readonly outputs: ReadonlyMap<string, string>
  /** Files copied as they are: output path → absolute source file. */
  readonly copies: ReadonlyMap<string, string>
  /** Output paths and sources rendered anew in this run (the rest came from the cache). */
  readonly rendered: readonly string[]
  /**
   * Pages whose inputs changed but which nobody is looking at, left to render
   * on first request (only in preview rebuilds, which pass a hint): output
   * path → render. `galley build` never defers.
   */
  readonly deferred: ReadonlyMap<string, () => Promise<string | undefined>>
}

/**
 * Render the site described by `config`. Stages run in order — scan, resolve
 * every document, build the site model, render bodies, apply layouts, make
 * the site's own pages — and nothing is written: `build` writes the result,
 * the preview server serves it from memory.
 *
 * With a `cache` from an earlier run, unchanged inputs are not read, parsed
 * or rendered again: bodies are keyed by their text and everything they
 * depend on, pages by a fingerprint of their whole Liquid scope.
 */
export interface RenderSiteOptions {
  /** Renders the bodies (a pool of worker threads, or this thread); default: this thread. */
  readonly pool?: RenderPool | undefined
}

/** Bumped when rendering changes in a way the inputs do not show (a plugin's output), so cached bodies are redone. */
const GALLEY_RENDER_VERSION = '1'

export async function renderSite(config: SiteConfig, cache: BuildCache, hint?: RebuildHint, options: RenderSiteOptions = {}): Promise<SiteRender> {
  const pool = options.pool ?? createRenderPool({workers: 1, shared: cache.renderer})
  const registry = createFileRegistry(config.source)
  const configFile = registry.get(path.join(config.source, config.configFile ?? 'site.yml'))
  const rendered: string[] = []

  const reader = createSourceReader(config.source)
  const configKey = hashOf(JSON.stringify(config))
  // The folder is listed again unless the watcher saw only changes to existing files.
  const reuseScan = hint !== undefined && !hint.structural && cache.scan?.key === configKey
  const scanned = reuseScan && cache.scan ? cache.scan.files : await scanSite(config, reader)
  const themeStatics = new Map(reuseScan && cache.scan ? cache.scan.theme : await listThemeStatics(config))
  cache.scan = {key: configKey, files: scanned, theme: themeStatics}
  const changed = new Set(hint?.changed ?? [])
  const documents = await resolveDocuments(config, scanned, reader, {texts: cache.texts, configKey, trusted: (source) => hint !== undefined && !changed.has(source)})
  const siteData = await readSiteData(reader, config.dirs.data)
  const statics = [...scanned.statics, ...documents.plain].sort()

  const published = documents.docs.filter((doc) => isVisible(doc, config))
  const posts = published.filter((doc) => doc.kind === 'post').sort(byDateDescending)
  const pages = published.filter((doc) => doc.kind === 'page')
  const copies = new Map<string, string>([...themeStatics, ...statics.map((file) => [file, path.join(config.source, file)] as const)])
  checkUrlClashes([...posts, ...pages], copies)

  const fileUrls = new RecordingMap<string, string>([...[...copies.keys()].map((file) => [file, '/' + file] as const), ...published.map((doc) => [doc.source, doc.url] as const)])
  // What rendering a body depends on, as plain data for the workers; its key leaves out the file tables,
  // which each cached body checks lookup by lookup.
  const settings: RenderSettings = {
    baseurl: config.baseurl,
    url: config.url,
    excerptSeparator: config.excerptSeparator,
    markdown: config.markdown,
    files: [...fileUrls],
    images: [...copies].map(([file, absolute]) => ['/' + file, absolute] as const)
  }
  // Liquid tokens name files by absolute path: map them back to the post's own VFile, or a layout/include file.
  const docFiles = new Map(documents.docs.map((doc) => [path.join(config.source, doc.source), doc.file]))
  const fileFor = (absolute: string): VFile => docFiles.get(absolute) ?? registry.get(absolute)
  const markdownify = createMarkdownify()
  const liquid = createLiquid({
    warn(token, reason, ruleId) {
      const [line = 1, column = 1] = token.getPosition()
      report(token.file ? fileFor(token.file) : configFile, {reason, ruleId, severity: 'warning', place: {line, column}})
    },
    includes: includeFolders(config),
    baseurl: config.baseurl,
    url: config.url,
    markdownify,
    postUrls: new Map(posts.map((post) => [path.posix.basename(post.source).replace(/\.[^.]+$/, ''), withBase(config.baseurl, post.url)])),
    fileUrls: new Map([...fileUrls].map(([file, url]) => [file, withBase(config.baseurl, url)]))
  })
  const layouts = await loadLayouts(liquid, layoutFolders(config), registry)

  /** A document's metadata as the site sees it, serialised once per resolved version. */
  const metaOf = (doc: Post): string => {
    const resolved = cache.texts.get(doc.source)?.resolved
    if (resolved?.doc === doc && resolved.meta !== undefined) return resolved.meta
    const meta = JSON.stringify([doc.source, doc.url, doc.title, doc.date, doc.data])
    if (resolved?.doc === doc) resolved.meta = meta
    return meta
  }
  // Fingerprints of what every page may read: the site's metadata, and the layouts and includes.
  const siteKey = hashOf(
    configKey,
    JSON.stringify(siteData.data),
    [...copies.keys()].join('\n'),
    ...published.map((doc) => metaOf(doc))
  )
  // Layouts were just read and parsed; only the includes (read by liquidjs itself) are read here.
  const includeTexts = await templateTexts(includeFolders(config))
  const layoutKey = hashOf(...layouts.all().flatMap((layout) => [layout.name, String(layout.file.value ?? '')]), ...includeTexts)
  // A layout chain that reads `site.posts` (a "recent posts" sidebar) shows other posts on every page it wraps:
  // such pages are keyed by every post. Includes cannot be told apart, so any include that reads them counts.
  const readsPosts = /\bsite\.(posts|tags|categories)\b/
  const withoutComments = (text: string) => text.replace(/\{%-?\s*comment\s*-?%\}[\s\S]*?\{%-?\s*endcomment\s*-?%\}/g, '')
  const includesReadPosts = includeTexts.some((text) => readsPosts.test(withoutComments(text)))
  const chainReadsPosts = new Map<string, boolean>()
  const readsAllPosts = (name: string | undefined): boolean => {
    if (name === undefined) return false
    let reads = chainReadsPosts.get(name)
    if (reads === undefined) {
      reads = layoutChain(layouts, name).some((layout) => {
        const text = withoutComments(String(layout.file.value ?? ''))
        return readsPosts.test(text) || (includesReadPosts && /\{%-?\s*include\b/.test(text))
      })
      chainReadsPosts.set(name, reads)
    }
    return reads
  }
  // Bodies depend on the config and on the files they refer to (checked lookup by lookup), not on other posts.
  const settingsKey = hashOf(configKey, GALLEY_RENDER_VERSION)

  // Bodies are cached by the file's text (hashed once when read), the config, and — for bodies with Liquid —
  // the site and the extra scope; a cached body is valid while every file it looked up resolves the same.
  const viewKeys = new Map<object, string>()
  let contentKey = ''
  const usesLiquid = (doc: Post) => {
    const entry = cache.texts.get(doc.source)
    const uses = entry?.usesLiquid ?? (doc.data.render_with_liquid !== false && /\{[{%]/.test(doc.body))
    if (entry) entry.usesLiquid = uses
    return uses
  }
  const plainKeys = new Map<Post, string>()
  const renderKey = (doc: Post, extra: Record<string, unknown>) => {
    if (usesLiquid(doc)) return hashOf(textKey(doc), doc.url, hashOf(siteKey, contentKey, fingerprint(extra, viewKeys)))
    let key = plainKeys.get(doc)
    if (key === undefined) plainKeys.set(doc, (key = hashOf(textKey(doc), doc.url)))
    return key
  }
  const textKey = (doc: Post) => cache.texts.get(doc.source)?.hash ?? hashOf(doc.body, JSON.stringify(doc.data))
  const validRender = (doc: Post, extra: Record<string, unknown>, slot: string) => {
    const cached = cache.renders.get(slot)
    return cached && cached.key === hashOf(settingsKey, renderKey(doc, extra)) && fileUrls.unchanged(cached.deps.files.map(([key, url]) => [key, url ?? undefined] as const)) ? cached : undefined
  }

  // The site model: every document's Liquid view, then `site` around them.
  const viewOptions = {siteAuthor: config.site.author, listings: config.listings}
  // A document whose body needs no Liquid and whose cached rendering is still valid keeps its view from the
  // last run; the others get a fresh view, filled in once their body is rendered.
  const renderSlot = (doc: Post) => doc.source
  const reused = new Set<Post>()
  const views = new Map<Post, LiquidPage>(
    published.map((doc) => {
      const view = usesLiquid(doc) ? undefined : validRender(doc, {}, renderSlot(doc))?.view
      if (view) reused.add(doc)
      return [doc, view ?? toLiquidPage(doc, undefined, viewOptions)]
    })
  )
  const postViews = posts.map((post) => views.get(post) as LiquidPage)
  linkNeighbours(postViews)
  const site: Record<string, unknown> = {
    ...config.site,
    posts: postViews,
    pages: pages.map((page) => views.get(page)),
    tags: groupBy(postViews, 'tags'),
    categories: groupBy(postViews, 'categories'),
    data: siteData.data,
    time: nowIn(config.now, {timezone: config.timezone}),
    static_files: [...copies.keys()].map((file) => ({path: '/' + file, name: path.posix.basename(file), extname: path.posix.extname(file)}))
  }

  // Pagination of the index: the site's own index page, or the theme's home.
  const indexDoc = pages.find((page) => page.url === '/')
  const indexPages = config.paginate.perPage > 0 ? paginate(postViews, config.paginate.perPage, '/', config.paginate.path) : []
  const firstIndexScope = (doc: Post) => (doc === indexDoc && indexPages[0] ? {paginator: indexPages[0].paginator} : {})

  // Render every body (Liquid, then markdown), from the cache when nothing it depends on changed.
  const bodyContext: BodyStageContext = {cache, pool, settings, settingsKey, files: fileUrls, source: config.source, liquid: () => liquid, site, fileFor}
  const request = (doc: Post, view: LiquidPage, extra: Record<string, unknown>, slot: string): BodyRequest => ({doc, slot, key: renderKey(doc, extra), view, extra, liquid: usesLiquid(doc)})
  const afterRender = (doc: Post, slot: string, outcome: {rendering: Rendering | undefined; fresh: boolean}) => {
    if (outcome.fresh) rendered.push(doc.source)
    const entry = cache.renders.get(slot)
    if (outcome.fresh && entry && slot === doc.source && !usesLiquid(doc)) entry.view = views.get(doc)
  }
  // Bodies without Liquid first, together; then those with it, which may show the others' content (an index page
  // listing excerpts, as Jekyll renders posts before pages), keyed by all of it.
  const renderKeys = new Map<Post, string>()
  for (const withLiquid of [false, true]) {
    if (withLiquid) contentKey = hashOf(...published.filter((doc) => !usesLiquid(doc)).map((doc) => renderKeys.get(doc) ?? ''))
    const batch = published.filter((doc) => usesLiquid(doc) === withLiquid)
    const outcomes = await renderBodies(bodyContext, batch.map((doc) => request(doc, views.get(doc) as LiquidPage, firstIndexScope(doc), renderSlot(doc))))
    for (const [index, doc] of batch.entries()) {
      const outcome = outcomes[index] as {rendering: Rendering | undefined; hash: string; fresh: boolean}
      renderKeys.set(doc, outcome.hash)
      const view = views.get(doc) as LiquidPage
      if (outcome.rendering && !reused.has(doc)) Object.assign(view, toLiquidPage(doc, outcome.rendering, viewOptions), {next: view.next, previous: view.previous})
      afterRender(doc, renderSlot(doc), outcome)
    }
  }
  const neighbour = (other: unknown) => (other ? JSON.stringify([(other as LiquidPage).url, (other as LiquidPage).title]) : '')
  for (const doc of published) {
    const view = views.get(doc) as LiquidPage
    // Plain concatenation, not a hash: it only ever goes into a page's fingerprint, which is hashed.
    viewKeys.set(view, `${renderKeys.get(doc) ?? ''}|${neighbour(view.next)}|${neighbour(view.previous)}`)
  }

  // Apply layouts, from the cache when the page's whole scope is unchanged.
  const layoutContext: LayoutContext = {liquid, layouts, registry, site}
  const outputs = new Map<string, string>()
  // In a preview rebuild, only the pages of the files that changed are rendered before the browser reloads;
  // other pages whose inputs changed (listings, neighbours, every page after a layout edit) render when requested.
  const eagerPaths = new Set(published.filter((doc) => changed.has(doc.source)).map((doc) => doc.outputPath))
  const deferred = new Map<string, () => Promise<string | undefined>>()
  /** A page from the cache when `keyScope` (its Liquid scope, plus what else it shows) fingerprints the same. */
  const pageCached = async (outputPath: string, keyScope: Record<string, unknown>, owner: VFile, make: () => Promise<string | undefined>): Promise<void> => {
    const key = hashOf(layoutKey, siteKey, fingerprint(keyScope, viewKeys))
    const cached = cache.pages.get(outputPath)
    if (cached && cached.key === key) {
      outputs.set(outputPath, cached.html)
      return
    }
    const render = async (): Promise<string | undefined> => {
      const before = owner.messages.length
      const html = await failSafe(owner, make)
      // Pages whose layouts reported something are redone next time, so the message is reported again.
      if (html !== undefined && owner.messages.length === before) cache.pages.set(outputPath, {key, html})
      return html
    }
    if (hint !== undefined && !eagerPaths.has(outputPath)) {
      deferred.set(outputPath, render)
      return
    }
    const html = await render()
    rendered.push(outputPath)
    if (html !== undefined) outputs.set(outputPath, html)
  }
  // The index without pagination lists every post through `site.posts`: its key covers them all. (Paginated
  // index pages, tags and the archive name their posts in their scope, which the fingerprint covers.)
  const postsKey = hashOf(...postViews.map((view) => viewKeys.get(view) ?? ''))
  for (const doc of published) {
    const view = views.get(doc) as LiquidPage
    const extra = firstIndexScope(doc)
    const posts = readsAllPosts(layoutFor(doc, layouts)) ? postsKey : undefined
    await pageCached(doc.outputPath, {page: view, ...extra, posts}, doc.file, () => applyLayouts(doc, view, layoutContext, extra))
  }

  // Pages Galley makes: index pages, listings, not-found. A document or file of the site's own at the same path wins.
  const ownPaths = new Set(published.map((doc) => doc.outputPath))
  const taken = (outputPath: string) => ownPaths.has(outputPath) || copies.has(outputPath)
  const ownerFile = registry.get(path.join(config.source, 'index.html'))
  for (const {url, paginator} of indexDoc ? indexPages.slice(1) : indexPages.length > 0 ? indexPages : [{url: '/', paginator: undefined}]) {
    const outputPath = outputPathOf(url)
    if (taken(outputPath)) continue
    const extra = paginator ? {paginator} : {}
    if (indexDoc) {
      const view: LiquidPage = {...(views.get(indexDoc) as LiquidPage), url}
      const slot = `${indexDoc.source}#${url}`
      const [outcome] = await renderBodies(bodyContext, [request(indexDoc, view, extra, slot)])
      const rendering = outcome?.rendering
      if (outcome) afterRender(indexDoc, slot, outcome)
      if (!rendering) continue
      Object.assign(view, toLiquidPage(indexDoc, rendering, viewOptions), {url})
      await pageCached(outputPath, {page: view, ...extra, posts: paginator ? undefined : postsKey}, indexDoc.file, () => applyLayouts(indexDoc, view, layoutContext, extra))
    } else {
      const page: LiquidPage = {title: String(config.site.title ?? ''), title_html: '', url, layout: 'home', content: ''}
      await pageCached(outputPath, {page, ...extra, posts: paginator ? undefined : postsKey}, ownerFile, () => wrap('', 'home', {page, ...extra}, ownerFile, layoutContext))
    }
  }
  const generated = [...listingPages(postViews, config.listings), {url: '/404.html', layouts: ['404'], page: {title: 'Page not found', title_html: 'Page not found', url: '/404.html', layout: '404'}}]
  for (const listing of generated) {
    const outputPath = outputPathOf(listing.url)
    const layout = listing.layouts.find((name) => layouts.get(name))
    if (taken(outputPath) || layout === undefined) continue
    await pageCached(outputPath, {page: listing.page}, ownerFile, () => wrap('', layout, {page: listing.page}, ownerFile, layoutContext))
  }

  // Feeds, sitemap and robots.txt, unless the site has its own.
  const generatedUrls = [...outputs.keys(), ...deferred.keys()].filter((file) => file.endsWith('index.html') && !ownPaths.has(file)).map((file) => '/' + file.replace(/index\.html$/, ''))
  const made = siteFiles({config, cache, siteKey, posts: postViews, viewKey: (view) => viewKeys.get(view) ?? '', published, generatedUrls, taken, configFile})
  for (const [file, contents] of made.files) outputs.set(file, contents)
  rendered.push(...made.rendered)

  // Files made at build time: code colours always, KaTeX only when a page has math.
  if (!taken('assets/css/code.css')) outputs.set('assets/css/code.css', await cache.highlighter.stylesheet())
  // GitHub Pages would run Jekyll over the output otherwise (and drop `_`-prefixed files).
  if (!taken('.nojekyll')) outputs.set('.nojekyll', '')
  if (published.some((doc) => views.get(doc)?.math === true)) for (const asset of katexAssets()) if (!taken(asset.to)) copies.set(asset.to, asset.from)

  const files = [...new Set([...registry.all(), ...documents.files, ...siteData.files])]
  return {ok: !hasErrors(files), files, posts, outputs, copies, rendered, deferred}
}

/**
 * Run one document's step; an exception (a bug, or input beyond what a
 * library copes with, such as thousands of nested elements) becomes an error
 * on that file, and the build goes on to report every other problem.
 */
async function failSafe<T>(file: VFile, step: () => Promise<T | undefined>): Promise<T | undefined> {
  try {
    return await step()
  } catch (error) {
    const reason = error instanceof RangeError && /call stack/i.test(error.message) ? 'the markup is nested too deeply to render' : (error as Error).message
    report(file, {reason: `could not render this file: ${reason}`, ruleId: 'render', severity: 'error', place: {line: 1, column: 1}, cause: error})
    return undefined
  }
}

/** The output file for a URL Galley itself chose (always valid). */
function outputPathOf(url: string): string {
  const placed = urlToOutputPath(url)
  if (!placed.ok) throw new Error(placed.reason)
  return placed.outputPath
}

/** The default theme's assets (source-relative path → absolute file), when the theme is not the site itself. */
async function listThemeStatics(config: SiteConfig): Promise<Map<string, string>> {
  const found = new Map<string, string>()
  if (config.themeDir === config.source) return found
  const reader = createSourceReader(config.themeDir)
  if (!(await reader.exists('assets'))) return found
  for (const file of await reader.list((relative) => path.posix.basename(relative).startsWith('.') || !(relative === 'assets' || relative.startsWith('assets/')))) {
    found.set(file, path.join(config.themeDir, file))
  }
  return found
}

/** Every layout and include file's name and text, for the layout fingerprint. */
async function templateTexts(folders: readonly string[]): Promise<string[]> {
  const texts: string[] = []
  for (const folder of folders) {
    const reader = createSourceReader(folder)
    if (!(await reader.exists('.'))) continue
    for (const file of await reader.list((relative) => path.posix.basename(relative).startsWith('.'))) {
      texts.push(folder + '/' + file, (await reader.read(file)).toString('utf8'))
    }
  }
  return texts
}

export function layoutFolders(config: SiteConfig): string[] {
  const folders = config.dirs.layouts ? [path.join(config.source, config.dirs.layouts)] : []
  const theme = path.join(config.themeDir, 'layouts')
  return folders.includes(theme) ? folders : [...folders, theme]
}

export function includeFolders(config: SiteConfig): string[] {
  const folders = config.dirs.includes ? [path.join(config.source, config.dirs.includes)] : []
  const theme = path.join(config.themeDir, 'layouts', 'includes')
  return folders.includes(theme) ? folders : [...folders, theme]
}

