import path from 'node:path'
import {formatOf} from './format.js'
import {keyPlace} from './key-place.js'
import type {VFile} from 'vfile'
import {report} from '../report.js'
import {dateFromFileName, parseDate, type DateOptions} from './dates.js'
import type {FrontMatter} from './front-matter.js'
import {expandPermalink, urlToOutputPath, type PermalinkResult} from './permalink.js'
import {parseTitle, type Title} from './title.js'
import {ZonedDate} from './zoned-date.js'

/** A source document resolved into everything the site model needs, before rendering. */
export interface Post {
  /** `document`: a file of a Jekyll collection (`_docs/x.md`), see `collection`. */
  readonly kind: 'post' | 'page' | 'document'
  readonly draft: boolean
  /** Source-relative POSIX path, e.g. `posts/2024-05-12-x.md`. */
  readonly source: string
  readonly file: VFile
  /**
   * Whether the body is rendered with Liquid first (it holds `{{` or `{%` and
   * `render_with_liquid` is not false). The body text itself is not kept
   * here: the build reads it when it renders (see `Resolved.body`).
   */
  readonly liquid: boolean
  readonly format: 'markdown' | 'html' | 'text'
  /** Front matter as written. */
  readonly data: Readonly<Record<string, unknown>>
  readonly keyLines: Readonly<Record<string, number>>
  readonly slug: string
  readonly date: ZonedDate | undefined
  readonly title: Title
  /** URL without baseurl, e.g. `/2024/05/12/x/`. */
  readonly url: string
  /** Path inside the output folder, e.g. `2024/05/12/x/index.html`. */
  readonly outputPath: string
  /** The layout the front matter asks for, `null` for `layout: none`/`null`, undefined when unset. */
  readonly layout: string | null | undefined
  readonly categories: readonly string[]
  readonly tags: readonly string[]
  readonly published: boolean
  /** The collection a `document` belongs to, and whether its documents are written (`output: true`). */
  readonly collection?: {readonly label: string; readonly output: boolean} | undefined
}

export interface PostOptions extends DateOptions {
  /** Site permalink pattern or style. */
  readonly permalink: string
  /** Build time, used as the date of undated drafts. */
  readonly now: number
  readonly draft: boolean
}

/**
 * Resolve a post (a file in posts/ or drafts/). Problems are reported on
 * `file`; returns undefined when the post cannot be placed (bad date,
 * unusable permalink).
 */
export function toPost(file: VFile, source: string, matter: FrontMatter, options: PostOptions): Post | undefined {
  const data = matter.data
  const base = path.posix.basename(source)
  const fromName = dateFromFileName(base, options)
  let date = fromName?.date
  let slug = fromName?.slug ?? base.replace(/\.[^.]+$/, '')

  const written = frontMatterDate(file, matter, options)
  if (written === null) return undefined
  date = written ?? date
  if (!date) {
    if (!options.draft) {
      report(file, {
        reason: `cannot tell the date of this post: name it YYYY-MM-DD-title${path.posix.extname(base)} or give it a \`date:\` in its front matter`,
        ruleId: 'date',
        severity: 'error',
        place: {line: 1, column: 1}
      })
      return undefined
    }
    date = new ZonedDate(options.now, 0)
  }
  if (typeof data.slug === 'string' && data.slug.trim() !== '') slug = data.slug.trim()

  const categories = toList(data.categories ?? data.category)
  const tags = toList(data.tags ?? data.tag)
  const permalink = typeof data.permalink === 'string' && data.permalink !== '' ? data.permalink : options.permalink
  const placed = permalink.includes(':') || !permalink.startsWith('/')
    ? expandPermalink({pattern: permalink, date, title: slug, categories})
    : urlToOutputPath(permalink)
  return finish(file, source, matter, placed, {kind: 'post', draft: options.draft, slug, date, categories, tags})
}

/**
 * Resolve a page: any other file with front matter (about.md, index.html,
 * feed.xml). Markdown and HTML pages get clean URLs (`about.md` → `/about/`),
 * except `index` and `404`; other files keep their path.
 */
