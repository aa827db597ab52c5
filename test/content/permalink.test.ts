import {describe, it, expect} from 'vitest'
import {ZonedDate} from '../../src/content/zoned-date.js'
import {
  expandPermalink,
  urlToOutputPath,
  slugify,
  PERMALINK_STYLES,
  type PermalinkInput
} from '../../src/content/permalink.js'

/** 2024-05-12 00:00:00 +0900, a Sunday: day 133 of a leap year, ISO week 2024-W19-7. */
const SEED = ZonedDate.fromWallClock({year: 2024, month: 5, day: 12, hour: 0, minute: 0, second: 0}, 540)

function at(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, offset = 0): ZonedDate {
  return ZonedDate.fromWallClock({year, month, day, hour, minute, second}, offset)
}

function input(pattern: string, extra: Partial<PermalinkInput> = {}): PermalinkInput {
  return {pattern, date: SEED, title: 'how-good', ...extra}
}

describe('PERMALINK_STYLES', () => {
  it('holds Jekyll\'s five built-in styles and is frozen', () => {
    expect(PERMALINK_STYLES).toEqual({
      date: '/:categories/:year/:month/:day/:title:output_ext',
      pretty: '/:categories/:year/:month/:day/:title/',
      ordinal: '/:categories/:year/:y_day/:title:output_ext',
      weekdate: '/:categories/:year/W:week/:short_day/:title:output_ext',
      none: '/:categories/:title:output_ext'
    })
    expect(Object.isFrozen(PERMALINK_STYLES)).toBe(true)
  })
})

