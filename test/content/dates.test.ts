import {describe, it, expect, vi, afterEach, beforeAll, afterAll} from 'vitest'
import {spawnSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import ts from 'typescript'
import {ZonedDate} from '../../src/content/zoned-date.js'
import {parseDate, dateFromFileName, isValidTimeZone, nowIn, type DateOptions} from '../../src/content/dates.js'
import {expandPermalink} from '../../src/content/permalink.js'

const TOKYO: DateOptions = {timezone: 'Asia/Tokyo'}
const NEW_YORK: DateOptions = {timezone: 'America/New_York'}
const LONDON: DateOptions = {timezone: 'Europe/London'}

/** Parse and return `[zoned ISO, UTC ISO, hasTime]`, failing the test with the reason when rejected. */
function parsed(value: unknown, options?: DateOptions): [string, string, boolean] {
  const result = parseDate(value, options)
  if (!result.ok) throw new Error(result.reason)
  return [result.date.toZonedISOString(), result.date.toISOString(), result.hasTime]
}

describe('parseDate: accepted forms without a site timezone', () => {
  it.each<[string, string, string, boolean]>([
    ['2024-05-12', '2024-05-12T00:00:00+00:00', '2024-05-12T00:00:00.000Z', false],
    ['2024-5-2', '2024-05-02T00:00:00+00:00', '2024-05-02T00:00:00.000Z', false],
    ['2024-05-12 00:00:00', '2024-05-12T00:00:00+00:00', '2024-05-12T00:00:00.000Z', true],
    ['2024-05-12 0:00:00', '2024-05-12T00:00:00+00:00', '2024-05-12T00:00:00.000Z', true],
    ['2024-05-12  09:15:00', '2024-05-12T09:15:00+00:00', '2024-05-12T09:15:00.000Z', true],
    ['2024-05-12\t09:15:00', '2024-05-12T09:15:00+00:00', '2024-05-12T09:15:00.000Z', true],
    ['2024-05-12 00:00', '2024-05-12T00:00:00+00:00', '2024-05-12T00:00:00.000Z', true],
    ['2024-05-12 00:00:00 +0900', '2024-05-12T00:00:00+09:00', '2024-05-11T15:00:00.000Z', true],
    ['2024-05-12 00:00:00 -0700', '2024-05-12T00:00:00-07:00', '2024-05-12T07:00:00.000Z', true],
    ['2024-05-12 00:00:00 +09:00', '2024-05-12T00:00:00+09:00', '2024-05-11T15:00:00.000Z', true],
    ['2024-05-12 00:00:00 +09', '2024-05-12T00:00:00+09:00', '2024-05-11T15:00:00.000Z', true],
    ['2024-05-12 00:00:00+0900', '2024-05-12T00:00:00+09:00', '2024-05-11T15:00:00.000Z', true],
    ['2024-05-12 00:00 +0900', '2024-05-12T00:00:00+09:00', '2024-05-11T15:00:00.000Z', true],
    ['2024-05-12 10:00:00 +0530', '2024-05-12T10:00:00+05:30', '2024-05-12T04:30:00.000Z', true],
    ['2024-05-12 10:00:00 +05:45', '2024-05-12T10:00:00+05:45', '2024-05-12T04:15:00.000Z', true],
    ['2024-05-12 10:00:00 -03:30', '2024-05-12T10:00:00-03:30', '2024-05-12T13:30:00.000Z', true],
    ['2024-05-12 23:59:59 +1400', '2024-05-12T23:59:59+14:00', '2024-05-12T09:59:59.000Z', true],
    ['2024-05-12T00:00:00Z', '2024-05-12T00:00:00+00:00', '2024-05-12T00:00:00.000Z', true],
    ['2024-05-12t00:00:00z', '2024-05-12T00:00:00+00:00', '2024-05-12T00:00:00.000Z', true],
    ['2024-05-12T00:00:00.123+09:00', '2024-05-12T00:00:00+09:00', '2024-05-11T15:00:00.123Z', true],
    ['2024-05-12T00:00:00.5Z', '2024-05-12T00:00:00+00:00', '2024-05-12T00:00:00.500Z', true],
    ['2024-05-12T00:00:00.123456789Z', '2024-05-12T00:00:00+00:00', '2024-05-12T00:00:00.123Z', true],
    ['2024-05-12 00:00:00 Z', '2024-05-12T00:00:00+00:00', '2024-05-12T00:00:00.000Z', true],
    ['2024-05-12 10:00:00 UTC', '2024-05-12T10:00:00+00:00', '2024-05-12T10:00:00.000Z', true],
    ['2024-05-12 10:00:00 +0000', '2024-05-12T10:00:00+00:00', '2024-05-12T10:00:00.000Z', true],
    ['2008-12-14 10:30:00 -0500 EST', '2008-12-14T10:30:00-05:00', '2008-12-14T15:30:00.000Z', true],
    ['2024-07-01 10:30:00 +0200 CEST', '2024-07-01T10:30:00+02:00', '2024-07-01T08:30:00.000Z', true],
    ['2023-01-29 18:30:22 2023 -0800', '2023-01-29T18:30:22-08:00', '2023-01-30T02:30:22.000Z', true],
    ['  2024-05-12  ', '2024-05-12T00:00:00+00:00', '2024-05-12T00:00:00.000Z', false],
    ['\n2024-05-12 09:15:00 +0900\n', '2024-05-12T09:15:00+09:00', '2024-05-12T00:15:00.000Z', true],
    ['2024-02-29', '2024-02-29T00:00:00+00:00', '2024-02-29T00:00:00.000Z', false],
    ['2000-02-29', '2000-02-29T00:00:00+00:00', '2000-02-29T00:00:00.000Z', false],
    ['2024-12-31 23:59:59', '2024-12-31T23:59:59+00:00', '2024-12-31T23:59:59.000Z', true],
    ['0050-06-01', '0050-06-01T00:00:00+00:00', '0050-06-01T00:00:00.000Z', false]
  ])('%j', (value, zoned, utc, hasTime) => {
    expect(parsed(value)).toEqual([zoned, utc, hasTime])
  })

  it('gives the seed date its written wall clock and offset', () => {
    const result = parseDate('2024-05-12 00:00:00 +0900')
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.date).toBeInstanceOf(ZonedDate)
    expect(result.date).toBeInstanceOf(Date)
    expect(result.date.wall()).toEqual({year: 2024, month: 5, day: 12, hour: 0, minute: 0, second: 0})
    expect(result.date.offset).toBe(540)
    expect(result.date.toZonedISOString()).toBe('2024-05-12T00:00:00+09:00')
  })

  it('treats an empty or blank timezone as unset', () => {
    expect(parsed('2024-05-12', {timezone: ''})).toEqual(['2024-05-12T00:00:00+00:00', '2024-05-12T00:00:00.000Z', false])
    expect(parsed('2024-05-12', {timezone: '  '})).toEqual(['2024-05-12T00:00:00+00:00', '2024-05-12T00:00:00.000Z', false])
    expect(parsed('2024-05-12', {timezone: undefined})).toEqual(['2024-05-12T00:00:00+00:00', '2024-05-12T00:00:00.000Z', false])
  })
})