export function toPage(file: VFile, source: string, matter: FrontMatter, options: DateOptions): Post | undefined {
  const data = matter.data
  const date = frontMatterDate(file, matter, options)
  if (date === null) return undefined
  const placed = urlToOutputPath(typeof data.permalink === 'string' && data.permalink !== '' ? data.permalink : pageUrl(source))
  const slug = path.posix.basename(source).replace(/\.[^.]+$/, '')
  return finish(file, source, matter, placed, {kind: 'page', draft: false, slug, date, categories: toList(data.categories), tags: toList(data.tags)})
}

/** The front matter's `date`: undefined when none is written, null (reported at its line) when it cannot be read. */
function frontMatterDate(file: VFile, matter: FrontMatter, options: DateOptions): ZonedDate | undefined | null {
  const value = matter.data.date
  if (value === undefined || value === null || value === '') return undefined
  const parsed = parseDate(value, options)
  if (parsed.ok) return parsed.date
  report(file, {reason: parsed.reason, ruleId: 'date', severity: 'error', place: keyPlace(matter, 'date')})
  return null
}

/** `about.md` → `/about/`, `docs/index.html` → `/docs/`, `404.md` → `/404.html`, `feed.xml` → `/feed.xml`. */
export function pageUrl(source: string): string {
  const format = formatOf(source)
  if (format === 'text') return '/' + source
  const withoutExtension = source.replace(/\.[^./]+$/, '')
  const name = path.posix.basename(withoutExtension)
  if (name === 'index') {
    const folder = path.posix.dirname(withoutExtension)
    return folder === '.' ? '/' : `/${folder}/`
  }
  if (name === '404') return `/${withoutExtension}.html`
  return `/${withoutExtension}/`
}

/** What a resolver knows of a document before it is placed (see `finish`). */
export interface Resolved {
  readonly kind: Post['kind']
  readonly draft: boolean
  readonly slug: string
  readonly date: ZonedDate | undefined
  readonly categories: readonly string[]
  readonly tags: readonly string[]
  readonly collection?: Post['collection']
  /** How a title is made from the slug when the front matter has none (default: the first word capitalised). */
  readonly titleOf?: ((slug: string) => string) | undefined
}

/** Check the placed URL and the title, and make the Post (problems are reported on `file`; then undefined). */
export function finish(file: VFile, source: string, matter: FrontMatter, placed: PermalinkResult, resolved: Resolved): Post | undefined {
  if (!placed.ok) {
    report(file, {reason: placed.reason, ruleId: 'permalink', severity: 'error', place: keyPlace(matter, 'permalink')})
    return undefined
  }
  const data = matter.data
  if (typeof data.title === 'object' && data.title !== null) {
    report(file, {reason: 'title must be text, not a list or a mapping (quote it if it holds a colon or brackets)', ruleId: 'title', severity: 'error', place: keyPlace(matter, 'title')})
    return undefined
  }
  const rawTitle = data.title === undefined || data.title === null ? (resolved.titleOf ?? titleFromSlug)(resolved.slug) : String(data.title)
  const layout = data.layout === null || data.layout === 'none' || data.layout === false ? null : typeof data.layout === 'string' ? data.layout : undefined
  const {titleOf: _titleOf, collection, ...rest} = resolved
  return {
    ...rest,
    ...(collection ? {collection} : {}),
    source,
    file,
    liquid: data.render_with_liquid !== false && /\{[{%]/.test(matter.body),
    format: formatOf(source),
    data,
    keyLines: matter.keyLines,
    title: parseTitle(rawTitle),
    url: placed.url,
    outputPath: placed.outputPath,
    layout,
    published: data.published !== false
  }
}

/** `how-good-are-llms` → `How good are llms` (Jekyll titleizes the slug when a post has no title). */
function titleFromSlug(slug: string): string {
  const words = slug.replace(/[-_]+/g, ' ').trim()
  return words.charAt(0).toUpperCase() + words.slice(1)
}

/** Jekyll accepts a list or a space-separated string for categories and tags. */
export function toList(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((item) => item !== null && item !== undefined).map((item) => String(item).trim()).filter(Boolean)
  if (typeof value === 'string') return value.split(/\s+/).filter(Boolean)
  if (typeof value === 'number') return [String(value)]
  return []
}

export {formatOf, keyPlace}
