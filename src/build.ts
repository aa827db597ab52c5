import path from 'node:path'
import type {Liquid} from 'liquidjs'
import {VFile} from 'vfile'
import {loadConfig, type ConfigOverrides, type SiteConfig} from './config.js'
import {readFrontMatter} from './content/front-matter.js'
import {keyPlace, toPage, toPost, type Post} from './content/post.js'
import {nowIn} from './content/dates.js'
import {createFileRegistry, reportLiquidError, type FileRegistry} from './layout/liquid-errors.js'
import {createLiquid} from './layout/liquid.js'
import {layoutChain, loadLayouts, renderLayout, type LayoutSet} from './layout/layouts.js'
import {createMarkdownify} from './markdown/markdownify.js'
import type {Excerpt} from './markdown/data.js'
import {htmlToText} from './content/title.js'
import {createRenderer, type Renderer} from './markdown/pipeline.js'
import {createDimensionReader, type Dimensions} from './markdown/rehype-images.js'
import {createCodeHighlighter} from './markdown/rehype-highlight-code.js'
import {katexAssets} from './markdown/math.js'
import {resolveReference} from './markdown/rehype-local-assets.js'
import {withBase} from './markdown/rehype-base-url.js'
import {createSourceReader, createStagedWriter, isReplaceableOutput, type OutputWriter} from './io.js'
import {hasErrors, report} from './report.js'
import {readSiteData} from './site/data-files.js'
import {scanSite, type SiteFiles} from './site/scan.js'
import {listingPages} from './site/listings.js'
import {paginate} from './site/paginate.js'
import {urlToOutputPath} from './content/permalink.js'
import {byDateDescending, groupBy, linkNeighbours, toLiquidPage, type LiquidPage, type Rendering} from './site/liquid-scope.js'

/** What a build did: every file with its messages, and what was written. */
export interface BuildReport {
  /** False when any error was reported; nothing was written then. */
  readonly ok: boolean
  /** Every file that has messages or was processed, for reporting. */
  readonly files: readonly VFile[]
  /** Output paths written (relative to the output folder), sorted. */
  readonly written: readonly string[]
  readonly config: SiteConfig | undefined
  /** Posts in the site, newest first. */
  readonly posts: readonly Post[]
}

/** Load the config for `overrides`, then build. The whole of `galley build`, minus printing. */
export async function buildSite(overrides: ConfigOverrides): Promise<BuildReport> {
  const loaded = loadConfig(overrides)
  if (!loaded.config) return {ok: false, files: [loaded.file], written: [], config: undefined, posts: []}
  const result = await build(loaded.config)
  return {...result, files: [loaded.file, ...result.files]}
}

/**
 * Build the site described by `config` into `config.out`. Stages run in
 * order — scan, resolve every document, render bodies, build the site model,
 * apply layouts — and only when no error was reported anywhere is the
 * staged output swapped into place. No console, no process: the caller
 * reports.
 */