describe('parseDate: with a site timezone', () => {
  it.each<[string, DateOptions, string, string, boolean]>([
    // no written offset: wall clock in the site zone
    ['2024-05-12', TOKYO, '2024-05-12T00:00:00+09:00', '2024-05-11T15:00:00.000Z', false],
    ['2024-05-12 09:15:00', TOKYO, '2024-05-12T09:15:00+09:00', '2024-05-12T00:15:00.000Z', true],
    ['2024-01-15 12:00', NEW_YORK, '2024-01-15T12:00:00-05:00', '2024-01-15T17:00:00.000Z', true],
    ['2024-07-15 12:00', NEW_YORK, '2024-07-15T12:00:00-04:00', '2024-07-15T16:00:00.000Z', true],
    ['2024-05-12', {timezone: 'Asia/Kolkata'}, '2024-05-12T00:00:00+05:30', '2024-05-11T18:30:00.000Z', false],
    ['2024-05-12 10:00', {timezone: 'Pacific/Kiritimati'}, '2024-05-12T10:00:00+14:00', '2024-05-11T20:00:00.000Z', true],
    ['2024-05-12 10:00', {timezone: 'America/St_Johns'}, '2024-05-12T10:00:00-02:30', '2024-05-12T12:30:00.000Z', true],
    ['2024-05-12 10:00', {timezone: 'UTC'}, '2024-05-12T10:00:00+00:00', '2024-05-12T10:00:00.000Z', true],
    // written offset: that instant, displayed in the site zone
    ['2024-05-12 00:00:00 +0900', TOKYO, '2024-05-12T00:00:00+09:00', '2024-05-11T15:00:00.000Z', true],
    ['2024-05-12 00:00:00 -0700', TOKYO, '2024-05-12T16:00:00+09:00', '2024-05-12T07:00:00.000Z', true],
    ['2024-05-12T00:00:00Z', TOKYO, '2024-05-12T09:00:00+09:00', '2024-05-12T00:00:00.000Z', true],
    ['2024-05-12 00:00:00 +0900', NEW_YORK, '2024-05-11T11:00:00-04:00', '2024-05-11T15:00:00.000Z', true],
    // DST, America/New_York: spring-forward gap is pushed forward, fall-back overlap takes the earlier instant
    ['2024-03-10 01:59:59', NEW_YORK, '2024-03-10T01:59:59-05:00', '2024-03-10T06:59:59.000Z', true],
    ['2024-03-10 02:30:00', NEW_YORK, '2024-03-10T03:30:00-04:00', '2024-03-10T07:30:00.000Z', true],
    ['2024-03-10 03:00:00', NEW_YORK, '2024-03-10T03:00:00-04:00', '2024-03-10T07:00:00.000Z', true],
    ['2024-11-03 00:59:59', NEW_YORK, '2024-11-03T00:59:59-04:00', '2024-11-03T04:59:59.000Z', true],
    ['2024-11-03 01:30:00', NEW_YORK, '2024-11-03T01:30:00-04:00', '2024-11-03T05:30:00.000Z', true],
    ['2024-11-03 02:00:00', NEW_YORK, '2024-11-03T02:00:00-05:00', '2024-11-03T07:00:00.000Z', true],
    // DST, Europe/London
    ['2024-03-31 01:30', LONDON, '2024-03-31T02:30:00+01:00', '2024-03-31T01:30:00.000Z', true],
    ['2024-10-27 01:30', LONDON, '2024-10-27T01:30:00+01:00', '2024-10-27T00:30:00.000Z', true],
    ['2024-10-27 02:30', LONDON, '2024-10-27T02:30:00+00:00', '2024-10-27T02:30:00.000Z', true],
    // a half-hour DST shift (Lord Howe: +10:30 → +11:00 at 02:00)
    ['2024-10-06 02:15', {timezone: 'Australia/Lord_Howe'}, '2024-10-06T02:45:00+11:00', '2024-10-05T15:45:00.000Z', true],
    // southern hemisphere summer time
    ['2024-01-10', {timezone: 'Australia/Sydney'}, '2024-01-10T00:00:00+11:00', '2024-01-09T13:00:00.000Z', false],
    ['2024-07-10', {timezone: 'Australia/Sydney'}, '2024-07-10T00:00:00+10:00', '2024-07-09T14:00:00.000Z', false]
  ])('%j in %j', (value, options, zoned, utc, hasTime) => {
    expect(parsed(value, options)).toEqual([zoned, utc, hasTime])
  })

  it('accepts a JS Date as a UTC instant, displayed in the site zone', () => {
    const date = new Date('2024-05-11T15:00:00.000Z')
    expect(parsed(date)).toEqual(['2024-05-11T15:00:00+00:00', '2024-05-11T15:00:00.000Z', true])
    expect(parsed(date, TOKYO)).toEqual(['2024-05-12T00:00:00+09:00', '2024-05-11T15:00:00.000Z', true])
  })

  it('keeps the offset of a ZonedDate unless a site zone is set', () => {
    const zoned = new ZonedDate(Date.UTC(2024, 4, 11, 15), -420)
    expect(parsed(zoned)).toEqual(['2024-05-11T08:00:00-07:00', '2024-05-11T15:00:00.000Z', true])
    expect(parsed(zoned, TOKYO)).toEqual(['2024-05-12T00:00:00+09:00', '2024-05-11T15:00:00.000Z', true])
  })
})

