import {stampOf} from '../io.js'
import {VFile} from 'vfile'
import type {MarkdownSettings} from '../config.js'
import {htmlToText} from '../content/title.js'
import type {Excerpt, Heading} from '../markdown/data.js'
import {createMarkdownify} from '../markdown/markdownify.js'
import {createRenderer, type Renderer} from '../markdown/pipeline.js'
import {createDimensionReader, type Dimensions} from '../markdown/rehype-images.js'
import {createCodeHighlighter} from '../markdown/rehype-highlight-code.js'
import type {Element} from 'hast'
import type {Model} from '../markdown/compare/types.js'
import {safeDecode} from '../markdown/url-attributes.js'
import {RecordingMap} from './recording-map.js'
import {heroImage} from './hero-image.js'
import {toPlainMessage, type PlainMessage} from './messages.js'
import type {PaperMention} from '../markdown/papers/rehype-paper-references.js'
import type {CitationLibrary} from '../markdown/citations/library.js'
import type {ImageVariant} from '../images/variants.js'

/**
 * The worker boundary. Rendering a body is a pure function of plain data:
 * `(RenderSettings, BodyJob) → BodyResult`, the same whether it runs in a
 * worker thread, on the main thread or in a test. Nothing here may hold a
 * function, a class instance or a VFile: all of it is structured-cloned.
 */

/** The slice of the site that rendering depends on, shared by every body of one build. */
export interface RenderSettings {
  readonly baseurl: string
  /** The site's origin, so links to it count as internal. */
  readonly url: string
  readonly excerptSeparator: string
  readonly markdown: MarkdownSettings
  /** Source-relative path → URL (no baseurl) of every file a post may reference. */
  readonly files: ReadonlyArray<readonly [string, string]>
  /** URL (no baseurl) → absolute path of the local files whose image size may be read. */
  readonly images: ReadonlyArray<readonly [string, string]>
  /** The site's validated model data, for comparison blocks (not in the settings key: only posts with a block are keyed by it). */
  readonly models: readonly Model[]
  /** The site's bibliographies, parsed once on the main thread (not in the settings key: only posts that may cite are keyed by them). */
  readonly citations?: CitationLibrary | undefined
  /** Mirrored remote images (`data/remote-images.yml`): URL → copy's URL (no baseurl), and URLs whose copy is missing. */
  readonly remoteImages: {readonly mirrored: ReadonlyArray<readonly [string, string]>; readonly missing: readonly string[]}
}

/** One body to render: a document's text with its front matter blanked (and Liquid already applied). */
export interface BodyJob {
  /** Source-relative POSIX path, for messages and relative references. */
  readonly source: string
  /** The site folder (the VFile's cwd). */
  readonly cwd: string
  readonly format: 'markdown' | 'html' | 'text'
  readonly text: string
  /** Front matter as written (per-post switches, `image`, `excerpt`). */
  readonly matter: Readonly<Record<string, unknown>>
  /** Lines of the front-matter keys, for messages about them. */
  readonly keyLines: Readonly<Record<string, number>>
}

/** What the site needs from a rendered body, and what the result depended on besides its own text. */
export interface BodyResult {
  readonly html: string
  readonly excerpt: Excerpt
  /** The hero image URL (no baseurl), resolved from front-matter `image`. */
  readonly image: string | undefined
  readonly imageSize: Dimensions | undefined
  /** Whether the page has typeset math (the layout then links KaTeX's stylesheet). */
  readonly math: boolean
  /** Words of prose (code and math left out), for reading time. */
  readonly words: number
  readonly headings: readonly Heading[]
  /** Source-relative paths of local files the body refers to. */
  readonly assets: readonly string[]
  /** Every link to a paper, in document order (the papers index and JSON-LD `citation`). */
  readonly papers: readonly PaperMention[]
  /** Encoded copies of local images the body's `<picture>`s offer, for the build to make. */
  readonly imageVariants: readonly ImageVariant[]
  readonly messages: readonly PlainMessage[]
  readonly deps: BodyDeps
}