export async function build(config: SiteConfig): Promise<BuildReport> {
  const registry = createFileRegistry(config.source)
  const configFile = registry.get(path.join(config.source, config.configFile ?? 'site.yml'))
  if (!(await isReplaceableOutput(config.out))) {
    report(configFile, {
      reason: `the output folder ${config.out} holds files galley did not write; refusing to replace it (empty it or pick another --out)`,
      ruleId: 'output',
      severity: 'error'
    })
    return {ok: false, files: registry.all(), written: [], config, posts: []}
  }

  const reader = createSourceReader(config.source)
  const scanned = await scanSite(config, reader)
  const themeStatics = await listThemeStatics(config)
  const documents = await resolveDocuments(config, scanned, reader)
  const siteData = await readSiteData(reader, config.dirs.data)
  const statics = [...scanned.statics, ...documents.plain].sort()
  const allFiles = [...registry.all(), ...documents.files, ...siteData.files]

  const published = documents.docs.filter((doc) => isVisible(doc, config))
  const posts = published.filter((doc) => doc.kind === 'post').sort(byDateDescending)
  const pages = published.filter((doc) => doc.kind === 'page')
  const staticFiles = new Map<string, string>([...themeStatics.keys(), ...statics].map((file) => [file, '/' + file]))
  checkUrlClashes([...posts, ...pages], staticFiles)

  const fileUrls = new Map<string, string>([...staticFiles, ...published.map((doc) => [doc.source, doc.url] as const)])
  const filesByUrl = new Map<string, string>([
    ...[...themeStatics].map(([file, absolute]) => ['/' + file, absolute] as const),
    ...statics.map((file) => ['/' + file, path.join(config.source, file)] as const)
  ])
  const readDimensions = createDimensionReader((url) => filesByUrl.get(safeDecode(url)))
  const highlighter = createCodeHighlighter()
  const renderer = createRenderer({
    baseurl: config.baseurl,
    url: config.url,
    excerptSeparator: config.excerptSeparator,
    files: fileUrls,
    settings: config.markdown,
    readDimensions,
    highlighter,
    codeCache: new Map()
  })
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

  // The site model: every document's Liquid view, then `site` around them.
  const viewOptions = {siteAuthor: config.site.author, listings: config.listings}
  const views = new Map<Post, LiquidPage>(published.map((doc) => [doc, toLiquidPage(doc, undefined, viewOptions)]))
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
    static_files: [...staticFiles.keys()].map((file) => ({path: '/' + file, name: path.posix.basename(file), extname: path.posix.extname(file)}))
  }

  // Pagination of the index: the site's own index page, or the theme's home.
  const indexDoc = pages.find((page) => page.url === '/')
  const indexPages = config.paginate.perPage > 0 ? paginate(postViews, config.paginate.perPage, '/', config.paginate.path) : []

  // Render every body (Liquid, then markdown), filling the views in place.
  const renderContext = {liquid, renderer, fileFor, markdownify, readDimensions, site, files: fileUrls, source: config.source}
  for (const doc of published) {
    const view = views.get(doc) as LiquidPage
    const extra = doc === indexDoc && indexPages[0] ? {paginator: indexPages[0].paginator} : {}
    const rendering = await renderBody(doc, {...renderContext, view, extra})
    if (rendering) Object.assign(view, toLiquidPage(doc, rendering, viewOptions), {next: view.next, previous: view.previous})
  }

  const layoutContext = {liquid, layouts, registry, site}
  const outputs = new Map<string, string>()
  for (const doc of published) {
    const view = views.get(doc) as LiquidPage
    const extra = doc === indexDoc && indexPages[0] ? {paginator: indexPages[0].paginator} : {}
    const html = await applyLayouts(doc, view, layoutContext, extra)
    if (html !== undefined) outputs.set(doc.outputPath, html)
  }

  // Pages Galley makes: index pages, listings, not-found. A document or file of the site's own at the same path wins.
  const taken = (outputPath: string) => outputs.has(outputPath) || staticFiles.has(outputPath)
  const ownerFile = registry.get(path.join(config.source, 'index.html'))
  for (const {url, paginator} of indexDoc ? indexPages.slice(1) : indexPages.length > 0 ? indexPages : [{url: '/', paginator: undefined}]) {
    const outputPath = outputPathOf(url)
    if (taken(outputPath)) continue
    const extra = paginator ? {paginator} : {}
    let html: string | undefined
    if (indexDoc) {
      const view = {...(views.get(indexDoc) as LiquidPage), url}
      const rendering = await renderBody(indexDoc, {...renderContext, view, extra})
      if (rendering) html = await applyLayouts(indexDoc, Object.assign(view, toLiquidPage(indexDoc, rendering, viewOptions), {url}), layoutContext, extra)
    } else {
      const page: LiquidPage = {title: String(config.site.title ?? ''), title_html: '', url, layout: 'home', content: ''}
      html = await wrap('', 'home', {page, ...extra}, ownerFile, layoutContext)
    }
    if (html !== undefined) outputs.set(outputPath, html)
  }
  const generated = [...listingPages(postViews, config.listings), {url: '/404.html', layouts: ['404'], page: {title: 'Page not found', title_html: 'Page not found', url: '/404.html', layout: '404'}}]
  for (const listing of generated) {
    const outputPath = outputPathOf(listing.url)
    const layout = listing.layouts.find((name) => layouts.get(name))
    if (taken(outputPath) || layout === undefined) continue
    const html = await wrap('', layout, {page: listing.page}, ownerFile, layoutContext)
    if (html !== undefined) outputs.set(outputPath, html)
  }

  const files = [...new Set([...allFiles, ...registry.all()])]
  if (hasErrors(files)) return {ok: false, files, written: [], config, posts}

  // Theme assets made at build time: code colours always, KaTeX only when a page has math.
  const generatedAssets = new Map<string, string>()
  if (!taken('assets/css/code.css')) outputs.set('assets/css/code.css', await highlighter.stylesheet())
  // GitHub Pages would run Jekyll over the output otherwise (and drop `_`-prefixed files).
  if (!taken('.nojekyll')) outputs.set('.nojekyll', '')
  if (published.some((doc) => views.get(doc)?.math === true)) for (const asset of katexAssets()) if (!taken(asset.to)) generatedAssets.set(asset.to, asset.from)

  const writer = await createStagedWriter(config.out)
  try {
    const written = await writeOutputs(writer, config, outputs, statics, new Map([...themeStatics, ...generatedAssets]))
    await writer.commit()
    return {ok: true, files, written, config, posts}
  } catch (error) {
    await writer.abort()
    throw error
  }
}

