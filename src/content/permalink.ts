/**
 * Jekyll permalinks: expand a pattern (`/:year/:month/:day/:title/` or a style
 * name like `pretty`) into a URL, and map any URL to the file it is written to
 * inside the output folder — refusing anything that would escape that folder.
 */
import type {ZonedDate} from './zoned-date.js'

/** What a permalink pattern is expanded with. */
export interface PermalinkInput {
  /** A pattern like `/:year/:month/:day/:title/` or a Jekyll style name: `date`, `pretty`, `ordinal`, `weekdate`, `none`. */
  readonly pattern: string
  /** Every date part is read from `date.wall()`, i.e. in the date's own offset. */
  readonly date: ZonedDate
  /** The slug from the file name or front-matter `slug` (`:title`; Jekyll "pretty"-slugifies it, keeping case). */
  readonly title: string
  /** `:slug` (defaults to slugify(title); always lowercased and reduced to letters, digits and hyphens like Jekyll). */
  readonly slug?: string
  readonly categories?: readonly string[]
  /** Default `.html`. */
  readonly outputExt?: string
  /**
   * A collection document's own placeholders (Jekyll's URL drop): `:collection`
   * (the label), `:path` (its path inside the collection folder, without
   * extension), `:name` (its file name, slugified). Unknown for posts and pages.
   */
  readonly document?: {readonly collection: string; readonly path: string; readonly name: string} | undefined
}

/** A URL (percent-encoded, always starting with `/`) and the POSIX path, relative to the output folder, of the file it is written to. */
export type PermalinkResult = {ok: true; url: string; outputPath: string} | {ok: false; reason: string}

/** Jekyll's built-in permalink styles, by name. */
export const PERMALINK_STYLES: Readonly<Record<string, string>> = Object.freeze({
  date: '/:categories/:year/:month/:day/:title:output_ext',
  pretty: '/:categories/:year/:month/:day/:title/',
  ordinal: '/:categories/:year/:y_day/:title:output_ext',
  weekdate: '/:categories/:year/W:week/:short_day/:title:output_ext',
  none: '/:categories/:title:output_ext'
})

/** Slugify modes of Jekyll's `Utils.slugify` that Galley needs. */
export type SlugifyMode = 'default' | 'pretty'

const DAY_MS = 86_400_000
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'] as const
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const

