/**
 * Jekyll's Liquid filters, as a plain record of functions.
 *
 * The engine factory registers them in a loop, the same way LiquidJS
 * registers its own built-ins (harttle/liquidjs `src/liquid.ts`):
 *
 *     for (const [name, fn] of Object.entries(createJekyllFilters(options))) liquid.registerFilter(name, fn)
 *
 * LiquidJS 10 already ships most of Jekyll's filter names. A filter is in this
 * record only when Galley needs something the built-in does not do, and the
 * comment above each one says why. These Jekyll filters are left to LiquidJS
 * because its versions already behave like Jekyll's: `xml_escape`,
 * `cgi_escape`, `strip_html`, `number_of_words` (with `cjk`/`auto`),
 * `array_to_sentence_string`.
 *
 * Dates: every date filter formats a date in the offset the author wrote it
 * in (`ZonedDate#offset`), never in the zone of the machine running the
 * build, and with English month and day names whatever the machine's locale
 * is. Jekyll converts times to the site's `timezone` setting before
 * formatting. Galley has no such setting: the written offset is the only zone
 * a post has.
 */
import {Drop, isTruthy, toValue, Value} from 'liquidjs'
import type {Context, FilterImplOptions} from 'liquidjs'
import {ZonedDate} from '../content/zoned-date.js'

export interface FilterOptions {
  /** Path prefix of the site, `''` or `'/blog'` (no trailing slash). */
  readonly baseurl: string
  /** Scheme and host of the site, `''` or `'https://example.com'` (no trailing slash). */
  readonly url: string
  /** Renders a markdown string to HTML (injected so filters stay free of the pipeline). */
  readonly markdownify: (markdown: string) => string
}

/** A LiquidJS filter handler: what LiquidJS passes as `this` to every filter. */
type FilterHandler = Extract<FilterImplOptions, (...parameters: never[]) => unknown>
export type FilterThis = ThisParameterType<FilterHandler>

/**
 * One filter. Arguments are typed `unknown` because a template may pass
 * anything; each filter coerces its own arguments the way Jekyll does.
 */
export type JekyllFilter = (this: FilterThis, input: unknown, ...parameters: unknown[]) => unknown

/**
 * Create Jekyll's filters for one site.
 *
 * @param options
 *   Site URL parts and the markdown renderer.
 * @returns
 *   A fresh record, filter name → implementation.
 */