interface Resolved {
  readonly docs: Post[]
  readonly files: VFile[]
  /** Page candidates without front matter: static files after all. */
  readonly plain: string[]
}

/** Read every post, draft and page candidate and resolve it to a Post; problems stay on each file. */
async function resolveDocuments(config: SiteConfig, scanned: SiteFiles, reader: ReturnType<typeof createSourceReader>): Promise<Resolved> {
  const docs: Post[] = []
  const files: VFile[] = []
  const plain: string[] = []
  const dateOptions = {timezone: config.timezone}
  const groups: Array<[readonly string[], 'post' | 'draft' | 'page']> = [
    [scanned.posts, 'post'],
    [scanned.drafts, 'draft'],
    [scanned.pageCandidates, 'page']
  ]
  for (const [sources, kind] of groups) {
    for (const source of sources) {
      const buffer = await reader.read(source)
      const text = buffer.toString('utf8').replace(/^\uFEFF/, '')
      if (kind === 'page' && !/^---\s*\r?\n/.test(text)) {
        plain.push(source)
        continue
      }
      const file = new VFile({path: source, cwd: config.source, value: text})
      files.push(file)
      try {
        const matter = readFrontMatter(file)
        const doc =
          kind === 'page'
            ? toPage(file, source, matter, dateOptions)
            : toPost(file, source, matter, {...dateOptions, permalink: config.permalink, now: config.now, draft: kind === 'draft'})
        if (doc) docs.push(doc)
      } catch (error) {
        if (!file.messages.includes(error as never)) report(file, {reason: `cannot read this file: ${String(error)}`, ruleId: 'read', severity: 'error', cause: error})
      }
    }
  }
  return {docs, files, plain}
}

function isVisible(doc: Post, config: SiteConfig): boolean {
  if (!doc.published) return false
  if (doc.kind === 'post' && !config.future && doc.date && doc.date.getTime() > config.now) return false
  return true
}

/** Two documents (or a document and a static file) that would write the same output file: an error naming both. */
function checkUrlClashes(docs: readonly Post[], statics: ReadonlyMap<string, string>): void {
  const owners = new Map<string, Post>()
  for (const doc of docs) {
    const other = owners.get(doc.outputPath)
    if (other) {
      for (const [file, them] of [[doc, other], [other, doc]] as const) {
        report(file.file, {
          reason: `${file.source} and ${them.source} both want the URL ${doc.url}`,
          ruleId: 'url-clash',
          severity: 'error',
          place: keyPlace(file, 'permalink')
        })
      }
    } else owners.set(doc.outputPath, doc)
    if (statics.has(doc.outputPath)) {
      report(doc.file, {reason: `${doc.source} would overwrite the file ${doc.outputPath} at URL ${doc.url}`, ruleId: 'url-clash', severity: 'error', place: {line: 1, column: 1}})
    }
  }
}

interface RenderContext {
  readonly liquid: Liquid
  readonly renderer: Renderer
  readonly fileFor: (absolute: string) => VFile
  readonly markdownify: (markdown: string) => string
  readonly readDimensions: (src: string) => Dimensions | undefined
  readonly source: string
  readonly site: Record<string, unknown>
  readonly view: LiquidPage
  /** More top-level Liquid variables (the index's `paginator`). */
  readonly extra: Record<string, unknown>
  readonly files: ReadonlyMap<string, string>
}