/** `:name` placeholders, as Jekyll matches them. */
const PLACEHOLDER = /:([a-z_]+)/g
/** Characters Jekyll leaves unescaped in a URL path (RFC 3986 pchar plus `/`). */
const UNSAFE_CHAR = /[^A-Za-z0-9\-._~!$&'()*+,;=:@/]/gu
/** Like {@link UNSAFE_CHAR} but keeps existing `%XX` escapes; a stray `%` is escaped. */
const UNSAFE_OR_ESCAPE = /%[0-9A-Fa-f]{2}|[^A-Za-z0-9\-._~!$&'()*+,;=:@/]/gu
const SLUG_DEFAULT = /[^\p{M}\p{L}\p{Nd}]+/gu
const SLUG_PRETTY = /[^\p{M}\p{L}\p{Nd}._~!$&'()+,;=@]+/gu
const URL_SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//
const CONTROL_CHAR = /[\u0000-\u001f\u007f]/
/** A file extension: a dot and 1–15 letters/digits, at least one a letter (`.xml`, `.mp4`, `.webmanifest`; not `.2`). */
const EXTENSION = /\.(?=[A-Za-z0-9]{0,14}[A-Za-z])[A-Za-z0-9]{1,15}$/
const OUTPUT_EXT = /^(?:\.[A-Za-z0-9_-]+)*$/

type Checked<T> = {ok: true; value: T} | {ok: false; reason: string}

/**
 * Expand a permalink pattern or style name for a post.
 *
 * Placeholder values are percent-escaped like Jekyll's (`machine learning` →
 * `machine%20learning`), repeated slashes collapse (so empty `:categories`
 * vanish), and the URL always starts with `/`. Unknown placeholders and URLs
 * that would write outside the output folder give `{ok: false, reason}`.
 */
export function expandPermalink(input: PermalinkInput): PermalinkResult {
  const pattern = input.pattern.trim()
  if (pattern === '') return {ok: false, reason: 'permalink pattern is empty'}
  const outputExt = input.outputExt ?? '.html'
  if (!OUTPUT_EXT.test(outputExt)) return {ok: false, reason: `invalid output extension "${outputExt}"`}
  if (Number.isNaN(input.date.getTime())) return {ok: false, reason: `permalink "${pattern}": the date is invalid`}
  const template = Object.hasOwn(PERMALINK_STYLES, pattern) ? (PERMALINK_STYLES[pattern] ?? pattern) : pattern
  const expanded = expandTemplate(template, placeholderValues(input, outputExt))
  if (!expanded.ok) return {ok: false, reason: `permalink "${pattern}": ${expanded.reason}`}
  return finishUrl(expanded.value, outputExt, `permalink "${pattern}" (expanded to "${expanded.value}")`)
}

/**
 * Normalize a URL that is already written out (a page's or post's `permalink:`)
 * and find its output file: `/about/` → `about/index.html`, `/feed.xml` →
 * `feed.xml`, `/about` → `about.html`. Unsafe characters are percent-encoded in
 * the URL; `outputPath` is decoded. `..`, backslashes and control characters
 * (also when percent-encoded) give `{ok: false, reason}`.
 */
export function urlToOutputPath(url: string): PermalinkResult {
  const trimmed = url.trim()
  if (trimmed === '') return {ok: false, reason: 'permalink is empty'}
  return finishUrl(trimmed, '.html', `permalink "${trimmed}"`)
}

/**
 * Jekyll's `Utils.slugify`: `default` turns every run of characters other than
 * letters, marks and digits into one hyphen; `pretty` also keeps `._~!$&'()+,;=@`.
 * Leading/trailing hyphens are dropped; the result is lowercased unless `cased`.
 */
export function slugify(text: string, mode: SlugifyMode = 'default', cased = false): string {
  const pattern = mode === 'pretty' ? SLUG_PRETTY : SLUG_DEFAULT
  const slug = text.replace(pattern, '-').replace(/^-|-$/g, '')
  return cased ? slug : slug.toLowerCase()
}

function expandTemplate(template: string, values: ReadonlyMap<string, string>): Checked<string> {
  const unknown: string[] = []
  const result = template.replace(PLACEHOLDER, (match, name: string) => {
    const key = values.has(name) ? name : name.endsWith('_') && values.has(name.slice(0, -1)) ? name.slice(0, -1) : undefined
    if (key === undefined) {
      unknown.push(match)
      return match
    }
    return escapeValue(values.get(key) ?? '') + name.slice(key.length)
  })
  if (unknown.length > 0) {
    const known = [...values.keys()].map((key) => `:${key}`).join(' ')
    return {ok: false, reason: `unknown placeholder ${unknown.map((u) => `"${u}"`).join(', ')} (known: ${known})`}
  }
  const emptySlug = emptySlugPlaceholder(template, values)
  if (emptySlug !== undefined) return {ok: false, reason: `${emptySlug} is empty (the title has no letters or digits)`}
  return {ok: true, value: result}
}

/** `:title`/`:slug` used in the template but slugified to nothing would silently write to the parent folder. */
function emptySlugPlaceholder(template: string, values: ReadonlyMap<string, string>): string | undefined {
  for (const name of ['title', 'slug']) {
    if (new RegExp(`:${name}(?![a-z])`).test(template) && values.get(name) === '') return `:${name}`
  }
  return undefined
}

/** Every placeholder's raw (unescaped) value. */
function placeholderValues(input: PermalinkInput, outputExt: string): ReadonlyMap<string, string> {
  const {year, month, day, hour, minute, second} = input.date.wall()
  const calendar = calendarParts(year, month, day)
  return new Map<string, string>([
    ['year', pad(year, 4)],
    ['short_year', pad(year % 100, 2)],
    ['month', pad(month, 2)],
    ['i_month', String(month)],
    ['short_month', (MONTHS[month - 1] ?? '').slice(0, 3)],
    ['long_month', MONTHS[month - 1] ?? ''],
    ['day', pad(day, 2)],
    ['i_day', String(day)],
    ['y_day', pad(calendar.dayOfYear, 3)],
    ['hour', pad(hour, 2)],
    ['minute', pad(minute, 2)],
    ['second', pad(second, 2)],
    ['week', pad(calendar.isoWeek, 2)],
    ['w_year', pad(calendar.isoWeekYear, 4)],
    ['w_day', String(calendar.isoWeekday)],
    ['short_day', (WEEKDAYS[calendar.weekday] ?? '').slice(0, 3)],
    ['long_day', WEEKDAYS[calendar.weekday] ?? ''],
    ['title', slugify(input.title, 'pretty', true)],
    ['slug', slugify(input.slug ?? input.title)],
    ['categories', categoryPath(input.categories ?? [])],
    ['output_ext', outputExt],
    ...(input.document ? ([['collection', input.document.collection], ['path', input.document.path], ['name', input.document.name]] as const) : [])
  ])
}

/** Categories lowercased, de-duplicated, empty ones dropped, joined with `/` (Jekyll's `:categories`). */
function categoryPath(categories: readonly string[]): string {
  const names = categories.map((category) => String(category).toLowerCase()).filter((category) => category.trim() !== '')
  return [...new Set(names)].join('/')
}

interface CalendarParts {
  readonly dayOfYear: number
  /** 0 = Sunday … 6 = Saturday. */
  readonly weekday: number
  /** 1 = Monday … 7 = Sunday. */
  readonly isoWeekday: number
  readonly isoWeek: number
  readonly isoWeekYear: number
}

function calendarParts(year: number, month: number, day: number): CalendarParts {
  const dayNumber = daysSinceEpoch(year, month, day)
  const weekday = (((dayNumber + 4) % 7) + 7) % 7
  const isoWeekday = weekday === 0 ? 7 : weekday
  const thursday = dayNumber + 4 - isoWeekday
  const isoWeekYear = new Date(thursday * DAY_MS).getUTCFullYear()
  return {
    dayOfYear: dayNumber - daysSinceEpoch(year, 1, 1) + 1,
    weekday,
    isoWeekday,
    isoWeek: Math.floor((thursday - daysSinceEpoch(isoWeekYear, 1, 1)) / 7) + 1,
    isoWeekYear
  }
}

/** Days from 1970-01-01 to the given civil date (proleptic Gregorian, any year). */
function daysSinceEpoch(year: number, month: number, day: number): number {
  const date = new Date(0)
  date.setUTCFullYear(year, month - 1, day)
  return Math.round(date.getTime() / DAY_MS)
}

/** Collapse slashes, escape, decode, check safety, and find the output file. */
function finishUrl(raw: string, outputExt: string, label: string): PermalinkResult {
  if (URL_SCHEME.test(raw)) return {ok: false, reason: `${label} must be a path like /about/, not a full URL`}
  const collapsed = `/${raw}`.replace(/\/+/g, '/')
  const trailingSlash = collapsed.endsWith('/')
  const segments = collapsed.split('/').filter((segment) => segment !== '').map(normalizeEscapes)
  const decoded = decodeSegments(segments, label)
  if (!decoded.ok) return decoded
  const url = segments.length === 0 ? '/' : `/${segments.join('/')}${trailingSlash ? '/' : ''}`
  return {ok: true, url, outputPath: outputPathOf(decoded.value, trailingSlash, outputExt)}
}

function decodeSegments(segments: readonly string[], label: string): Checked<string[]> {
  const decoded: string[] = []
  for (const segment of segments) {
    let text: string
    try {
      text = decodeURIComponent(segment)
    } catch {
      return {ok: false, reason: `${label} has invalid percent-encoding in "${segment}"`}
    }
    const unsafe = unsafeSegmentReason(text)
    if (unsafe !== undefined) return {ok: false, reason: `${label} ${unsafe}`}
    decoded.push(text)
  }
  return {ok: true, value: decoded}
}

function unsafeSegmentReason(segment: string): string | undefined {
  if (segment === '..') return 'would write outside the output folder'
  if (segment === '.') return 'contains a "." path segment'
  if (segment.includes('\\')) return 'contains a backslash'
  if (CONTROL_CHAR.test(segment)) return 'contains a control character'
  if (segment.includes('/')) return 'contains an encoded slash (%2F)'
  return undefined
}

function outputPathOf(segments: readonly string[], trailingSlash: boolean, outputExt: string): string {
  const last = segments.at(-1)
  if (last === undefined || trailingSlash) return [...segments, 'index.html'].join('/')
  const hasExtension = (outputExt !== '' && last.endsWith(outputExt)) || EXTENSION.test(last)
  return segments.join('/') + (hasExtension ? '' : outputExt)
}

/** Escape a raw placeholder value (a `%` in it is literal, so it becomes `%25`). */
function escapeValue(value: string): string {
  return value.replace(UNSAFE_CHAR, encodeChar)
}

/** Escape unsafe characters of already-URL text, keeping valid `%XX` escapes. */
function normalizeEscapes(text: string): string {
  return text.replace(UNSAFE_OR_ESCAPE, (match) => (match.length === 3 && match.startsWith('%') ? match : encodeChar(match)))
}

function encodeChar(char: string): string {
  try {
    return encodeURIComponent(char)
  } catch {
    return '%EF%BF%BD' // a lone surrogate: write U+FFFD instead
  }
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0')
}