describe('expandPermalink', () => {
  it('expands the seed post with the pretty style', () => {
    expect(expandPermalink({pattern: 'pretty', date: SEED, title: 'how-good-are-the-latest-open-llms'})).toEqual({
      ok: true,
      url: '/2024/05/12/how-good-are-the-latest-open-llms/',
      outputPath: '2024/05/12/how-good-are-the-latest-open-llms/index.html'
    })
  })

  it.each<[string, PermalinkInput, string, string]>([
    // built-in styles
    ['pretty', input('pretty'), '/2024/05/12/how-good/', '2024/05/12/how-good/index.html'],
    ['explicit pretty pattern', input('/:year/:month/:day/:title/'), '/2024/05/12/how-good/', '2024/05/12/how-good/index.html'],
    ['date', input('date'), '/2024/05/12/how-good.html', '2024/05/12/how-good.html'],
    ['date with categories', input('date', {categories: ['AI', 'News']}), '/ai/news/2024/05/12/how-good.html', 'ai/news/2024/05/12/how-good.html'],
    ['ordinal', input('ordinal'), '/2024/133/how-good.html', '2024/133/how-good.html'],
    ['weekdate', input('weekdate'), '/2024/W19/Sun/how-good.html', '2024/W19/Sun/how-good.html'],
    ['none', input('none'), '/how-good.html', 'how-good.html'],
    ['none with a category', input('none', {categories: ['Rust']}), '/rust/how-good.html', 'rust/how-good.html'],
    ['style with .xml output', input('date', {outputExt: '.xml'}), '/2024/05/12/how-good.xml', '2024/05/12/how-good.xml'],
    ['style with empty output ext', input('date', {outputExt: ''}), '/2024/05/12/how-good', '2024/05/12/how-good'],
    // date placeholders
    ['short year, unpadded month/day', input('/:short_year/:i_month/:i_day/:title'), '/24/5/12/how-good', '24/5/12/how-good.html'],
    ['unpadded single digits', input('/:i_month/:i_day/:month/:day/', {date: at(2019, 1, 5)}), '/1/5/01/05/', '1/5/01/05/index.html'],
    ['time parts', input('/:hour/:minute/:second/', {date: at(2024, 5, 12, 9, 5, 7)}), '/09/05/07/', '09/05/07/index.html'],
    ['month and day names', input('/:short_month/:long_month/:short_day/:long_day/'), '/May/May/Sun/Sunday/', 'May/May/Sun/Sunday/index.html'],
    ['September names', input('/:short_month-:long_month/', {date: at(2023, 9, 6)}), '/Sep-September/', 'Sep-September/index.html'],
    ['ISO week parts (seed)', input('/:w_year/:week/:w_day/:y_day/'), '/2024/19/7/133/', '2024/19/7/133/index.html'],
    ['ISO week belongs to next year', input('/:year/:w_year-W:week-:w_day/', {date: at(2024, 12, 30)}), '/2024/2025-W01-1/', '2024/2025-W01-1/index.html'],
    ['ISO week 53 of previous year', input('/:year/:w_year-W:week-:w_day/', {date: at(2021, 1, 3)}), '/2021/2020-W53-7/', '2021/2020-W53-7/index.html'],
    ['leap-year day 366', input('/:y_day/', {date: at(2024, 12, 31)}), '/366/', '366/index.html'],
    ['first day of year', input('/:y_day/:short_year/', {date: at(2005, 1, 1)}), '/001/05/', '001/05/index.html'],
    ['trailing underscore joins text', input('/:year_:month/'), '/2024_05/', '2024_05/index.html'],
    // date parts come from the written offset, not UTC
    ['same instant shown in UTC', input('pretty', {date: new ZonedDate(SEED.getTime(), 0)}), '/2024/05/11/how-good/', '2024/05/11/how-good/index.html'],
    ['late evening in -07:00', input('pretty', {date: at(2024, 5, 12, 23, 30, 0, -420)}), '/2024/05/12/how-good/', '2024/05/12/how-good/index.html'],
    // title and slug
    ['title keeps case, dots and pretty punctuation', input('/:title/', {title: 'v1.2-Notes!'}), '/v1.2-Notes!/', 'v1.2-Notes!/index.html'],
    ['title: spaces become hyphens (Jekyll pretty slugify)', input('/:title/', {title: 'Hello World?'}), '/Hello-World/', 'Hello-World/index.html'],
    ['slug defaults to slugify(title)', input('/:slug/', {title: 'Hello World! v1.2'}), '/hello-world-v1-2/', 'hello-world-v1-2/index.html'],
    ['explicit slug is slugified', input('/:slug/', {slug: 'Custom Slug'}), '/custom-slug/', 'custom-slug/index.html'],
    ['non-ASCII title is percent-encoded', input('/:title/', {title: '日本語'}), '/%E6%97%A5%E6%9C%AC%E8%AA%9E/', '日本語/index.html'],
    ['no slash or extension: output ext appended', input('/:title', {title: 'notes'}), '/notes', 'notes.html'],
    // categories
    ['categories: spaces escaped, path decoded', input('/:categories/:title/', {categories: ['Machine Learning']}), '/machine%20learning/how-good/', 'machine learning/how-good/index.html'],
    ['categories: de-duplicated after lowercasing', input('/:categories/:title/', {categories: ['AI', 'ai', 'Tools']}), '/ai/tools/how-good/', 'ai/tools/how-good/index.html'],
    ['categories: none collapse', input('/:categories/:title/', {categories: []}), '/how-good/', 'how-good/index.html'],
    ['categories: undefined collapse', input('/:categories/:year/:title/'), '/2024/how-good/', '2024/how-good/index.html'],
    ['categories: empty names dropped', input('/:categories/:title/', {categories: ['', '  ', 'x']}), '/x/how-good/', 'x/how-good/index.html'],
    ['categories: % is literal', input('/:categories/', {categories: ['100% fun']}), '/100%25%20fun/', '100% fun/index.html'],
    ['categories: unicode', input('/:categories/', {categories: ['Café']}), '/caf%C3%A9/', 'café/index.html'],
    // pattern literals and slashes
    ['no leading slash', input(':year/:title/'), '/2024/how-good/', '2024/how-good/index.html'],
    ['repeated slashes collapse', input('//:year//:title//'), '/2024/how-good/', '2024/how-good/index.html'],
    ['literal space in pattern is escaped', input('/my posts/:title/'), '/my%20posts/how-good/', 'my posts/how-good/index.html'],
    ['literal %20 in pattern is kept', input('/my%20posts/:title/'), '/my%20posts/how-good/', 'my posts/how-good/index.html'],
    ['literal extension kept', input('/:year/:title.php'), '/2024/how-good.php', '2024/how-good.php'],
    ['style names only match exactly', input('toString'), '/toString', 'toString.html'],
    ['surrounding blanks trimmed', input('  pretty  '), '/2024/05/12/how-good/', '2024/05/12/how-good/index.html']
  ])('%s', (_name, given, url, outputPath) => {
    expect(expandPermalink(given)).toEqual({ok: true, url, outputPath})
  })

  it.each<[string, PermalinkInput, string]>([
    ['unknown placeholder', input('/:year/:titel/'), '":titel"'],
    ['unknown placeholder is named with pattern', input('/:foo/'), 'permalink "/:foo/": unknown placeholder ":foo"'],
    ['several unknown placeholders', input('/:a/:b/'), '":a", ":b"'],
    ['title ".." escapes', input('pretty', {title: '..'}), 'would write outside the output folder'],
    ['category ".."', input('/:categories/:title/', {categories: ['..']}), 'would write outside the output folder'],
    ['category with path traversal', input('/:categories/:title/', {categories: ['../../etc']}), 'would write outside the output folder'],
    ['literal .. in pattern', input('/../:title/'), 'would write outside the output folder'],
    ['encoded .. in pattern', input('/%2e%2e/:title/'), 'would write outside the output folder'],
    ['backslash in pattern', input('/a\\..\\b/:title'), 'backslash'],
    ['backslash in a category', input('/:categories/:title/', {categories: ['a\\b']}), 'backslash'],
    ['NUL in a category', input('/:categories/:title/', {categories: ['a\u0000b']}), 'control character'],
    ['title that slugifies to nothing', input('pretty', {title: '???'}), ':title is empty'],
    ['slug that slugifies to nothing', input('/:slug/', {title: '!!'}), ':slug is empty'],
    ['empty pattern', input('   '), 'permalink pattern is empty'],
    ['bad output extension', input('date', {outputExt: '/../x'}), 'invalid output extension'],
    ['invalid date', input('pretty', {date: new ZonedDate(Number.NaN, 0)}), 'the date is invalid'],
    ['full URL', input('https://example.com/:title/'), 'not a full URL']
  ])('rejects: %s', (_name, given, reason) => {
    const result = expandPermalink(given)
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.reason).toContain(reason)
  })

  it('names the pattern and the expansion when the result is unsafe', () => {
    expect(expandPermalink(input('/:title/', {title: '..'}))).toEqual({
      ok: false,
      reason: 'permalink "/:title/" (expanded to "/../") would write outside the output folder'
    })
  })
})

