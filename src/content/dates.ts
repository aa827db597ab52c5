/**
 * Parsing of post dates the way Jekyll accepts them, without ever consulting
 * the clock or the zone of the machine running the build.
 *
 * - A date with a written offset (`+0900`, `-07:00`, `Z`, `UTC`) is that instant.
 * - A date without one is wall-clock time in the site `timezone`, else UTC.
 * - Which offset a date with a written offset is shown in (and dated by, in
 *   permalinks) depends on `keepWrittenOffset`: Galley sites keep the
 *   author's (`2024-05-12 00:30 +0900` is the 12th, whatever `timezone:`
 *   says); Jekyll sites convert it to the site `timezone`, as Jekyll does by
 *   setting `TZ` (the same date under `timezone: America/New_York` is
 *   2024-05-11 11:30 -0400, the 11th). Without a `timezone` the written
 *   offset is kept either way (Jekyll would use the build machine's zone).
 */
import {ZonedDate, type WallClock} from './zoned-date.js'

/** Options shared by every date function. */
export interface DateOptions {
  /** IANA zone from site config (`timezone: Asia/Tokyo`). When set, dates WITHOUT a written offset are wall-clock in this zone, and every date is DISPLAYED in this zone (Jekyll converts all times to the site timezone). */
  readonly timezone?: string | undefined
  /**
   * Show a date WITH a written offset in that offset even when `timezone` is
   * set (Galley sites: the author's offset wins). Default false: it is shown
   * in `timezone`, as Jekyll does (Jekyll sites).
   */
  readonly keepWrittenOffset?: boolean | undefined
}

/** The outcome of {@link parseDate}: a date, or a human-readable reason it was rejected. */
export type DateResult = {ok: true; date: ZonedDate; hasTime: boolean} | {ok: false; reason: string}

const MINUTE_MS = 60_000
const DAY_MS = 86_400_000
/** Largest accepted written offset, in minutes (±18:00, as in ISO 8601 profiles). */
const MAX_OFFSET_MINUTES = 18 * 60

const MONTH_NAMES = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December'
] as const

