import path from 'node:path'
import type {Liquid} from 'liquidjs'
import {VFile} from 'vfile'
import {cacheKeyOf, type SiteConfig} from '../config.js'
import {nowIn} from '../content/dates.js'
import type {Post} from '../content/post.js'
import {createSourceReader, SourceReadError, stampOf} from '../io.js'
import {createFileRegistry} from '../layout/liquid-errors.js'
import {loadLayouts, parseLayouts} from '../layout/layouts.js'
import {katexAssets} from '../markdown/katex-assets.js'
import {withBase} from '../markdown/rehype-base-url.js'
import type {RenderSettings} from '../render/body.js'
import {createRenderPool, type RenderPool} from '../render/pool.js'
import {hasErrors, report} from '../report.js'
import {cachedBody, renderBodies, type BodyOutcome, type BodyRequest, type BodyStageContext} from './body-stage.js'
import {fingerprint, hashOf, type BuildCache, type RebuildHint} from './build-cache.js'
import {readSiteData} from './data-files.js'
import {discussedModels} from './discussed-models.js'
import {readBibliographies} from './bibliographies.js'
import {citeThisPost} from './cite-this-post.js'
import {checkUrlClashes, isVisible, resolveDocuments} from './documents.js'
import {collectionScope, collectionStaticCopies, isWritten} from './collections.js'
import {emitters, type EmitContext, type SiteModel} from './emit/index.js'
import {byDateDescending, groupBy, linkNeighbours, refillView, toLiquidPage, type LiquidPage} from './liquid-scope.js'
import {runOutputs, type Copy, type Output, type OutputSink} from './outputs.js'
import {createPageKeys, textReadsTime} from './page-keys.js'
import {paginate} from './paginate.js'
import {defaultNav} from './nav.js'
import {faviconOf} from './favicon.js'
import {scanSite} from './scan.js'
import {includeFolders, includeTexts, layoutFolders, listThemeStatics} from './theme-files.js'
import type {LayoutContext} from './wrap.js'
import {lockPath, readLock} from '../images/lock-file.js'
import type {ImageVariant} from '../images/variants.js'

/** A whole site rendered: what a build wrote, or what the preview serves from memory. */
export interface SiteRender {
  /** False when any error was reported. */
  readonly ok: boolean
  /** Every file that was processed or has messages. */
  readonly files: readonly VFile[]
  /** Posts, newest first. */
  readonly posts: readonly Post[]
  /** Output paths and sources made anew in this run (the rest came from the cache). */
  readonly rendered: readonly string[]
  /** Bodies rendered in this run, and taken from the cache. */
  readonly bodies: {readonly rendered: number; readonly reused: number}
  /** Every output path of the site, made, kept or deferred. */
  readonly paths: readonly string[]
  /** Files copied as they are: output path → absolute source file. */
  readonly copies: ReadonlyMap<string, string>
  /**
   * Pages whose inputs changed but which nobody is looking at, left to render
   * on first request (only in preview rebuilds, which pass a hint): output
   * path → render. `galley build` never defers.
   */
  readonly deferred: ReadonlyMap<string, () => Promise<string | Uint8Array | undefined>>
  /** How long each stage took, in milliseconds, in order. */
  readonly timings: ReadonlyArray<readonly [string, number]>
}

export interface RenderSiteOptions {
  /** Where outputs go: the build's staged output folder, or the preview's memory. */
  readonly sink: OutputSink
  /** Renders the bodies (a pool of worker threads, or this thread); default: this thread. */
  readonly pool?: RenderPool | undefined
  /** What the preview's watcher saw change (the preview defers pages nobody is looking at). */
  readonly hint?: RebuildHint | undefined
  /** Galley's version, part of every cache key. */
  readonly version: string
  /** Told when each stage starts, and as bodies are rendered; for a progress line (the CLI draws it). */
  readonly progress?: BuildProgress | undefined
}

/**
 * Where a build is: `stage` is `scan`, `resolve`, `render` or `write`; `done`
 * of `total` items (posts and pages, or output files), `total` 0 when not counted.
 */
export type BuildProgress = (stage: 'scan' | 'resolve' | 'render' | 'write', done: number, total: number) => void

/** Bumped when rendering changes in a way the inputs do not show (a plugin's output), so cached bodies are redone. */
const RENDER_FORMAT = '9'

/**
 * Render the site described by `config`, stage by stage — scan, resolve
 * every document, render the bodies (on the pool), build the site model, run
 * the emitters, make or keep each output — into `options.sink`.
 *
 * The cache is a layer around the stages: the documents, bodies and outputs
 * whose inputs are unchanged come from `cache`, and what is made is stored
 * back in it.
 *
 * A source folder that cannot be listed (a file that cannot be read is
 * reported where it is read) fails the render with an error on that folder.
 */