describe('urlToOutputPath', () => {
  it.each<[string, string, string]>([
    ['/about/', '/about/', 'about/index.html'],
    ['/', '/', 'index.html'],
    ['/feed.xml', '/feed.xml', 'feed.xml'],
    ['/a/b.html', '/a/b.html', 'a/b.html'],
    ['/about', '/about', 'about.html'],
    ['about', '/about', 'about.html'],
    ['about/', '/about/', 'about/index.html'],
    ['//a///b/', '/a/b/', 'a/b/index.html'],
    ['  /about/  ', '/about/', 'about/index.html'],
    ['/my page/', '/my%20page/', 'my page/index.html'],
    ['/my%20page/', '/my%20page/', 'my page/index.html'],
    ['/日本/', '/%E6%97%A5%E6%9C%AC/', '日本/index.html'],
    ['/100%/', '/100%25/', '100%/index.html'],
    ['/a?b#c', '/a%3Fb%23c', 'a?b#c.html'],
    ['/v1.2', '/v1.2', 'v1.2.html'],
    ['/notes/v1.2-notes', '/notes/v1.2-notes', 'notes/v1.2-notes.html'],
    ['/video.mp4', '/video.mp4', 'video.mp4'],
    ['/site.webmanifest', '/site.webmanifest', 'site.webmanifest'],
    ['/a..b/', '/a..b/', 'a..b/index.html'],
    ['/.../', '/.../', '.../index.html'],
    ['/user@host:8080/', '/user@host:8080/', 'user@host:8080/index.html']
  ])('%j → url %j, file %j', (given, url, outputPath) => {
    expect(urlToOutputPath(given)).toEqual({ok: true, url, outputPath})
  })

  it('gives the documented reason for a traversal', () => {
    expect(urlToOutputPath('/../../etc')).toEqual({ok: false, reason: 'permalink "/../../etc" would write outside the output folder'})
  })

  it.each<[string, string]>([
    ['/a/../b', 'would write outside the output folder'],
    ['/..', 'would write outside the output folder'],
    ['/%2e%2e/etc', 'would write outside the output folder'],
    ['/%2E%2E/etc', 'would write outside the output folder'],
    ['/.%2e/etc', 'would write outside the output folder'],
    ['/./a', '"." path segment'],
    ['/a\\..\\b', 'backslash'],
    ['/a%5cb', 'backslash'],
    ['/a%00b', 'control character'],
    ['/a\u0000b', 'control character'],
    ['/a\nb', 'control character'],
    ['/a%2Fb', 'encoded slash'],
    ['/%2e%2e%2fetc', 'encoded slash'],
    ['/%ff/', 'invalid percent-encoding'],
    ['https://example.com/x', 'not a full URL'],
    ['', 'permalink is empty'],
    ['   ', 'permalink is empty']
  ])('rejects %j', (given, reason) => {
    const result = urlToOutputPath(given)
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.reason).toContain(reason)
  })
})

describe('slugify', () => {
  it.each<[string, 'default' | 'pretty', boolean, string]>([
    ['Hello World', 'default', false, 'hello-world'],
    ['  Hello,   World!  ', 'default', false, 'hello-world'],
    ['v1.2-notes', 'default', false, 'v1-2-notes'],
    ['v1.2-notes', 'pretty', true, 'v1.2-notes'],
    ['How good are the latest open LLMs?', 'pretty', true, 'How-good-are-the-latest-open-LLMs'],
    ["Rock & Roll (live) @ home", 'pretty', false, "rock-&-roll-(live)-@-home"],
    ['a--b___c', 'default', false, 'a-b-c'],
    ['a--b___c', 'pretty', false, 'a-b___c'],
    ['Café déjà vu', 'default', false, 'café-déjà-vu'],
    ['日本語 タイトル', 'default', false, '日本語-タイトル'],
    ['???', 'default', false, '']
  ])('slugify(%j, %s, cased=%s) = %j', (text, mode, cased, expected) => {
    expect(slugify(text, mode, cased)).toBe(expected)
  })
})