describe('parseDate: rejected values', () => {
  it('explains an impossible month', () => {
    expect(parseDate('2024-13-45')).toEqual({ok: false, reason: 'invalid date "2024-13-45": month must be 1–12'})
  })

  it.each<[unknown, string]>([
    ['2023-01-29 18:30:22 2022 -0800', 'unexpected "2022 -0800" after the time'],
    ['2023-02-29', 'invalid date "2023-02-29": day must be 1–28 for February 2023'],
    ['1900-02-29', 'day must be 1–28 for February 1900'],
    ['2024-04-31', 'day must be 1–30 for April 2024'],
    ['2024-05-00', 'day must be 1–31 for May 2024'],
    ['2024-00-10', 'month must be 1–12'],
    ['0000-01-01', 'year must be 0001–9999'],
    ['2024-05-12 25:00:00', 'hour must be 0–23'],
    ['2024-05-12 24:00:00', 'hour must be 0–23'],
    ['2024-05-12 10:60:00', 'minute must be 0–59'],
    ['2024-05-12 10:00:61', 'second must be 0–59'],
    ['2024-05-12 10:00:00 +2500', 'beyond ±18:00'],
    ['2024-05-12 10:00:00 +09:60', 'offset minutes must be 00–59'],
    ['2024-05-12 10:00:00 EST', 'time zone abbreviation "EST" is ambiguous'],
    ['2024-05-12 10:00:00 +0900 garbage words', 'unexpected "+0900 garbage words" after the time'],
    ['2024-05-12 10:00:00 Z EST', 'unexpected "Z EST"'],
    ['2024-05-12 10:00:00 +9', 'unexpected "+9"'],
    ['2024-05-12 +0900', 'unexpected "+0900" after the date'],
    ['2024-05-12 10', 'unexpected "10" after the date'],
    ['2024-05-12 10:5', 'unexpected "10:5" after the date'],
    ['2024-05-12T', 'unexpected "T" after the date'],
    ['2024-05-12x', 'unexpected "x" after the date'],
    ['garbage', 'invalid date "garbage": expected YYYY-MM-DD'],
    ['May 12, 2024', 'expected YYYY-MM-DD'],
    ['12/05/2024', 'expected YYYY-MM-DD'],
    ['2024/05/12', 'expected YYYY-MM-DD'],
    ['20240512', 'expected YYYY-MM-DD'],
    ['24-05-12', 'expected YYYY-MM-DD'],
    ['12024-05-12', 'expected YYYY-MM-DD'],
    ['', 'invalid date "": the date is empty'],
    ['   ', 'the date is empty'],
    [20240512, 'invalid date 20240512 (a number): expected a date string'],
    [1715472000000, '(a number)'],
    [null, 'invalid date null'],
    [undefined, 'invalid date undefined'],
    [true, '(a boolean)'],
    [{}, '(an object)'],
    [['2024-05-12'], '(an object)'],
    [new Date(Number.NaN), 'the Date object is invalid']
  ])('%j', (value, reason) => {
    const result = parseDate(value)
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.reason).toContain(reason)
  })

  it('rejects an unknown site timezone', () => {
    expect(parseDate('2024-05-12', {timezone: 'Mars/Olympus_Mons'})).toEqual({ok: false, reason: 'unknown time zone "Mars/Olympus_Mons"'})
  })
})