export async function renderSite(config: SiteConfig, cache: BuildCache, options: RenderSiteOptions): Promise<SiteRender> {
  try {
    return await renderStages(config, cache, options)
  } catch (error) {
    if (!(error instanceof SourceReadError)) throw error
    const file = new VFile({path: error.relative === '' ? config.source : error.relative, cwd: config.source})
    report(file, {reason: error.message, ruleId: 'read', severity: 'error', place: {line: 1, column: 1}, cause: error})
    return {ok: false, files: [file], posts: [], rendered: [], bodies: {rendered: 0, reused: 0}, paths: [], copies: new Map(), deferred: new Map(), timings: []}
  }
}

async function renderStages(config: SiteConfig, cache: BuildCache, options: RenderSiteOptions): Promise<SiteRender> {
  const {hint, sink} = options
  const pool = options.pool ?? createRenderPool({workers: 1})
  const registry = createFileRegistry(config.source)
  const configFile = registry.get(path.join(config.source, config.configFile ?? 'site.yml'))
  const rendered: string[] = []
  const timings: Array<[string, number]> = []
  let mark = performance.now()
  const lap = (stage: string) => {
    const now = performance.now()
    timings.push([stage, Math.round(now - mark)])
    mark = now
  }

  const progress = options.progress ?? (() => undefined)
  progress('scan', 0, 0)

  // 1. Scan: the folder is listed again unless the watcher saw only changes to existing files.
  const reader = createSourceReader(config.source)
  const configKey = hashOf(cacheKeyOf(config), options.version)
  const reuseScan = hint !== undefined && !hint.structural && cache.scan?.key === configKey
  const scanned = reuseScan && cache.scan ? cache.scan.files : await scanSite(config, reader)
  const themeStatics = new Map(reuseScan && cache.scan ? cache.scan.theme : await listThemeStatics(config))
  if (hint) cache.scan = {key: configKey, files: scanned, theme: themeStatics}

  lap('scan')
  progress('resolve', 0, 0)

  // 2. Resolve every document (front matter, dates, permalinks), from the cache while its file is unchanged.
  const changed = new Set(hint?.changed ?? [])
  const documents = await resolveDocuments(config, scanned, reader, {
    texts: cache.texts,
    configKey,
    trusted: (source) => hint !== undefined && !changed.has(source),
    keepTexts: cache.keepTexts,
    onRead: () => {
      cache.touched = true
    }
  })
  const siteData = await readSiteData(reader, config.dirs.data)
  const lockAbsolute = lockPath(config.source, config.dirs.data)
  const lockFile = registry.get(lockAbsolute)
  const lock = config.markdown.images.remote === 'mirror' ? readLock(lockAbsolute, lockFile) : new Map()
  const statics = [...scanned.statics, ...documents.plain].sort()
  const published = documents.docs.filter((doc) => isVisible(doc, config))
  const posts = published.filter((doc) => doc.kind === 'post').sort(byDateDescending)
  const pages = published.filter((doc) => doc.kind === 'page')
  // Jekyll collections' documents: all rendered (`site.docs` shows them), written only when the collection has `output: true`.
  const collected = published.filter((doc) => doc.kind === 'document')
  const written = published.filter(isWritten)
  const bibliographies = await readBibliographies({site: config.site, configFile, configPath: config.configFile, reader, docs: published})
  const copies = new Map<string, string>([
    ...themeStatics,
    ...statics.map((file) => [file, path.join(config.source, file)] as const),
    ...collectionStaticCopies(config, documents.collectionStatics).map(([outputPath, file]) => [outputPath, path.join(config.source, file)] as const)
  ])
  checkUrlClashes([...posts, ...pages, ...collected.filter(isWritten)], copies)

  // What a body may refer to: every file and document by its source path.
  // A collection's static file is named by its source path (`_docs/a.png`), as `{% link %}` names it.
  const collectionFiles = collectionStaticCopies(config, documents.collectionStatics).map(([outputPath, file]) => [file, '/' + outputPath] as const)
  const fileUrls = new Map<string, string>([...[...copies.keys()].map((file) => [file, '/' + file] as const), ...collectionFiles, ...written.map((doc) => [doc.source, doc.url] as const)])
  // Liquid tokens name files by absolute path: map them back to the post's own VFile, or a layout/include file.
  const docFiles = new Map(documents.docs.map((doc) => [path.join(config.source, doc.source), doc.file]))
  const fileFor = (absolute: string): VFile => docFiles.get(absolute) ?? registry.get(absolute)
  const layouts = await loadLayouts(layoutFolders(config), registry)
  // The Liquid engine (and the markdown it renders for `markdownify`) is loaded the first time a page or a body
  // needs it, and the layouts are parsed then: a build that makes no page loads neither.
  let engine: Promise<Liquid> | undefined
  const liquid = (): Promise<Liquid> =>
    (engine ??= (async () => {
      const [{createLiquid}, {createMarkdownify}] = await Promise.all([import('../layout/liquid.js'), import('../markdown/markdownify.js')])
      const made = createLiquid({
        warn(token, reason, ruleId) {
          const [line = 1, column = 1] = token.getPosition()
          report(token.file ? fileFor(token.file) : configFile, {reason, ruleId, severity: 'warning', place: {line, column}})
        },
        nameOf: (absolute) => fileFor(absolute).path,
        includes: includeFolders(config),
        baseurl: config.baseurl,
        url: config.url,
        markdownify: createMarkdownify(),
        settings: config.liquid,
        postUrls: new Map(posts.map((post) => [path.posix.basename(post.source).replace(/\.[^.]+$/, ''), withBase(config.baseurl, post.url)])),
        fileUrls: new Map([...fileUrls].map(([file, url]) => [file, withBase(config.baseurl, url)]))
      })
      parseLayouts(made, layouts, registry)
      return made
    })())

  lap('resolve documents and layouts')

  // What every page may read of the whole site: its metadata, the config, the data, the file list.
  const siteKey = hashOf(configKey, JSON.stringify(siteData.data), [...copies.keys()].join('\n'), ...published.map((doc) => metaOf(cache, doc)))

  // What rendering a body depends on, as plain data for the workers.
  // Everything in the settings but the file tables, which each cached body checks lookup by lookup.
  // Mirrored remote images: those whose copy is in the site, and those the lock file lists without one.
  const mirrored: Array<[string, string]> = []
  const missingRemote: string[] = []
  for (const [url, entry] of lock) (copies.has(entry.file) ? mirrored.push([url, '/' + entry.file]) : missingRemote.push(url))
  const remoteImages = {mirrored, missing: missingRemote}
  const settingsKey = hashOf(JSON.stringify([config.baseurl, config.url, config.excerptSeparator, config.markdown, remoteImages]), options.version, RENDER_FORMAT)
  const textKey = (doc: Post) => cache.texts.get(doc.source)?.hash ?? hashOf(JSON.stringify(doc.data))
  // A post with a comparison block is keyed by the model data as well, and only such a post: an edit of
  // models.yml re-renders exactly those.
  const modelsKey = siteData.models?.hash ?? 'no models'
  // Likewise a post that may cite (an `@`, a `<d-cite>`) is keyed by the bibliographies.
  const plainKey = (doc: Post) => {
    const entry = cache.texts.get(doc.source)
    return hashOf(textKey(doc), doc.url, (entry?.usesModels ?? true) ? modelsKey : '', (entry?.usesCitations ?? true) ? bibliographies.hash : '')
  }
  const settings: RenderSettings = {
    baseurl: config.baseurl,
    url: config.url,
    excerptSeparator: config.excerptSeparator,
    markdown: config.markdown,
    files: [...fileUrls],
    images: [...copies].map(([file, absolute]) => ['/' + file, absolute] as const),
    models: siteData.models?.models ?? [],
    citations: bibliographies.library,
    remoteImages
  }

  // 3. The site model, before bodies: every document's view, then `site` around them. A document whose body
  // needs no Liquid and whose cached rendering is still valid keeps its view from the last run.
  const viewOptions = {siteAuthor: config.site.author, listings: config.listings, socialCards: config.socialCards}
  const stamps = new Map<string, string>()
  const stampOnce = (file: string) => stamps.get(file) ?? stamps.set(file, stampOf(file)).get(file) as string
  const reusedViews = new Set<Post>()
  const views = new Map<Post, LiquidPage>()
  for (const doc of published) {
    const cached = doc.liquid ? undefined : cachedBody({cache, settingsKey, files: fileUrls, stampOf: stampOnce}, {slot: doc.source, key: plainKey(doc)})
    if (cached) reusedViews.add(doc)
    views.set(doc, cached?.view ?? toLiquidPage(doc, cached?.rendering, viewOptions))
  }
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
    copyright_years: copyrightYears(posts, config),
    nav_links: (config.nav ?? defaultNav({archive: config.listings.archive, tags: config.listings.tags, about: pages.find((page) => page.url === '/about/' || page.url === '/about.html')?.url})),
    search_enabled: config.search,
    favicon: faviconOf(copies),
    static_files: [...copies.keys()].map((file) => ({path: '/' + file, name: path.posix.basename(file), extname: path.posix.extname(file)})),
    ...(config.collections.length > 0 ? collectionScope(config, collected, views, postViews, documents.collectionStatics) : {})
  }
  const indexDoc = pages.find((page) => page.url === '/')
  const indexPages = config.paginate.perPage > 0 ? paginate(postViews, config.paginate.perPage, '/', config.paginate.path) : []

  lap('site model')

  // 4. Bodies: Liquid (on this thread), then markdown (on the pool), from the cache when nothing they depend on changed.
  const bodyContext: BodyStageContext = {
    cache,
    pool,
    settings,
    settingsKey,
    files: fileUrls,
    stampOf: stampOnce,
    source: config.source,
    liquid,
    site,
    fileFor,
    body: (doc) => documents.body(doc),
    sizeOf: (doc) => Number(cache.texts.get(doc.source)?.stamp.split(':')[1]) || 0,
    // Index pages after the first render their bodies later, while emitting; they are not counted.
    onBody: () => {
      if (bodiesDone < published.length) progress('render', ++bodiesDone, published.length)
    }
  }
  let bodiesDone = 0
  progress('render', 0, published.length)
  const viewKeys = new Map<object, string>()
  // The encoded image copies every rendered body offers (index pages after the first add theirs while emitting).
  const imageVariants = new Map<string, ImageVariant>()
  let contentKey = ''
  const request = (doc: Post, view: LiquidPage, extra: Record<string, unknown>, slot: string): BodyRequest => ({
    doc,
    slot,
    // A body with Liquid may show anything of the site: it is keyed by all of it (and by the time, if it prints it).
    key: doc.liquid
      ? hashOf(textKey(doc), doc.url, siteKey, contentKey, fingerprint(extra, viewKeys), textReadsTimeOf(cache, doc) ? String(config.now) : '')
      : plainKey(doc),
    view,
    extra,
    liquid: doc.liquid
  })
  const afterRender = (doc: Post, slot: string, outcome: BodyOutcome) => {
    for (const variant of outcome.rendering?.imageVariants ?? []) imageVariants.set(variant.path, variant)
    if (outcome.fresh) rendered.push(doc.source)
    const entry = cache.renders.get(slot)
    if (outcome.fresh && entry && slot === doc.source && !doc.liquid) entry.view = views.get(doc)
  }
  // Bodies without Liquid first, together; then those with it, which may show the others' content (an index page
  // listing excerpts, as Jekyll renders posts before pages), keyed by all of it.
  const renderKeys = new Map<Post, string>()
  let reusedBodies = 0
  let renderedBodies = 0
  for (const withLiquid of [false, true]) {
    if (withLiquid) contentKey = hashOf(...published.filter((doc) => !doc.liquid).map((doc) => renderKeys.get(doc) ?? ''))
    const batch = published.filter((doc) => doc.liquid === withLiquid)
    const firstIndexScope = (doc: Post) => (doc === indexDoc && indexPages[0] ? {paginator: indexPages[0].paginator} : {})
    const outcomes = await renderBodies(bodyContext, batch.map((doc) => request(doc, views.get(doc) as LiquidPage, firstIndexScope(doc), doc.source)))
    for (const [index, doc] of batch.entries()) {
      const outcome = outcomes[index] as BodyOutcome
      if (outcome.fresh) renderedBodies++
      else reusedBodies++
      renderKeys.set(doc, outcome.hash)
      const view = views.get(doc) as LiquidPage
      if (outcome.rendering && !reusedViews.has(doc)) refillView(view, toLiquidPage(doc, outcome.rendering, viewOptions))
      afterRender(doc, doc.source, outcome)
    }
  }
  // "Cite this post" (`citation: true`): made from the post's resolved title, authors, date and URL.
  for (const post of posts) {
    const view = views.get(post) as LiquidPage
    const cite = citeThisPost(post, config.site, config.url === '' ? '' : config.url + withBase(config.baseurl, post.url))
    if (cite) view.cite_this = cite
    else delete view.cite_this
  }
  const neighbour = (other: unknown) => (other ? JSON.stringify([(other as LiquidPage).url, (other as LiquidPage).title]) : '')
  for (const doc of published) {
    const view = views.get(doc) as LiquidPage
    // Plain concatenation, not a hash: it only ever goes into a page's fingerprint, which is hashed.
    viewKeys.set(view, `${renderKeys.get(doc) ?? ''}|${neighbour(view.next)}|${neighbour(view.previous)}`)
  }

  lap('render bodies')

  // The models each post discusses (its figures, its front matter, its text): listed under the post, and on each model's page.
  const modelList = siteData.models?.models ?? []
  const discussed = discussedModels(posts, views, modelList, {
    pages: layouts.get('model') !== undefined,
    keyOf: (post) => `${renderKeys.get(post) ?? ''}|${modelsKey}`,
    memo: (post) => cache.renders.get(post.source)
  })

  // 5. Emit the site's outputs from the model, then make, keep or defer each one.
  const model: SiteModel = {config, published, posts, views, postViews, site, copies, indexDoc, indexPages, models: modelList, discussed, imageVariants}
  const layoutContext: LayoutContext = {liquid, layouts, registry, site}
  const ownPaths = new Set(written.map((doc) => doc.outputPath))
  const keys = createPageKeys({siteKey, layouts, includeTexts: await includeTexts(config), postViews, viewKeys, now: config.now})
  const emitted: Output[] = []
  const context: EmitContext = {
    keys,
    layouts: layoutContext,
    viewOptions,
    configFile,
    generatedOwner: registry.get(path.join(config.source, 'index.html')),
    taken: (outputPath) => ownPaths.has(outputPath) || copies.has(outputPath),
    async renderIndexBody(view, extra, slot) {
      if (!indexDoc) return undefined
      const [outcome] = await renderBodies(bodyContext, [request(indexDoc, view, extra, slot)])
      if (outcome) afterRender(indexDoc, slot, outcome)
      return outcome?.rendering
    },
    get emitted() {
      return emitted.map((output) => output.path)
    }
  }
  for (const emitter of emitters(options.version)) emitted.push(...(await emitter.emit(model, context)))
  // KaTeX's stylesheet and fonts, only when a page has math.
  if (published.some((doc) => views.get(doc)?.math === true)) for (const asset of katexAssets()) if (!context.taken(asset.to)) copies.set(asset.to, asset.from)

  // In a preview rebuild, only the pages of the files that changed are made before the browser reloads;
  // other pages whose inputs changed (listings, neighbours, every page after a layout edit) are made when requested.
  const eagerPaths = new Set(published.filter((doc) => changed.has(doc.source)).map((doc) => doc.outputPath))
  const copyList: Copy[] = [...copies].filter(([outputPath]) => !emitted.some((output) => output.path === outputPath)).map(([outputPath, from]) => ({path: outputPath, from, key: copyKey(from)}))
  lap('emit')
  progress('write', 0, emitted.length + copyList.length)
  const result = await runOutputs(emitted, copyList, {sink, eager: hint ? (outputPath) => eagerPaths.has(outputPath) : undefined})
  rendered.push(...result.made)
  lap('layouts and outputs')

  const files = [...new Set([...registry.all(), ...documents.files, ...siteData.files, ...bibliographies.files])]
  return {
    ok: !hasErrors(files),
    files,
    posts,
    rendered,
    bodies: {rendered: renderedBodies, reused: reusedBodies},
    paths: [...emitted.map((output) => output.path), ...copyList.map((copy) => copy.path)],
    copies,
    deferred: result.deferred,
    timings
  }
}

