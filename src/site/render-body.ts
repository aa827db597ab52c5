import path from 'node:path'
import type {Liquid} from 'liquidjs'
import {VFile} from 'vfile'
import {keyPlace, type Post} from '../content/post.js'
import {htmlToText} from '../content/title.js'
import {reportLiquidError} from '../layout/liquid-errors.js'
import type {Excerpt} from '../markdown/data.js'
import type {Renderer} from '../markdown/pipeline.js'
import type {Dimensions} from '../markdown/rehype-images.js'
import {resolveReference} from '../markdown/rehype-local-assets.js'
import {report} from '../report.js'
import type {LiquidPage, Rendering} from './liquid-scope.js'

export interface RenderContext {
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
export async function renderBody(doc: Post, context: RenderContext): Promise<Rendering | undefined> {
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