describe('dateFromFileName', () => {
  it.each<[string, DateOptions | undefined, string, string]>([
    ['2024-05-12-how-good.md', undefined, '2024-05-12T00:00:00+00:00', 'how-good'],
    ['2024-05-12-how-good-are-the-latest-open-llms.md', undefined, '2024-05-12T00:00:00+00:00', 'how-good-are-the-latest-open-llms'],
    ['2019-1-5-x.md', undefined, '2019-01-05T00:00:00+00:00', 'x'],
    ['2024-05-12-v1.2-notes.md', undefined, '2024-05-12T00:00:00+00:00', 'v1.2-notes'],
    ['2024-05-12-How Good.markdown', undefined, '2024-05-12T00:00:00+00:00', 'How Good'],
    ['2024-05-12-archive.tar.gz', undefined, '2024-05-12T00:00:00+00:00', 'archive.tar'],
    ['2024-02-29-leap.html', undefined, '2024-02-29T00:00:00+00:00', 'leap'],
    ['_posts/2024-05-12-nested.md', undefined, '2024-05-12T00:00:00+00:00', 'nested'],
    ['2024-05-12-how-good.md', TOKYO, '2024-05-12T00:00:00+09:00', 'how-good'],
    ['2024-03-10-dst.md', NEW_YORK, '2024-03-10T00:00:00-05:00', 'dst'],
    ['2024-07-04-summer.md', NEW_YORK, '2024-07-04T00:00:00-04:00', 'summer']
  ])('%j (%j)', (name, options, zoned, slug) => {
    const result = dateFromFileName(name, options)
    expect(result).toBeDefined()
    expect(result?.date.toZonedISOString()).toBe(zoned)
    expect(result?.slug).toBe(slug)
  })

  it('gives midnight in the site zone as an instant', () => {
    expect(dateFromFileName('2024-05-12-how-good.md', TOKYO)?.date.toISOString()).toBe('2024-05-11T15:00:00.000Z')
  })

  it.each([
    'how-good.md',
    '2024-05-12.md',
    '2024-05-12-.md',
    '2024-05-12-no-extension',
    '2023-02-29-not-leap.md',
    '2024-13-01-month.md',
    '2024-05-32-day.md',
    '24-05-12-short-year.md',
    'index.html',
    ''
  ])('%j → undefined', (name) => {
    expect(dateFromFileName(name)).toBeUndefined()
  })

  it('returns undefined for an unknown site timezone', () => {
    expect(dateFromFileName('2024-05-12-x.md', {timezone: 'Nowhere/Land'})).toBeUndefined()
  })
})