/** `YYYY-M-D`, optionally followed by `T`/blank(s) and `H:MM[:SS[.fff]]`, then whatever zone text remains. */
const DATE_TIME_PATTERN =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:[Tt]|[ \t]+)(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?[ \t]*(.*)$/
/** Zone text after a time: `Z`, `UTC`, `GMT`, or a numeric offset optionally followed by an ignored abbreviation (`-0500 EST`). */
const UTC_ZONE_PATTERN = /^(?:Z|UTC|GMT)$/i
const NUMERIC_ZONE_PATTERN = /^([+-])(\d{2})(?::?(\d{2}))?(?:[ \t]+[A-Za-z]{1,6})?$/
const ABBREVIATION_PATTERN = /^[A-Za-z]{2,6}$/
/** `YYYY-M-D-slug.ext` post file names (Jekyll requires the extension). */
const FILE_NAME_PATTERN = /^(\d{4})-(\d{1,2})-(\d{1,2})-(.+)\.[^.]+$/

/** What a date string says before any zone arithmetic. */
interface WrittenDate {
  readonly wall: WallClock
  readonly millisecond: number
  readonly hasTime: boolean
  /** Minutes east of UTC, or undefined when no offset was written. */
  readonly offset: number | undefined
}

type Checked<T> = {ok: true; value: T} | {ok: false; reason: string}

/**
 * Parse a front-matter date (string as written, or a JS `Date`) into a {@link ZonedDate}.
 *
 * Accepts `2024-05-12`, `2024-5-2`, `2024-05-12 09:15[:00[.123]]`, a `T` or
 * several blanks between date and time, and an optional zone: `Z`, `UTC`,
 * `GMT`, `+09`, `+0900`, `+09:00`, with an ignored trailing abbreviation after
 * a numeric offset (`-0500 EST`). A `Date` is taken as the instant it holds.
 * Anything else yields `{ok: false, reason}` naming what is wrong.
 */
export function parseDate(value: unknown, options: DateOptions = {}): DateResult {
  const zone = zoneOf(options)
  if (zone !== undefined && !isValidTimeZone(zone)) return {ok: false, reason: `unknown time zone "${zone}"`}
  if (value instanceof Date) return fromDateObject(value, zone)
  if (typeof value !== 'string') return {ok: false, reason: `invalid date ${describe(value)}: expected a date string like "2024-05-12" or "2024-05-12 09:15:00 +0900"`}
  const text = value.trim()
  const written = readDateString(text)
  if (!written.ok) return {ok: false, reason: `invalid date "${text}": ${written.reason}`}
  return {ok: true, date: resolve(written.value, zone, options.keepWrittenOffset === true), hasTime: written.value.hasTime}
}

/**
 * Split a Jekyll post file name (`2024-05-12-how-good.md`, `2019-1-5-x.md`)
 * into its date (midnight wall-clock in the site zone, else UTC) and slug
 * (the rest without the extension, as written: `v1.2-notes` stays so).
 * Returns undefined when the name does not match or the date is impossible.
 */
export function dateFromFileName(name: string, options: DateOptions = {}): {date: ZonedDate; slug: string} | undefined {
  const zone = zoneOf(options)
  if (zone !== undefined && !isValidTimeZone(zone)) return undefined
  const base = name.split(/[\\/]/).pop() ?? ''
  const match = FILE_NAME_PATTERN.exec(base)
  if (!match) return undefined
  const [, year = '', month = '', day = '', slug = ''] = match
  const checked = checkWallClock({year: Number(year), month: Number(month), day: Number(day), hour: 0, minute: 0, second: 0})
  if (!checked.ok) return undefined
  const date = resolve({wall: checked.value, millisecond: 0, hasTime: false, offset: undefined}, zone, false)
  return {date, slug}
}

/** True when `name` is a time zone this runtime's `Intl` knows (`Asia/Tokyo`, `UTC`, `Etc/GMT+5`). */
export function isValidTimeZone(name: string): boolean {
  if (typeof name !== 'string' || name.trim() === '') return false
  try {
    formatterFor(name)
    return true
  } catch {
    return false
  }
}

/**
 * "Now" for `site.time`: the given instant (pass `Date.now()` from the caller),
 * displayed in the site zone's offset at that instant, else UTC.
 * @throws RangeError when `options.timezone` is not a known zone or `instant` is not finite.
 */
export function nowIn(instant: number, options: DateOptions = {}): ZonedDate {
  if (!Number.isFinite(instant)) throw new RangeError(`nowIn: instant must be a finite number, got ${String(instant)}`)
  const zone = zoneOf(options)
  if (zone === undefined) return new ZonedDate(instant, 0)
  if (!isValidTimeZone(zone)) throw new RangeError(`unknown time zone "${zone}"`)
  return new ZonedDate(instant, zoneOffsetAt(zone, instant))
}

/** The zone's offset from UTC (minutes east, rounded to whole minutes) at an instant. */
export function zoneOffsetAt(zone: string, instant: number): number {
  const seconds = Math.floor(instant / 1000) * 1000
  const wall = wallInZone(zone, seconds)
  return Math.round((wallToUtcMs(wall, 0) - seconds) / MINUTE_MS)
}

function zoneOf(options: DateOptions | undefined): string | undefined {
  const zone = options?.timezone
  return typeof zone === 'string' && zone.trim() !== '' ? zone.trim() : undefined
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value)
  if (typeof value === 'number') return `${String(value)} (a number)`
  if (typeof value === 'string') return `"${value}"`
  const type = typeof value
  return `(${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type})`
}

function fromDateObject(value: Date, zone: string | undefined): DateResult {
  const instant = value.getTime()
  if (Number.isNaN(instant)) return {ok: false, reason: 'invalid date: the Date object is invalid (NaN)'}
  if (zone !== undefined) return {ok: true, date: new ZonedDate(instant, zoneOffsetAt(zone, instant)), hasTime: true}
  const offset = value instanceof ZonedDate ? value.offset : 0
  return {ok: true, date: new ZonedDate(instant, offset), hasTime: true}
}

/** Turn written fields into an instant and pick the offset it is displayed in. */
function resolve(written: WrittenDate, zone: string | undefined, keepWrittenOffset: boolean): ZonedDate {
  const local = wallToUtcMs(written.wall, written.millisecond)
  if (written.offset !== undefined) {
    const instant = local - written.offset * MINUTE_MS
    return new ZonedDate(instant, zone === undefined || keepWrittenOffset ? written.offset : zoneOffsetAt(zone, instant))
  }
  if (zone === undefined) return new ZonedDate(local, 0)
  const instant = instantOfWallInZone(local, zone)
  return new ZonedDate(instant, zoneOffsetAt(zone, instant))
}

/**
 * The instant at which `zone`'s wall clock reads `local` (wall fields encoded as if UTC).
 * Ambiguous times (DST fall-back) take the earlier instant; skipped times (spring-forward
 * gap) are read with the offset before the gap, i.e. pushed forward — Ruby's and
 * Temporal's "compatible" behaviour.
 */
function instantOfWallInZone(local: number, zone: string): number {
  const before = zoneOffsetAt(zone, local - DAY_MS)
  const after = zoneOffsetAt(zone, local + DAY_MS)
  const valid = [...new Set([before, after])]
    .map((offset) => local - offset * MINUTE_MS)
    .filter((instant) => zoneOffsetAt(zone, instant) * MINUTE_MS === local - instant)
  return valid.length > 0 ? Math.min(...valid) : local - before * MINUTE_MS
}