export function createJekyllFilters(options: FilterOptions): Record<string, JekyllFilter> {
  const baseurl = sanitizeBaseurl(options.baseurl)
  const siteUrl = options.url.replace(/\/+$/, '')
  const {markdownify} = options

  function relativeUrl(input: unknown): string | undefined {
    if (isNil(input)) return undefined
    const text = toText(urlOf(input))
    if (isAbsoluteUrl(text)) return text
    return percentEncode(baseurl + ensureLeadingSlash(text))
  }

  return {
    // URLs. Not in LiquidJS.

    /**
     * Prefix a site path with `baseurl`, once per call, as Jekyll does: it
     * does not check whether the path already starts with the baseurl,
     * because `page.url` never carries it and a site may have a real folder
     * named like its baseurl. URLs with a scheme (`https:`, `mailto:`),
     * protocol-relative ones (`//host`) and same-document references (`#x`,
     * `?q`) are returned unchanged; Jekyll would prefix the last three.
     */
    relative_url(input) {
      return relativeUrl(input)
    },

    /** `url` + `relative_url`; without a site `url` this is `relative_url`. */
    absolute_url(input) {
      if (isNil(input)) return undefined
      const text = toText(urlOf(input))
      if (isAbsoluteUrl(text)) return text
      const relative = relativeUrl(text) ?? ''
      return siteUrl === '' ? relative : siteUrl + relative
    },

    // Dates. LiquidJS formats a `Date` in the machine's zone (there is no
    // per-value offset), and names months in the machine's locale, so all of
    // these are ours.

    /** `2024-05-12T00:00:00+09:00`. */
    date_to_xmlschema(input) {
      return formatStrictDate(this, input, '%Y-%m-%dT%H:%M:%S%:z')
    },

    /** `Sun, 12 May 2024 00:00:00 +0900`. */
    date_to_rfc822(input) {
      return formatStrictDate(this, input, '%a, %d %b %Y %H:%M:%S %z')
    },

    /** `12 May 2024`; `12th May 2024` with `"ordinal"`; `May 12th, 2024` with `"ordinal", "US"`. */
    date_to_string(input, type, style) {
      return stringifyDate(this, input, '%b', type, style)
    },

    /** `12 May 2024` with the full month name; same `ordinal`/`US` arguments. */
    date_to_long_string(input, type, style) {
      return stringifyDate(this, input, '%B', type, style)
    },

    /**
     * Ruby `strftime` in the date's own offset. A third argument, as in
     * LiquidJS, converts first: minutes WEST of UTC (`-540` is `+09:00`) or an
     * IANA zone name. Like Ruby Liquid, an empty format or a value that is
     * not a date gives the input back unchanged.
     */
    date(input, format, timezone) {
      const formatText = toText(format)
      if (formatText === '') return input
      const moment = toMoment(input, this.context)
      if (!moment) return input
      return strftime(isNil(timezone) ? moment : inZone(moment, timezone), formatText)
    },

    // Text.

    /**
     * LiquidJS's `encodeURI` turns `%` into `%25`; Jekyll
     * (Addressable `normalize_component`) keeps escapes already there, so a
     * value like `a%20b` is not escaped twice.
     */
    uri_escape(input) {
      return percentEncode(toText(input))
    },

    /** Not in LiquidJS: the site's markdown renderer. */
    markdownify(input) {
      return markdownify(toText(input))
    },

    /**
     * LiquidJS's `latin` mode only folds a few lowercase accents, so `É`
     * stays `é`; Jekyll transliterates (I18n), and anything left over that is
     * not ASCII becomes a separator. LiquidJS also takes a third `cased`
     * argument Jekyll does not have.
     */
    slugify(input, mode) {
      if (isNil(input)) return undefined
      return slugify(toText(input), isNil(mode) ? 'default' : toText(mode))
    },

    /** Jekyll strips the result too; LiquidJS leaves a leading and trailing space. */
    normalize_whitespace(input) {
      return toText(input).replace(/\s+/g, ' ').trim()
    },

    /** Not in LiquidJS: curly quotes, dashes and ellipses; HTML in the input is escaped. */
    smartify(input) {
      return smartify(toText(input))
    },

    /**
     * LiquidJS's `jsonify` is `JSON.stringify`, which throws on the cycle
     * every post has (`page.previous.next` is `page`). Like Jekyll, a nested
     * `previous`/`next` is collapsed (no `content`, `excerpt`, `previous`,
     * `next`), and any other cycle is cut. The result is safe inside
     * `<script>` (JSON-LD): `<`, `>`, `&`, U+2028 and U+2029 are written as
     * `\u` escapes, so no data can end the script element.
     */
    jsonify(input) {
      return scriptSafeJson(JSON.stringify(toJson(input, [])) ?? 'null')
    },

    // Arrays.

    /**
     * Without `jekyllWhere`, LiquidJS compares strictly (`2024` never
     * matches `"2024"`) and does not look inside arrays. Jekyll compares as
     * strings and matches an array property that contains the value (`where:
     * "tags", "llm"`). Kept here so it does not depend on how the engine is
     * configured. With the value left out, items whose property is truthy
     * are kept (a LiquidJS extension).
     */
    where(input, property, ...rest) {
      if (isNil(property)) return input
      const items = toList(input)
      const path = toText(property)
      if (rest.length === 0) {
        return items.filter((item) => isTruthy(readPath(item, path), this.context))
      }

      const expected = rest[0]
      const value = toValue(expected)
      if (Array.isArray(value) || isPlainObject(value)) return input
      const emptyLiteral = expected instanceof Drop && value === ''
      return items.filter((item) => whereMatches(readPath(item, path), value, emptyLiteral))
    },

    /**
     * LiquidJS keeps an item only when the expression is exactly `true`, so
     * `where_exp: "post", "post.image"` drops every post; Jekyll keeps any
     * truthy result.
     */
    *where_exp(input, variable, expression): Generator<unknown, unknown[], unknown> {
      const items = toList(input)
      const name = toText(variable)
      const condition = new Value(toText(expression), this.liquid)
      const kept: unknown[] = []
      for (const item of items) {
        this.context.push({[name]: item})
        try {
          if (isTruthy(yield condition.value(this.context), this.context)) kept.push(item)
        } finally {
          this.context.pop()
        }
      }

      return kept
    },

    /**
     * Jekyll's third argument says where items without the property go:
     * `"first"` (default) or `"last"`. Numeric strings sort as numbers, as
     * Jekyll does for properties. LiquidJS has neither. Unlike Jekyll (which
     * raises "Cannot sort a null object"), nil sorts to an empty list, as in
     * Shopify's Liquid: a theme iterating over data a site does not have
     * renders nothing instead of failing the build.
     */
    sort(input, property, nils) {
      if (isNil(input)) return []
      const order = isNil(nils) ? 'first' : toText(nils)
      if (order !== 'first' && order !== 'last') {
        throw new Error(`Invalid nils order: '${order}' is not a valid nils order. It must be 'first' or 'last'.`)
      }

      const items = toList(input)
      const path = isNil(property) ? undefined : toText(property)
      const keyed = items.map((item) => ({
        item,
        key: path === undefined ? toValue(item) : parseSortInput(readPath(item, path))
      }))
      const nilFirst = order === 'first' ? -1 : 1
      keyed.sort((a, b) => {
        const aNil = isNil(a.key)
        const bNil = isNil(b.key)
        if (aNil && bNil) return 0
        if (aNil) return nilFirst
        if (bNil) return -nilFirst
        return compareValues(a.key, b.key)
      })
      return keyed.map((entry) => entry.item)
    },

    /**
     * Jekyll groups by the property as a string (so two `ZonedDate`s for the
     * same instant, or `1` and `"1"`, are one group) and adds `size`; LiquidJS
     * groups by identity and has no `size`.
     */
    group_by(input, property) {
      const path = toText(property)
      return groupItems(toList(input), (item) => toText(readPath(item, path)))
    },

    /** Same as `group_by`, keyed by the rendered expression. */
    *group_by_exp(input, variable, expression): Generator<unknown, Group[], unknown> {
      const name = toText(variable)
      const keyValue = new Value(toText(expression), this.liquid)
      const keys: string[] = []
      const items = toList(input)
      for (const item of items) {
        this.context.push({[name]: item})
        try {
          keys.push(toText(yield keyValue.value(this.context)))
        } finally {
          this.context.pop()
        }
      }

      return groupItems(items, (_item, index) => keys[index] ?? '')
    }
  }
}