describe('isValidTimeZone', () => {
  it.each<[string, boolean]>([
    ['Asia/Tokyo', true],
    ['America/Los_Angeles', true],
    ['Pacific/Kiritimati', true],
    ['UTC', true],
    ['Etc/GMT+5', true],
    ['Mars/Olympus_Mons', false],
    ['Tokyo', false],
    ['', false],
    ['   ', false]
  ])('%j → %s', (name, valid) => {
    expect(isValidTimeZone(name)).toBe(valid)
  })
})

describe('nowIn', () => {
  const instant = Date.UTC(2024, 4, 11, 15, 0, 0)

  it.each<[DateOptions | undefined, string, number]>([
    [undefined, '2024-05-11T15:00:00+00:00', 0],
    [{}, '2024-05-11T15:00:00+00:00', 0],
    [TOKYO, '2024-05-12T00:00:00+09:00', 540],
    [NEW_YORK, '2024-05-11T11:00:00-04:00', -240],
    [{timezone: 'America/Los_Angeles'}, '2024-05-11T08:00:00-07:00', -420]
  ])('in %j', (options, zoned, offset) => {
    const now = nowIn(instant, options)
    expect(now.getTime()).toBe(instant)
    expect(now.offset).toBe(offset)
    expect(now.toZonedISOString()).toBe(zoned)
  })

  it('uses the offset in force at that instant (winter vs summer)', () => {
    expect(nowIn(Date.UTC(2024, 0, 15), NEW_YORK).offset).toBe(-300)
    expect(nowIn(Date.UTC(2024, 6, 15), NEW_YORK).offset).toBe(-240)
  })

  it('throws on an unknown zone or a non-finite instant', () => {
    expect(() => nowIn(instant, {timezone: 'Nowhere/Land'})).toThrow('unknown time zone "Nowhere/Land"')
    expect(() => nowIn(Number.NaN)).toThrow(RangeError)
  })
})

describe('never reads the clock', () => {
  it('does not call Date.now', () => {
    const spy = vi.spyOn(Date, 'now').mockImplementation(() => {
      throw new Error('Date.now must not be called')
    })
    try {
      parseDate('2024-05-12')
      parseDate('2024-05-12 10:00', NEW_YORK)
      parseDate(new Date(0), TOKYO)
      dateFromFileName('2024-05-12-x.md', TOKYO)
      nowIn(0, TOKYO)
      expect(spy).not.toHaveBeenCalled()
    } finally {
      spy.mockRestore()
    }
  })
})

// ---------------------------------------------------------------------------
// Zone independence: the machine's zone (process.env.TZ) must not matter.
// ---------------------------------------------------------------------------

/** Machine zones to run under, with `new Date(2024, 0, 1).getTimezoneOffset()` there (minutes WEST of UTC). */
const MACHINE_ZONES: ReadonlyArray<[string, number]> = [
  ['UTC', 0],
  ['America/Los_Angeles', 480],
  ['Pacific/Kiritimati', -840]
]

const SEED_NAME = '2024-05-12-how-good-are-the-latest-open-llms.md'
const SEED_DATE = '2024-05-12 00:00:00 +0900'