/** Liquid (when the body uses it), then markdown or HTML; plus the resolved hero image. */
async function renderBody(doc: Post, context: RenderContext): Promise<Rendering | undefined> {
  let body = doc.body
  if (doc.data.render_with_liquid !== false && /\{[{%]/.test(body)) {
    try {
      const templates = context.liquid.parse(body, path.join(context.source, doc.source))
      body = await context.liquid.render(templates, {site: context.site, page: context.view, ...context.extra})
    } catch (error) {
      reportLiquidError(error, doc.file, context.fileFor)
      return undefined
    }
  }
  const image = heroImage(doc, context.files)
  const imageSize = image?.startsWith('/') ? context.readDimensions(image) : undefined
  if (doc.format === 'text') return {html: body, excerpt: {html: '', text: '', marked: false}, image, imageSize}
  const file = new VFile({path: doc.source, cwd: doc.file.cwd, value: body, data: {matter: doc.data}})
  const rendered = await context.renderer.render(file, doc.format)
  doc.file.messages.push(...file.messages)
  return {
    html: rendered.html,
    excerpt: ownExcerpt(doc, context.markdownify) ?? file.data.excerpt ?? {html: '', text: '', marked: false},
    image,
    imageSize,
    math: file.data.math === true
  }
}

/** An `excerpt:` written in the front matter (markdown) wins over the one cut from the body. */
function ownExcerpt(doc: Post, markdownify: (markdown: string) => string): Excerpt | undefined {
  const excerpt = doc.data.excerpt
  if (typeof excerpt !== 'string' || excerpt.trim() === '') return undefined
  const html = markdownify(excerpt)
  return {html, text: htmlToText(html), marked: true}
}

/** Resolve front-matter `image` like a body reference; warn at its line when no file matches. */
function heroImage(doc: Post, files: ReadonlyMap<string, string>): string | undefined {
  const image = doc.data.image
  if (typeof image !== 'string' || image === '') return undefined
  if (/^[a-z][a-z\d+.-]*:|^\/\//i.test(image)) return image
  if (image.startsWith('/')) {
    if (!files.has(image.slice(1).split(/[?#]/)[0] ?? '')) warnMissing(doc, image)
    return image
  }
  const found = resolveReference(files, path.posix.dirname(doc.source), image)
  if (found) return found.url
  warnMissing(doc, image)
  return image
}

function warnMissing(doc: Post, image: string): void {
  report(doc.file, {
    reason: `image \`${image}\` matches no file (looked beside ${doc.source} and in the site root)`,
    ruleId: 'missing-asset',
    severity: 'warning',
    place: keyPlace(doc, 'image')
  })
}

interface LayoutContext {
  readonly liquid: Liquid
  readonly layouts: LayoutSet
  readonly registry: FileRegistry
  readonly site: Record<string, unknown>
}

/**
 * Wrap a document's HTML in its layout chain. A missing layout is a warning
 * (posts fall back to `post`, pages to `default`, as Jekyll warns and goes
 * on); a Liquid error is reported on the layout file at its line.
 */
async function applyLayouts(doc: Post, view: LiquidPage, context: LayoutContext, extra: Record<string, unknown> = {}): Promise<string | undefined> {
  let name = doc.layout === null ? undefined : (doc.layout ?? defaultLayout(doc))
  if (name !== undefined && !context.layouts.get(name)) {
    const wanted: string = name
    const fallback = doc.kind === 'post' ? 'post' : 'default'
    name = context.layouts.get(fallback) && fallback !== wanted ? fallback : undefined
    report(doc.file, {
      reason: `layout "${wanted}" not found in ${context.layouts.folders.join(', ')}; ${name ? `using "${name}"` : 'the page is written without a layout'}`,
      ruleId: 'layout',
      severity: 'warning',
      place: keyPlace(doc, 'layout')
    })
  }
  return wrap(String(view.content ?? ''), name, {page: view, ...extra}, doc.file, context)
}

async function wrap(content: string, name: string | undefined, scope: {page: LiquidPage} & Record<string, unknown>, owner: VFile, context: LayoutContext): Promise<string | undefined> {
  let html = content
  for (const layout of name === undefined ? [] : layoutChain(context.layouts, name)) {
    try {
      html = await renderLayout(context.liquid, layout, {...scope, site: context.site, content: html})
    } catch (error) {
      reportLiquidError(error, layout.file, context.registry.get, `while applying layout "${layout.name}" to ${owner.path}`)
      return undefined
    }
  }
  return html
}

function defaultLayout(doc: Post): string | undefined {
  if (doc.kind === 'post') return 'post'
  return doc.format === 'markdown' ? 'page' : undefined
}

/** The output file for a URL Galley itself chose (always valid). */
function outputPathOf(url: string): string {
  const placed = urlToOutputPath(url)
  if (!placed.ok) throw new Error(placed.reason)
  return placed.outputPath
}

async function writeOutputs(writer: OutputWriter, config: SiteConfig, outputs: ReadonlyMap<string, string>, statics: readonly string[], themeStatics: ReadonlyMap<string, string>): Promise<string[]> {
  const written: string[] = []
  for (const [relative, absolute] of themeStatics) {
    if (statics.includes(relative) || outputs.has(relative)) continue
    await writer.copy(absolute, relative)
    written.push(relative)
  }
  for (const relative of statics) {
    await writer.copy(path.join(config.source, relative), relative)
    written.push(relative)
  }
  for (const [relative, html] of outputs) {
    await writer.write(relative, html)
    written.push(relative)
  }
  return written.sort()
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

function layoutFolders(config: SiteConfig): string[] {
  const folders = config.dirs.layouts ? [path.join(config.source, config.dirs.layouts)] : []
  const theme = path.join(config.themeDir, 'layouts')
  return folders.includes(theme) ? folders : [...folders, theme]
}

function includeFolders(config: SiteConfig): string[] {
  const folders = config.dirs.includes ? [path.join(config.source, config.dirs.includes)] : []
  const theme = path.join(config.themeDir, 'layouts', 'includes')
  return folders.includes(theme) ? folders : [...folders, theme]
}


function safeDecode(url: string): string {
  try {
    return decodeURIComponent(url)
  } catch {
    return url
  }
}