function readDateString(text: string): Checked<WrittenDate> {
  if (text === '') return {ok: false, reason: 'the date is empty'}
  const match = DATE_TIME_PATTERN.exec(text)
  if (!match) return {ok: false, reason: 'expected YYYY-MM-DD, optionally followed by a time like 09:15:00 and an offset like +0900'}
  const [, year = '', month = '', day = '', hour, minute, second, fraction, rest = ''] = match
  const hasTime = hour !== undefined
  if (!hasTime && rest !== '') return {ok: false, reason: `unexpected "${rest}" after the date (expected a time like 09:15:00)`}
  // Ruby's Time#to_s-like text repeats the year before the offset (`18:30:22 2023 -0800`);
  // Jekyll reads it, so do we, when the repeated year is the date's own.
  const zoneText = rest.startsWith(year + ' ') ? rest.slice(year.length + 1).trimStart() : rest
  const offset = readZone(zoneText)
  if (!offset.ok) return offset
  const wall = checkWallClock({
    year: Number(year), month: Number(month), day: Number(day),
    hour: Number(hour ?? 0), minute: Number(minute ?? 0), second: Number(second ?? 0)
  })
  if (!wall.ok) return wall
  const millisecond = fraction === undefined ? 0 : Number(fraction.slice(0, 3).padEnd(3, '0'))
  return {ok: true, value: {wall: wall.value, millisecond, hasTime, offset: offset.value}}
}

/** Read the zone text after a time into minutes east of UTC (undefined when none was written). */
function readZone(rest: string): Checked<number | undefined> {
  if (rest === '') return {ok: true, value: undefined}
  if (UTC_ZONE_PATTERN.test(rest)) return {ok: true, value: 0}
  const match = NUMERIC_ZONE_PATTERN.exec(rest)
  if (match) {
    const [, sign = '+', hours = '0', minutes = '0'] = match
    if (Number(minutes) > 59) return {ok: false, reason: `offset minutes must be 00–59 in "${rest}"`}
    const total = Number(hours) * 60 + Number(minutes)
    if (total > MAX_OFFSET_MINUTES) return {ok: false, reason: `offset "${rest}" is beyond ±18:00`}
    return {ok: true, value: sign === '-' ? -total : total}
  }
  if (ABBREVIATION_PATTERN.test(rest)) return {ok: false, reason: `time zone abbreviation "${rest}" is ambiguous; write a numeric offset such as -0500`}
  return {ok: false, reason: `unexpected "${rest}" after the time (expected an offset like +0900, +09:00 or Z)`}
}

function checkWallClock(wall: WallClock): Checked<WallClock> {
  if (wall.year < 1) return {ok: false, reason: 'year must be 0001–9999'}
  if (wall.month < 1 || wall.month > 12) return {ok: false, reason: 'month must be 1–12'}
  const last = daysInMonth(wall.year, wall.month)
  if (wall.day < 1 || wall.day > last) {
    return {ok: false, reason: `day must be 1–${last} for ${MONTH_NAMES[wall.month - 1] ?? ''} ${wall.year}`}
  }
  if (wall.hour > 23) return {ok: false, reason: 'hour must be 0–23'}
  if (wall.minute > 59) return {ok: false, reason: 'minute must be 0–59'}
  if (wall.second > 59) return {ok: false, reason: 'second must be 0–59'}
  return {ok: true, value: wall}
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28
  return [4, 6, 9, 11].includes(month) ? 30 : 31
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
}

/** Wall fields read as UTC, in ms; unlike `Date.UTC`, years 0–99 are not shifted to 19xx. */
function wallToUtcMs(wall: WallClock, millisecond: number): number {
  const date = new Date(0)
  date.setUTCFullYear(wall.year, wall.month - 1, wall.day)
  date.setUTCHours(wall.hour, wall.minute, wall.second, millisecond)
  return date.getTime()
}

const formatters = new Map<string, Intl.DateTimeFormat>()

/** A cached formatter giving `zone`'s numeric wall clock; throws RangeError for unknown zones. */
function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone)
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', era: 'short',
      year: 'numeric', month: 'numeric', day: 'numeric',
      hour: 'numeric', minute: 'numeric', second: 'numeric'
    })
    formatters.set(zone, formatter)
  }
  return formatter
}

/** The wall clock `zone` shows at `instant`, via Intl (never the machine's zone). */
function wallInZone(zone: string, instant: number): WallClock {
  const fields: Record<string, string> = {}
  for (const part of formatterFor(zone).formatToParts(instant)) fields[part.type] = part.value
  const year = Number(fields.year)
  return {
    year: fields.era === 'BC' || fields.era === 'B' ? 1 - year : year,
    month: Number(fields.month),
    day: Number(fields.day),
    hour: Number(fields.hour),
    minute: Number(fields.minute),
    second: Number(fields.second)
  }
}