/** What every machine zone must compute; also what the child-process probe prints. */
const EXPECTED_PROBE = {
  seed: {
    wall: {year: 2024, month: 5, day: 12, hour: 0, minute: 0, second: 0},
    offset: 540,
    iso: '2024-05-12T00:00:00+09:00',
    url: '/2024/05/12/how-good-are-the-latest-open-llms/',
    outputPath: '2024/05/12/how-good-are-the-latest-open-llms/index.html'
  },
  plain: '2024-05-12T00:00:00+00:00',
  fileDate: '2024-05-12T00:00:00+00:00',
  fileDateTokyo: '2024-05-12T00:00:00+09:00',
  newYorkGap: '2024-03-10T03:30:00-04:00',
  losAngelesWinter: '2024-01-01T00:00:00-08:00',
  utcPrettyLateNight: '/2024/05/12/late/'
}

/** The computations checked in every machine zone (kept in sync with PROBE_SOURCE below). */
function probe(): typeof EXPECTED_PROBE {
  const seed = parseDate(SEED_DATE)
  const file = dateFromFileName(SEED_NAME)
  if (!seed.ok || !file) throw new Error('seed did not parse')
  const link = expandPermalink({pattern: 'pretty', date: seed.date, title: file.slug})
  if (!link.ok) throw new Error(link.reason)
  const iso = (value: string, options?: DateOptions): string => {
    const result = parseDate(value, options)
    if (!result.ok) throw new Error(result.reason)
    return result.date.toZonedISOString()
  }
  const late = parseDate('2024-05-12 23:30:00')
  if (!late.ok) throw new Error(late.reason)
  const lateLink = expandPermalink({pattern: 'pretty', date: late.date, title: 'late'})
  return {
    seed: {wall: seed.date.wall(), offset: seed.date.offset, iso: seed.date.toZonedISOString(), url: link.url, outputPath: link.outputPath},
    plain: iso('2024-05-12'),
    fileDate: file.date.toZonedISOString(),
    fileDateTokyo: dateFromFileName(SEED_NAME, TOKYO)?.date.toZonedISOString() ?? '',
    newYorkGap: iso('2024-03-10 02:30:00', NEW_YORK),
    losAngelesWinter: iso('2024-01-01', {timezone: 'America/Los_Angeles'}),
    utcPrettyLateNight: lateLink.ok ? lateLink.url : lateLink.reason
  }
}

describe('zone independence (in process, switching process.env.TZ)', () => {
  afterEach(() => {
    vi.unstubAllEnvs()
  })

  it.each(MACHINE_ZONES)('TZ=%s', (zone, westOfUtc) => {
    vi.stubEnv('TZ', zone)
    // Prove the switch took effect, so this test cannot pass vacuously.
    expect(new Date(2024, 0, 1).getTimezoneOffset()).toBe(westOfUtc)
    expect(probe()).toEqual(EXPECTED_PROBE)
  })
})

/** The same probe as `probe()`, for a child Node process importing the transpiled modules. */
const PROBE_SOURCE = `
import {parseDate, dateFromFileName} from './dates.js'
import {expandPermalink} from './permalink.js'
const TOKYO = {timezone: 'Asia/Tokyo'}
const iso = (value, options) => {
  const result = parseDate(value, options)
  if (!result.ok) throw new Error(result.reason)
  return result.date.toZonedISOString()
}
const seed = parseDate(${JSON.stringify(SEED_DATE)})
const file = dateFromFileName(${JSON.stringify(SEED_NAME)})
const link = expandPermalink({pattern: 'pretty', date: seed.date, title: file.slug})
const late = parseDate('2024-05-12 23:30:00')
const lateLink = expandPermalink({pattern: 'pretty', date: late.date, title: 'late'})
const result = {
  seed: {wall: seed.date.wall(), offset: seed.date.offset, iso: seed.date.toZonedISOString(), url: link.url, outputPath: link.outputPath},
  plain: iso('2024-05-12'),
  fileDate: file.date.toZonedISOString(),
  fileDateTokyo: dateFromFileName(${JSON.stringify(SEED_NAME)}, TOKYO).date.toZonedISOString(),
  newYorkGap: iso('2024-03-10 02:30:00', {timezone: 'America/New_York'}),
  losAngelesWinter: iso('2024-01-01', {timezone: 'America/Los_Angeles'}),
  utcPrettyLateNight: lateLink.ok ? lateLink.url : lateLink.reason
}
process.stdout.write(JSON.stringify({machineOffset: new Date(2024, 0, 1).getTimezoneOffset(), result}))
`