/**
 * What a result was computed from besides the job: every lookup in the site's
 * file table (key → URL found, or null), and every image whose size was read
 * (absolute path → its stamp). The result stays valid while each still holds.
 */
export interface BodyDeps {
  readonly files: ReadonlyArray<readonly [string, string | null]>
  readonly images: ReadonlyArray<readonly [string, string]>
}

export interface BodyRenderer {
  render(job: BodyJob): Promise<BodyResult>
}

const noExcerpt: Excerpt = Object.freeze({html: '', text: '', marked: false})

/** Highlighted blocks by content hash, for every renderer of this thread (a preview session renders many builds). */
const codeCache = new Map<string, Element>()

/** A renderer for one build's settings: one frozen processor, rendering one job at a time. */
export function createBodyRenderer(settings: RenderSettings): BodyRenderer {
  const files = new RecordingMap<string, string>(settings.files)
  const images = new Map(settings.images)
  const imageStamps = new Map<string, string>()
  const readImage = createDimensionReader((url) => {
    const file = images.get(safeDecode(url))
    if (file !== undefined) imageStamps.set(file, stampOf(file))
    return file
  })
  const mirrored = new Map(settings.remoteImages.mirrored)
  const remoteImages = {mirrored, missing: new Set(settings.remoteImages.missing)}
  const mirrorOf = (url: string | undefined) => (url === undefined || settings.markdown.images.remote === 'keep' ? url : (mirrored.get(url.startsWith('//') ? 'https:' + url : url) ?? url))
  let renderer: Renderer | undefined
  let markdownify: ((markdown: string) => string) | undefined
  const markdown = () =>
    (renderer ??= createRenderer({
      baseurl: settings.baseurl,
      url: settings.url,
      excerptSeparator: settings.excerptSeparator,
      files,
      settings: settings.markdown,
      models: settings.models,
      citations: settings.citations,
      remoteImages,
      readDimensions: readImage,
      highlighter: createCodeHighlighter(),
      codeCache
    }))

  return {
    async render(job) {
      imageStamps.clear()
      const {value, lookups} = await files.record(async () => {
        const file = new VFile({path: job.source, cwd: job.cwd, value: job.text, data: {matter: job.matter}})
        const hero = mirrorOf(heroImage(job, files, file))
        const imageSize = hero?.startsWith('/') ? readImage(hero) : undefined
        if (job.format === 'text') return {file, html: withoutLeadingLineBreaks(job.text), hero, imageSize}
        const {html} = await markdown().render(file, job.format)
        return {file, html, hero, imageSize}
      })
      const {file, html, hero, imageSize} = value
      const own = ownExcerpt(job.matter.excerpt, () => (markdownify ??= createMarkdownify()))
      return {
        html,
        excerpt: own ?? (job.format === 'text' ? noExcerpt : (file.data.excerpt ?? noExcerpt)),
        image: hero,
        imageSize,
        math: file.data.math === true,
        words: file.data.words ?? 0,
        headings: file.data.headings ?? [],
        assets: file.data.assets ?? [],
        papers: file.data.papers ?? [],
        imageVariants: file.data.imageVariants ?? [],
        messages: file.messages.map(toPlainMessage),
        deps: {files: lookups.map(([key, url]) => [key, url ?? null] as const), images: [...imageStamps]}
      }
    }
  }
}

/**
 * A non-HTML page (`feed.xml`, `robots.txt`, `.json`) as written after its
 * front matter: the blank lines that stand in for the block (kept so Liquid
 * positions hold) go, so an XML declaration is first again.
 */
export function withoutLeadingLineBreaks(text: string): string {
  return text.replace(/^\n+/, '')
}

/** An `excerpt:` written in the front matter (markdown) wins over the one cut from the body. */
function ownExcerpt(excerpt: unknown, markdownify: () => (markdown: string) => string): Excerpt | undefined {
  if (typeof excerpt !== 'string' || excerpt.trim() === '') return undefined
  const html = markdownify()(excerpt)
  return {html, text: htmlToText(html), marked: true}
}