// ---------------------------------------------------------------------------
// Values

function isNil(value: unknown): value is null | undefined {
  const plain = toValue(value)
  return plain === null || plain === undefined
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false
  const proto: unknown = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

/** How Liquid prints a value: nil is empty, arrays are concatenated. */
function toText(value: unknown): string {
  const plain = toValue(value)
  if (plain === null || plain === undefined) return ''
  if (typeof plain === 'string') return plain
  if (Array.isArray(plain)) return plain.map((item) => toText(item)).join('')
  return String(plain)
}

/** Turn what a template passes as a list into an array (Jekyll uses a hash's values). */
function toList(value: unknown): unknown[] {
  const plain = toValue(value)
  if (plain === null || plain === undefined) return []
  if (Array.isArray(plain)) return plain
  if (typeof plain === 'string') return [plain]
  if (plain instanceof Map) return [...plain.values()]
  if (typeof plain === 'object' && Symbol.iterator in plain) return [...(plain as Iterable<unknown>)]
  if (isPlainObject(plain)) return Object.values(plain)
  return [plain]
}

/**
 * Read `a.b.c` from an item: own and class-defined properties, `toLiquid()`,
 * array `size`/`first`/`last`, but nothing from `Object.prototype` and no
 * methods.
 */
function readPath(item: unknown, path: string): unknown {
  let current: unknown = item
  for (const key of path.split('.')) {
    if (key === '') continue
    current = readProperty(current, key)
    if (current === undefined) return undefined
  }

  return current
}

function readProperty(target: unknown, key: string): unknown {
  let value = toValue(target)
  if (typeof value === 'object' && value !== null && 'toLiquid' in value && typeof value.toLiquid === 'function') {
    value = (value.toLiquid as () => unknown)()
  }

  if (typeof value === 'string') return key === 'size' ? value.length : undefined
  if (typeof value !== 'object' || value === null) return undefined
  if (Array.isArray(value)) {
    if (key === 'size') return value.length
    if (key === 'first') return value[0]
    if (key === 'last') return value.at(-1)
    return /^-?\d+$/.test(key) ? value.at(Number(key)) : undefined
  }

  if (value instanceof Map) return value.get(key)
  let result: unknown
  if (Object.hasOwn(value, key)) {
    result = (value as Record<string, unknown>)[key]
  } else if (key in value && !(key in Object.prototype)) {
    result = (value as Record<string, unknown>)[key]
  }

  return typeof result === 'function' ? undefined : result
}

/** Objects with a `url` (a post passed whole) stand for that URL, as in Jekyll. */
function urlOf(value: unknown): unknown {
  const url = readProperty(value, 'url')
  return typeof url === 'string' ? url : value
}

// ---------------------------------------------------------------------------
// URLs

/** A scheme (`https:`, `mailto:`), protocol-relative (`//`), or same-document (`#`, `?`). */
function isAbsoluteUrl(url: string): boolean {
  return /^(?:[a-z][a-z\d+.-]*:|\/\/|[#?])/i.test(url)
}

function sanitizeBaseurl(baseurl: string): string {
  const trimmed = baseurl.replace(/\/+$/, '')
  return ensureLeadingSlash(trimmed)
}

function ensureLeadingSlash(path: string): string {
  return path === '' || path.startsWith('/') ? path : '/' + path
}

/** Percent-encode what may not appear in a URL (spaces, non-ASCII), keeping existing `%XX` escapes. */
function percentEncode(text: string): string {
  return text.replace(/%(?![\da-f]{2})|[^\w\-.~:/?#[\]@!$&'()*+,;=%]+/giu, (match) => {
    try {
      return encodeURIComponent(match)
    } catch {
      // A lone surrogate cannot be encoded; leave it for the HTML serializer.
      return match
    }
  })
}

// ---------------------------------------------------------------------------
// where / sort / group_by

function whereMatches(property: unknown, expected: unknown, emptyLiteral: boolean): boolean {
  const value = toValue(property)
  if (emptyLiteral) {
    return value === '' || isNil(value) || (Array.isArray(value) && value.map((item) => toText(item)).join('') === '')
  }

  if (expected === null || expected === undefined) return isNil(value)
  const target = toText(expected)
  if (typeof value === 'string') return value === target
  const candidates = Array.isArray(value) ? value : isNil(value) ? [] : [value]
  return candidates.some((candidate) => toText(candidate) === target)
}

/** Jekyll's `parse_sort_input`: numeric strings sort as numbers. */
function parseSortInput(value: unknown): unknown {
  const plain = toValue(value)
  if (typeof plain !== 'string') return plain
  if (/^\s*-?(?:\d+\.?\d*|\.\d+)\s*$/.test(plain)) return Number(plain)
  return plain
}

/** Ruby's `a <=> b || a.to_s <=> b.to_s`. */
function compareValues(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime()
  const left = typeof a === 'string' ? a : toText(a)
  const right = typeof b === 'string' ? b : toText(b)
  return left < right ? -1 : left > right ? 1 : 0
}

interface Group {
  readonly name: string
  readonly items: unknown[]
  readonly size: number
}

function groupItems(items: readonly unknown[], keyOf: (item: unknown, index: number) => string): Group[] {
  const groups = new Map<string, unknown[]>()
  for (const [index, item] of items.entries()) {
    const key = keyOf(item, index)
    const group = groups.get(key)
    if (group) group.push(item)
    else groups.set(key, [item])
  }

  return [...groups].map(([name, members]) => ({name, items: members, size: members.length}))
}

// ---------------------------------------------------------------------------
// jsonify

const scriptUnsafe = /[<>&\u2028\u2029]/g

/** JSON text with the characters that could end or confuse a `<script>` element as `\u` escapes. */
export function scriptSafeJson(json: string): string {
  return json.replace(scriptUnsafe, (char) => '\\u' + char.charCodeAt(0).toString(16).padStart(4, '0'))
}

/** Fields Jekyll drops from a nested `previous`/`next` document. */
const collapsedFields = new Set(['content', 'output', 'excerpt', 'next', 'previous'])

function toJson(input: unknown, ancestors: readonly object[], collapse = false): unknown {
  let value = toValue(input)
  if (value === null || value === undefined) return null
  if (typeof value === 'string' || typeof value === 'boolean') return value
  if (typeof value === 'number') return Number.isFinite(value) ? value : null
  if (typeof value === 'bigint') return value.toString()
  if (typeof value !== 'object') return undefined
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toJSON()
  if (ancestors.includes(value)) return undefined
  if ('toLiquid' in value && typeof value.toLiquid === 'function') {
    value = (value.toLiquid as () => unknown)()
    if (typeof value !== 'object' || value === null) return toJson(value, ancestors)
  }

  if ('toJSON' in value && typeof value.toJSON === 'function') {
    return toJson((value.toJSON as () => unknown)(), [...ancestors, value])
  }

  const nested = [...ancestors, value]
  if (Array.isArray(value)) return value.map((item) => toJson(item, nested) ?? null)
  const entries = value instanceof Map ? [...value] : Object.entries(value)
  const result: Record<string, unknown> = {}
  for (const [key, field] of entries) {
    const name = String(key)
    if (collapse && collapsedFields.has(name)) continue
    const json = toJson(field, nested, name === 'previous' || name === 'next')
    if (json !== undefined) result[name] = json
  }

  return result
}

// ---------------------------------------------------------------------------
// slugify and smartify

const slugifyReplacers: Readonly<Record<string, RegExp>> = {
  raw: /\s+/g,
  default: /[^\p{M}\p{L}\p{Nd}]+/gu,
  pretty: /[^\p{M}\p{L}\p{Nd}._~!$&'()+,;=@]+/gu,
  ascii: /[^A-Za-z\d]+/g,
  latin: /[^\p{M}\p{L}\p{Nd}]+/gu
}

/** Letters NFD does not decompose, as I18n transliterates them. */
const latinLetters: Readonly<Record<string, string>> = {
  Æ: 'AE', æ: 'ae', Œ: 'OE', œ: 'oe', Ø: 'O', ø: 'o', ß: 'ss', ẞ: 'SS',
  Þ: 'Th', þ: 'th', Ð: 'D', ð: 'd', Đ: 'D', đ: 'd', Ł: 'L', ł: 'l', ı: 'i'
}

function slugify(text: string, mode: string): string {
  const replacer = slugifyReplacers[mode]
  // Jekyll: an unknown mode (or `none`) only lowercases.
  if (!replacer) return text.toLowerCase()
  let source = text
  if (mode === 'latin') {
    source = source
      .normalize('NFD')
      .replace(/\p{M}+/gu, '')
      .replace(/[^\0-\x7F]/g, (char) => latinLetters[char] ?? '?')
  }

  return source.replace(replacer, '-').replace(/^-|-$/g, '').toLowerCase()
}

function smartify(text: string): string {
  const escaped = text
    .replace(/&(?!(?:[a-z][a-z\d]*|#\d+|#x[\da-f]+);)/gi, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
  return escaped
    .replace(/---/g, '\u2014')
    .replace(/--/g, '\u2013')
    .replace(/\.\.\./g, '\u2026')
    .replace(/(^|[\s([{\u2014\u2013-])"/g, '$1\u201C')
    .replace(/"/g, '\u201D')
    .replace(/(^|[\s([{\u2014\u2013-])'(?=\d\d(?:s|\b))/g, '$1\u2019')
    .replace(/(^|[\s([{\u2014\u2013-])'/g, '$1\u2018')
    .replace(/'/g, '\u2019')
}

// ---------------------------------------------------------------------------
// Dates

/** An instant and the offset to show it in. */
interface Moment {
  /** Milliseconds since the epoch. */
  readonly epoch: number
  /** Minutes east of UTC. */
  readonly offset: number
}

/**
 * Interpret a template value as a date. A `ZonedDate` keeps its offset; a
 * plain `Date`, epoch seconds, and strings without an offset are UTC (the
 * machine's zone is never used); `"now"`/`"today"` is `site.time`, the build
 * time the build injects, so filters never read the clock.
 */
function toMoment(input: unknown, context: Context): Moment | undefined {
  const value = toValue(input)
  if (value instanceof ZonedDate) return validMoment(value.getTime(), value.offset)
  if (value instanceof Date) {
    const offset: unknown = (value as Date & {offset?: unknown}).offset
    return validMoment(value.getTime(), typeof offset === 'number' ? offset : 0)
  }

  if (typeof value === 'number') return validMoment(value * 1000, 0)
  if (typeof value !== 'string') return undefined
  const text = value.trim()
  if (text === 'now' || text === 'today') {
    const time = readPath(context.environments, 'site.time') ?? readPath(context.globals, 'site.time')
    return time instanceof Date ? toMoment(time, context) : undefined
  }

  if (/^-?\d+$/.test(text)) return validMoment(Number(text) * 1000, 0)
  return parseDateString(text)
}

function validMoment(epoch: number, offset: number): Moment | undefined {
  return Number.isFinite(epoch) && Number.isFinite(offset) ? {epoch, offset} : undefined
}

const isoLike =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T\s]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/i
const trailingOffset = /(?:\s|\d)(Z|UTC|GMT|[+-]\d{2}:?\d{2})$/i

/** `2024-05-12`, `2024-05-12 00:00:00 +0900`, ISO 8601, or an RFC 2822 string with a zone. */
function parseDateString(text: string): Moment | undefined {
  const match = isoLike.exec(text)
  if (match) {
    const [, year, month, day, hour, minute, second, fraction, zone] = match
    const offset = zone === undefined ? 0 : parseOffset(zone)
    if (offset === undefined) return undefined
    const ms = fraction === undefined ? 0 : Math.floor(Number(`0.${fraction}`) * 1000)
    const wall = Date.UTC(
      Number(year), Number(month) - 1, Number(day),
      Number(hour ?? 0), Number(minute ?? 0), Number(second ?? 0), ms
    )
    const check = new Date(wall)
    if (check.getUTCMonth() !== Number(month) - 1 || check.getUTCDate() !== Number(day)) return undefined
    return validMoment(wall - offset * 60_000, offset)
  }

  // Anything else only with an explicit zone, so the machine's zone never leaks in.
  const zone = trailingOffset.exec(text)
  if (!zone?.[1]) return undefined
  const offset = parseOffset(zone[1])
  return offset === undefined ? undefined : validMoment(Date.parse(text), offset)
}

/** `Z`, `UTC`, `+09`, `+0900`, `+09:00` → minutes east of UTC. */
function parseOffset(zone: string): number | undefined {
  if (/^(?:Z|UTC|GMT)$/i.test(zone)) return 0
  const match = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone)
  if (!match) return undefined
  const minutes = Number(match[2]) * 60 + Number(match[3] ?? 0)
  return match[1] === '-' ? -minutes : minutes
}

/** LiquidJS's third `date` argument: minutes WEST of UTC, or an IANA zone name. */
function inZone(moment: Moment, timezone: unknown): Moment {
  const value = toValue(timezone)
  if (typeof value === 'number' || (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value))) {
    return {epoch: moment.epoch, offset: -Number(value)}
  }

  const name = toText(value)
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: name,
    hourCycle: 'h23',
    year: 'numeric', month: 'numeric', day: 'numeric',
    hour: 'numeric', minute: 'numeric', second: 'numeric'
  }).formatToParts(new Date(moment.epoch))
  const part = (type: Intl.DateTimeFormatPartTypes): number =>
    Number(parts.find((entry) => entry.type === type)?.value ?? 0)
  const wall = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'))
  const seconds = Math.floor(moment.epoch / 1000) * 1000
  return {epoch: moment.epoch, offset: Math.round((wall - seconds) / 60_000)}
}

/** The `date_to_*` filters: empty gives the input back, anything else must be a date. */
function formatStrictDate(filter: FilterThis, input: unknown, format: string): unknown {
  if (toText(input) === '') return input
  const moment = toMoment(input, filter.context)
  if (!moment) throw new Error(`Invalid Date: '${toText(input)}' is not a valid datetime.`)
  return strftime(moment, format)
}

function stringifyDate(filter: FilterThis, input: unknown, month: '%b' | '%B', type: unknown, style: unknown): unknown {
  if (toValue(type) === 'ordinal') {
    const moment = toMoment(input, filter.context)
    if (toText(input) !== '' && moment) {
      // `%q` is the day's ordinal suffix (an extension shared with LiquidJS).
      return strftime(moment, toValue(style) === 'US' ? `${month} %-d%q, %Y` : `%-d%q ${month} %Y`)
    }
  }

  return formatStrictDate(filter, input, `%d ${month} %Y`)
}

const monthNames = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December'
]
const dayNames = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']

/** What a conversion produces before flags and width apply. */
interface Field {
  readonly text: string
  /** Default width. */
  readonly width: number
  /** Default padding character. */
  readonly pad: '0' | ' '
}

/** Ruby `%[flags][width]conversion`; `E`/`O` modifiers are accepted and ignored, as in Ruby. */
const directive = /%([-_0^#:]*)(\d*)[EO]?([a-zA-Z%+])/g

/**
 * Ruby's `Time#strftime`, reading the wall clock in `moment.offset`.
 * Unknown conversions are copied through.
 */
function strftime(moment: Moment, format: string): string {
  return format.replace(directive, (whole, flags: string, width: string, conversion: string) => {
    const field = convert(moment, conversion, flags, width)
    return field === undefined ? whole : applyFlags(field, conversion, flags, width)
  })
}

function applyFlags(field: Field, conversion: string, flags: string, widthText: string): string {
  let text = field.text
  if (flags.includes('^')) text = text.toUpperCase()
  else if (flags.includes('#')) text = conversion === 'p' ? text.toLowerCase() : text.toUpperCase()
  if (flags.includes('-')) return text
  const pad = flags.includes('_') ? ' ' : flags.includes('0') ? '0' : field.pad
  const width = widthText === '' ? field.width : Number(widthText)
  if (pad === '0' && text.startsWith('-')) return '-' + text.slice(1).padStart(width - 1, '0')
  return text.padStart(width, pad)
}

function convert(moment: Moment, conversion: string, flags: string, width: string): Field | undefined {
  // `wall`'s UTC getters read the wall clock in the moment's own offset.
  const wall = new Date(moment.epoch + moment.offset * 60_000)
  const year = wall.getUTCFullYear()
  const month = wall.getUTCMonth()
  const day = wall.getUTCDate()
  const hour = wall.getUTCHours()
  const weekday = wall.getUTCDay()
  const yearDay = Math.round((Date.UTC(year, month, day) - Date.UTC(year, 0, 1)) / 86_400_000)
  const number = (value: number, digits: number, pad: '0' | ' ' = '0'): Field => ({text: String(value), width: digits, pad})
  const word = (text: string): Field => ({text, width: 0, pad: ' '})
  const composite = (format: string): Field => word(strftime(moment, format))

  switch (conversion) {
    case 'Y': return number(year, 4)
    case 'C': return number(Math.floor(year / 100), 2)
    case 'y': return number(((year % 100) + 100) % 100, 2)
    case 'm': return number(month + 1, 2)
    case 'B': return word(monthNames[month] ?? '')
    case 'b':
    case 'h': return word((monthNames[month] ?? '').slice(0, 3))
    case 'd': return number(day, 2)
    case 'e': return number(day, 2, ' ')
    case 'j': return number(yearDay + 1, 3)
    case 'H': return number(hour, 2)
    case 'k': return number(hour, 2, ' ')
    case 'I': return number(hour % 12 || 12, 2)
    case 'l': return number(hour % 12 || 12, 2, ' ')
    case 'P': return word(hour < 12 ? 'am' : 'pm')
    case 'p': return word(hour < 12 ? 'AM' : 'PM')
    case 'M': return number(wall.getUTCMinutes(), 2)
    case 'S': return number(wall.getUTCSeconds(), 2)
    case 'L':
    case 'N': {
      // Width is the number of fraction digits; only milliseconds are known.
      const digits = width === '' ? (conversion === 'L' ? 3 : 9) : Number(width)
      const text = String(wall.getUTCMilliseconds()).padStart(3, '0').padEnd(digits, '0').slice(0, digits)
      return {text, width: 0, pad: '0'}
    }
    case 'z': return word(formatOffset(moment.offset, flags.split(':').length - 1))
    case 'Z': return word(moment.offset === 0 ? 'UTC' : formatOffset(moment.offset, 1))
    case 'A': return word(dayNames[weekday] ?? '')
    case 'a': return word((dayNames[weekday] ?? '').slice(0, 3))
    case 'u': return number(weekday || 7, 1)
    case 'w': return number(weekday, 1)
    case 'U': return number(Math.floor((yearDay + 7 - weekday) / 7), 2)
    case 'W': return number(Math.floor((yearDay + 7 - ((weekday + 6) % 7)) / 7), 2)
    case 'G': return number(isoWeek(year, month, day).year, 4)
    case 'g': return number(isoWeek(year, month, day).year % 100, 2)
    case 'V': return number(isoWeek(year, month, day).week, 2)
    case 'q': return word(ordinalSuffix(day))
    case 's': return number(Math.floor(moment.epoch / 1000), 1)
    case 'n': return word('\n')
    case 't': return word('\t')
    case '%': return word('%')
    case 'c': return composite('%a %b %e %H:%M:%S %Y')
    case 'D':
    case 'x': return composite('%m/%d/%y')
    case 'F': return composite('%Y-%m-%d')
    case 'T':
    case 'X': return composite('%H:%M:%S')
    case 'R': return composite('%H:%M')
    case 'r': return composite('%I:%M:%S %p')
    case 'v': return composite('%e-%^b-%Y')
    case '+': return composite('%a %b %e %H:%M:%S %Z %Y')
    default: return undefined
  }
}

/** `+0900` (no colon), `+09:00` (`%:z`), `+09:00:00` (`%::z`). */
function formatOffset(offset: number, colons: number): string {
  const sign = offset < 0 ? '-' : '+'
  const abs = Math.abs(offset)
  const hours = String(Math.floor(abs / 60)).padStart(2, '0')
  const minutes = String(abs % 60).padStart(2, '0')
  if (colons === 0) return sign + hours + minutes
  return sign + hours + ':' + minutes + (colons > 1 ? ':00' : '')
}

/** ISO 8601 week-numbering year and week (weeks start on Monday; week 1 holds the first Thursday). */
function isoWeek(year: number, month: number, day: number): {year: number; week: number} {
  const date = new Date(Date.UTC(year, month, day))
  // The Thursday of the same week decides the year.
  date.setUTCDate(date.getUTCDate() - ((date.getUTCDay() + 6) % 7) + 3)
  const isoYear = date.getUTCFullYear()
  const dayOfYear = Math.round((date.getTime() - Date.UTC(isoYear, 0, 1)) / 86_400_000)
  return {year: isoYear, week: Math.floor(dayOfYear / 7) + 1}
}

function ordinalSuffix(day: number): string {
  if (day % 100 >= 11 && day % 100 <= 13) return 'th'
  switch (day % 10) {
    case 1: return 'st'
    case 2: return 'nd'
    case 3: return 'rd'
    default: return 'th'
  }
}