describe('zone independence (child processes with TZ set at startup)', () => {
  let dir = ''

  beforeAll(() => {
    // Node 20 cannot run TypeScript, so transpile the modules under test into a scratch folder.
    dir = mkdtempSync(join(tmpdir(), 'galley-dates-'))
    for (const name of ['zoned-date', 'dates', 'permalink']) {
      const source = readFileSync(fileURLToPath(new URL(`../../src/content/${name}.ts`, import.meta.url)), 'utf8')
      const output = ts.transpileModule(source, {
        compilerOptions: {module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022}
      })
      writeFileSync(join(dir, `${name}.js`), output.outputText)
    }
    writeFileSync(join(dir, 'package.json'), '{"type": "module"}')
    writeFileSync(join(dir, 'probe.js'), PROBE_SOURCE)
  })

  afterAll(() => {
    if (dir !== '') rmSync(dir, {recursive: true, force: true})
  })

  it.each(MACHINE_ZONES)('TZ=%s', (zone, westOfUtc) => {
    const child = spawnSync(process.execPath, [join(dir, 'probe.js')], {
      env: {...process.env, TZ: zone},
      encoding: 'utf8',
      timeout: 30_000
    })
    expect(child.stderr).toBe('')
    expect(child.status).toBe(0)
    const output = JSON.parse(child.stdout) as {machineOffset: number; result: unknown}
    expect(output.machineOffset).toBe(westOfUtc)
    expect(output.result).toEqual(EXPECTED_PROBE)
  })
})

describe('parseDate: the written offset against the site timezone', () => {
  it.each<[string, DateOptions, string]>([
    // Galley sites (keepWrittenOffset): the author's offset wins; the instant is the same either way.
    ['2024-05-12 00:30:00 +0900', {...NEW_YORK, keepWrittenOffset: true}, '2024-05-12T00:30:00+09:00'],
    ['2024-05-12T23:30:00-07:00', {...TOKYO, keepWrittenOffset: true}, '2024-05-12T23:30:00-07:00'],
    ['2024-05-12T00:00:00Z', {...TOKYO, keepWrittenOffset: true}, '2024-05-12T00:00:00+00:00'],
    // Jekyll sites (the default): converted to the site timezone, as Jekyll does.
    ['2024-05-12 00:30:00 +0900', NEW_YORK, '2024-05-11T11:30:00-04:00'],
    ['2024-05-12T23:30:00-07:00', TOKYO, '2024-05-13T15:30:00+09:00'],
    // No written offset: the site timezone in both.
    ['2024-05-12 00:30:00', {...NEW_YORK, keepWrittenOffset: true}, '2024-05-12T00:30:00-04:00'],
    ['2024-05-12 00:30:00', NEW_YORK, '2024-05-12T00:30:00-04:00']
  ])('%s with %o → %s', (input, options, zoned) => {
    const result = parseDate(input, options)
    if (!result.ok) throw new Error(result.reason)
    expect(result.date.toZonedISOString()).toBe(zoned)
    const plain = parseDate(input, {timezone: options.timezone})
    if (!plain.ok) throw new Error(plain.reason)
    expect(result.date.toISOString()).toBe(plain.date.toISOString())
  })
})

describe('ZonedDate', () => {
  it('is made from wall-clock fields in its offset, and prints (String, JSON) in that offset', () => {
    const date = ZonedDate.fromWallClock({year: 2024, month: 5, day: 12, hour: 0, minute: 30, second: 5}, 540)
    expect(date.toISOString()).toBe('2024-05-11T15:30:05.000Z')
    expect(date.wall()).toEqual({year: 2024, month: 5, day: 12, hour: 0, minute: 30, second: 5})
    expect(String(date)).toBe('2024-05-12T00:30:05+09:00')
    expect(JSON.stringify({date})).toBe('{"date":"2024-05-12T00:30:05+09:00"}')
    expect(ZonedDate.fromWallClock({year: 2024, month: 1, day: 1, hour: 0, minute: 0, second: 0}, -420).toISOString()).toBe('2024-01-01T07:00:00.000Z')
  })
})