/** A document's metadata as the site sees it, serialised once per resolved version. */
function metaOf(cache: BuildCache, doc: Post): string {
  const resolved = cache.texts.get(doc.source)?.resolved
  if (resolved?.doc === doc && resolved.meta !== undefined) return resolved.meta
  const meta = JSON.stringify([doc.source, doc.url, doc.title, doc.date, doc.data])
  if (resolved?.doc === doc) resolved.meta = meta
  return meta
}

/** Whether a Liquid body prints the build time; read from its text, which the cache may no longer hold (then: assume it does). */
function textReadsTimeOf(cache: BuildCache, doc: Post): boolean {
  const text = cache.texts.get(doc.source)?.matter?.body
  return text === undefined ? true : textReadsTime(text)
}

/** `2019–2024`: the years of the posts, for the footer's copyright line; the build's year when there are none. */
function copyrightYears(posts: readonly Post[], config: SiteConfig): string {
  const years = posts.map((post) => post.date?.wall().year).filter((year): year is number => year !== undefined)
  if (years.length === 0) return String(nowIn(config.now, {timezone: config.timezone}).wall().year)
  const first = Math.min(...years)
  const last = Math.max(...years)
  return first === last ? String(first) : `${first}–${last}`
}

/** A copied file's key: its own stamp, so a changed image is copied again. */
function copyKey(from: string): string {
  return 'copy:' + stampOf(from)
}
