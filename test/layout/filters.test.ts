import {Liquid} from 'liquidjs'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {ZonedDate} from '../../src/content/zoned-date.js'
import {createJekyllFilters, type FilterOptions} from '../../src/layout/filters.js'

const defaults: FilterOptions = {
  baseurl: '/blog',
  url: 'https://example.com',
  markdownify: (markdown) => `<p>${markdown.replace(/\*(.+?)\*/g, '<em>$1</em>')}</p>`
}

function engine(options: Partial<FilterOptions> = {}): Liquid {
  const liquid = new Liquid({strictFilters: true})
  for (const [name, fn] of Object.entries(createJekyllFilters({...defaults, ...options}))) {
    liquid.registerFilter(name, fn)
  }

  return liquid
}

function render(template: string, scope: object = {}, options: Partial<FilterOptions> = {}): string {
  return engine(options).parseAndRenderSync(template, scope)
}

/** `2024-05-12 00:00:00 +0900`, as a post's `page.date`. */
const tokyo = ZonedDate.fromWallClock({year: 2024, month: 5, day: 12, hour: 0, minute: 0, second: 0}, 540)
/** `2024-11-03 23:30:05 -0700`: already November 4th in UTC. */
const lateEvening = ZonedDate.fromWallClock({year: 2024, month: 11, day: 3, hour: 23, minute: 30, second: 5}, -420)

// The machine offset each zone has on 2024-05-12 (minutes, as getTimezoneOffset reports it).
const zones = [
  ['UTC', 0],
  ['America/Los_Angeles', 420],
  ['Pacific/Kiritimati', -840]
] as const

describe.each(zones)('date filters with TZ=%s', (zone, machineOffset) => {
  const previous = process.env.TZ

  beforeAll(() => {
    process.env.TZ = zone
  })

  afterAll(() => {
    if (previous === undefined) delete process.env.TZ
    else process.env.TZ = previous
  })

  it('really runs in that zone', () => {
    expect(new Date(Date.UTC(2024, 4, 11, 15)).getTimezoneOffset()).toBe(machineOffset)
  })

  it('formats a ZonedDate in its own offset', () => {
    const scope = {page: {date: tokyo}}
    expect(render('{{ page.date | date_to_xmlschema }}', scope)).toBe('2024-05-12T00:00:00+09:00')
    expect(render('{{ page.date | date: "%B %-d, %Y" }}', scope)).toBe('May 12, 2024')
    expect(render('{{ page.date | date_to_string }}', scope)).toBe('12 May 2024')
    expect(render('{{ page.date | date_to_long_string }}', scope)).toBe('12 May 2024')
    expect(render('{{ page.date | date_to_rfc822 }}', scope)).toBe('Sun, 12 May 2024 00:00:00 +0900')
  })

  it('keeps a negative offset on its own day', () => {
    const scope = {page: {date: lateEvening}}
    expect(render('{{ page.date | date_to_xmlschema }}', scope)).toBe('2024-11-03T23:30:05-07:00')
    expect(render('{{ page.date | date: "%A %B %-d, %Y %-I:%M %p" }}', scope)).toBe('Sunday November 3, 2024 11:30 PM')
    expect(render('{{ page.date | date_to_string: "ordinal", "US" }}', scope)).toBe('Nov 3rd, 2024')
  })

  it('reads the offset written in a string', () => {
    expect(render('{{ "2024-05-12 00:00:00 +0900" | date_to_xmlschema }}')).toBe('2024-05-12T00:00:00+09:00')
    expect(render('{{ "2024-05-12T00:00:00-07:00" | date: "%d %b %H:%M %z" }}')).toBe('12 May 00:00 -0700')
    expect(render('{{ "Sun, 12 May 2024 00:00:00 +0900" | date: "%F %T %:z" }}')).toBe('2024-05-12 00:00:00 +09:00')
  })

  it('treats a string without an offset as UTC, never the machine zone', () => {
    expect(render('{{ "2024-05-12" | date_to_xmlschema }}')).toBe('2024-05-12T00:00:00+00:00')
    expect(render('{{ d | date: "%F %T" }}', {d: new Date(Date.UTC(2024, 4, 12, 23, 0))})).toBe('2024-05-12 23:00:00')
  })

  it('converts with the LiquidJS third argument', () => {
    const scope = {page: {date: tokyo}}
    expect(render('{{ page.date | date: "%F %H:%M %:z", 420 }}', scope)).toBe('2024-05-11 08:00 -07:00')
    expect(render('{{ page.date | date: "%F %H:%M %:z", "America/New_York" }}', scope)).toBe('2024-05-11 11:00 -04:00')
  })

  it('takes "now" from site.time', () => {
    expect(render('{{ "now" | date: "%Y-%m-%d %:z" }}', {site: {time: lateEvening}})).toBe('2024-11-03 -07:00')
  })
})

describe('date filters', () => {
  it('formats the ordinal styles', () => {
    const scope = {d: tokyo}
    expect(render('{{ d | date_to_string: "ordinal" }}', scope)).toBe('12th May 2024')
    expect(render('{{ d | date_to_long_string: "ordinal", "US" }}', scope)).toBe('May 12th, 2024')
    const first = ZonedDate.fromWallClock({year: 2025, month: 3, day: 1, hour: 9, minute: 5, second: 0}, 0)
    expect(render('{{ d | date_to_long_string: "ordinal" }}', {d: first})).toBe('1st March 2025')
    expect(render('{{ d | date_to_string }}', {d: first})).toBe('01 Mar 2025')
  })

  it('supports Ruby strftime conversions and flags', () => {
    const date = ZonedDate.fromWallClock({year: 2024, month: 12, day: 30, hour: 14, minute: 7, second: 9}, 330)
    const cases: Array<[string, string]> = [
      ['%Y-%m-%d %H:%M:%S', '2024-12-30 14:07:09'],
      ['%e|%-d|%_m|%3N|%L', '30|30|12|000|000'],
      ['%a %A %b %^B %h', 'Mon Monday Dec DECEMBER Dec'],
      ['%I %l %p %P %#p', '02  2 PM pm pm'],
      ['%j %u %w %U %W', '365 1 1 52 53'],
      ['%G-W%V %g', '2025-W01 25'],
      ['%z %:z %::z %Z', '+0530 +05:30 +05:30:00 +05:30'],
      ['%D %F %T %R %r', '12/30/24 2024-12-30 14:07:09 14:07 02:07:09 PM'],
      ['%C %y %s', `20 24 ${Math.floor(date.getTime() / 1000)}`],
      ['%% %Q %10B|%-10B', '% %Q   December|December']
    ]
    for (const [format, expected] of cases) {
      expect(render('{{ d | date: f }}', {d: date, f: format}), format).toBe(expected)
    }
  })

  it('gives the input back when it is not a date or the format is empty', () => {
    expect(render('{{ "soon" | date: "%Y" }}')).toBe('soon')
    expect(render('{{ d | date: "" }}', {d: tokyo})).toBe('2024-05-12T00:00:00+09:00')
    expect(render('[{{ nothing | date: "%Y" }}]')).toBe('[]')
    expect(render('[{{ nothing | date_to_xmlschema }}]')).toBe('[]')
  })

  it('fails on a value that is not a date in date_to_*', () => {
    expect(() => render('{{ "2024-02-30" | date_to_xmlschema }}')).toThrow(/not a valid datetime/)
    expect(() => render('{{ "yesterday" | date_to_string }}')).toThrow(/not a valid datetime/)
  })
})

describe('relative_url and absolute_url', () => {
  const cases: Array<[input: string, relative: string, absolute: string]> = [
    ['/posts/hello/', '/blog/posts/hello/', 'https://example.com/blog/posts/hello/'],
    ['assets/css/style.css', '/blog/assets/css/style.css', 'https://example.com/blog/assets/css/style.css'],
    ['/', '/blog/', 'https://example.com/blog/'],
    ['', '/blog', 'https://example.com/blog'],
    ['/a b/ü.png', '/blog/a%20b/%C3%BC.png', 'https://example.com/blog/a%20b/%C3%BC.png'],
    ['/already%20escaped', '/blog/already%20escaped', 'https://example.com/blog/already%20escaped'],
    ['https://other.org/x', 'https://other.org/x', 'https://other.org/x'],
    ['//cdn.example.org/x.js', '//cdn.example.org/x.js', '//cdn.example.org/x.js'],
    ['#comments', '#comments', '#comments'],
    ['mailto:me@example.com', 'mailto:me@example.com', 'mailto:me@example.com']
  ]

  it.each(cases)('%j', (input, relative, absolute) => {
    expect(render('{{ u | relative_url }}', {u: input})).toBe(relative)
    expect(render('{{ u | absolute_url }}', {u: input})).toBe(absolute)
  })

  it('prefixes once per call, like Jekyll', () => {
    expect(render('{{ "/about/" | relative_url }}')).toBe('/blog/about/')
    expect(render('{{ "/about/" | relative_url | relative_url }}')).toBe('/blog/blog/about/')
  })

  it('works without baseurl or url', () => {
    const bare = {baseurl: '', url: ''}
    expect(render('{{ "/about/" | relative_url }}', {}, bare)).toBe('/about/')
    expect(render('{{ "about" | absolute_url }}', {}, bare)).toBe('/about')
    expect(render('{{ "/about/" | absolute_url }}', {}, {url: 'https://example.com/', baseurl: 'docs/'})).toBe(
      'https://example.com/docs/about/'
    )
  })

  it('uses the url of an object passed whole, and leaves nil empty', () => {
    expect(render('{{ post | relative_url }}', {post: {url: '/2024/05/12/x.html'}})).toBe('/blog/2024/05/12/x.html')
    expect(render('[{{ missing | relative_url }}|{{ missing | absolute_url }}]')).toBe('[|]')
  })
})

describe('text filters', () => {
  it('escapes for XML, CGI and URIs', () => {
    expect(render(`{{ "Tom & \\"Jerry\\" <3" | xml_escape }}`)).toBe('Tom &amp; &#34;Jerry&#34; &lt;3')
    expect(render(`{{ "a b&c=d/é*" | cgi_escape }}`)).toBe('a+b%26c%3Dd%2F%C3%A9%2A')
    expect(render(`{{ "/a b/[x]?q=%20é" | uri_escape }}`)).toBe('/a%20b/[x]?q=%20%C3%A9')
    expect(render(`{{ "100%" | uri_escape }}`)).toBe('100%25')
  })

  it('strips HTML and counts words', () => {
    expect(render('{{ "<p>Hello <b>there</b></p><script>x()</script>" | strip_html }}')).toBe('Hello there')
    expect(render('{{ "  one two\n three  " | number_of_words }}')).toBe('3')
  })

  it('normalizes whitespace and trims, as Jekyll does', () => {
    expect(render('[{{ "  a \n\t b  " | normalize_whitespace }}]')).toBe('[a b]')
  })

  it('joins arrays into a sentence', () => {
    expect(render('{{ list | array_to_sentence_string }}', {list: ['a', 'b', 'c']})).toBe('a, b, and c')
    expect(render('{{ list | array_to_sentence_string: "or" }}', {list: ['a', 'b']})).toBe('a or b')
  })

  it('renders markdown through the injected renderer', () => {
    expect(render('{{ "*hi*" | markdownify }}')).toBe('<p><em>hi</em></p>')
  })

  it('smartifies quotes, dashes and ellipses and escapes HTML', () => {
    expect(render(`{{ text | smartify }}`, {text: `"Small" models -- it's '90s tech... <b>`})).toBe(
      '\u201CSmall\u201D models \u2013 it\u2019s \u201990s tech\u2026 &lt;b&gt;'
    )
    expect(render(`{{ "a --- b &amp; c" | smartify }}`)).toBe('a \u2014 b &amp; c')
  })

  it.each([
    ['default', 'The _config.yml file?!', 'the-config-yml-file'],
    ['raw', 'The _config.yml file?!', 'the-_config.yml-file?!'],
    ['pretty', 'The _config.yml file?!', 'the-_config.yml-file-!'],
    ['ascii', 'Café Ñandú 2024', 'caf-and-2024'],
    ['latin', 'Café ÉTÉ Ñandú Æsir straße', 'cafe-ete-nandu-aesir-strasse'],
    ['latin', 'Tokyo 東京', 'tokyo'],
    ['default', 'Café 東京', 'café-東京'],
    ['none', 'Keep  Me!', 'keep  me!']
  ])('slugify %s: %s', (mode, input, expected) => {
    expect(render('{{ s | slugify: m }}', {s: input, m: mode})).toBe(expected)
  })

  it('slugifies in default mode without an argument', () => {
    expect(render('{{ "Hello, World" | slugify }}')).toBe('hello-world')
  })
})

describe('jsonify', () => {
  it('writes a ZonedDate in its own offset', () => {
    expect(render('{{ d | jsonify }}', {d: tokyo})).toBe('"2024-05-12T00:00:00+09:00"')
    expect(render('{{ x | jsonify }}', {x: {a: [1, 'two', null], b: true}})).toBe('{"a":[1,"two",null],"b":true}')
  })

  it('collapses previous/next and survives cycles', () => {
    const first: Record<string, unknown> = {title: 'First', url: '/1/', content: '<p>1</p>'}
    const second: Record<string, unknown> = {title: 'Second', url: '/2/', content: '<p>2</p>', previous: first}
    first.next = second
    const self: Record<string, unknown> = {name: 'loop'}
    self.self = self
    expect(JSON.parse(render('{{ page | jsonify }}', {page: second}))).toEqual({
      title: 'Second',
      url: '/2/',
      content: '<p>2</p>',
      previous: {title: 'First', url: '/1/'}
    })
    expect(render('{{ x | jsonify }}', {x: self})).toBe('{"name":"loop"}')
  })

  it('is safe inside <script>: <, >, &, U+2028 and U+2029 are \\u escapes, and the JSON is the same', () => {
    const text = '</script><script>alert(1)</script> & \u2028\u2029 <!--'
    const json = render('{{ x | jsonify }}', {x: {name: text}})
    expect(json).toBe('{"name":"\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e \\u0026 \\u2028\\u2029 \\u003c!--"}')
    expect(JSON.parse(json)).toEqual({name: text})
  })
})

describe('array filters', () => {
  const posts = [
    {title: 'A', year: 2024, tags: ['llm', 'eval'], image: '/a.png', rank: '10', date: tokyo},
    {title: 'B', year: '2025', tags: ['jekyll'], rank: '9', date: lateEvening},
    {title: 'C', year: 2024, tags: [], image: '', rank: null, date: tokyo},
    {title: 'D', year: 2023, tags: ['llm'], image: '/d.png', date: lateEvening}
  ]
  const titles = (template: string): string => render(`{% assign r = ${template} %}{{ r | map: "title" | join: "," }}`, {posts})

  it('where compares as strings and looks inside arrays', () => {
    expect(titles('posts | where: "year", "2024"')).toBe('A,C')
    expect(titles('posts | where: "year", 2025')).toBe('B')
    expect(titles('posts | where: "tags", "llm"')).toBe('A,D')
    expect(titles('posts | where: "image", nil')).toBe('B')
    expect(titles('posts | where: "image", empty')).toBe('B,C')
    // Liquid truthiness: an empty string is truthy, as in Ruby.
    expect(titles('posts | where: "image"')).toBe('A,C,D')
    expect(titles('posts | where: "tags.size", 1')).toBe('B,D')
  })

  it('where_exp keeps truthy results', () => {
    expect(titles('posts | where_exp: "post", "post.image"')).toBe('A,C,D')
    expect(titles('posts | where_exp: "post", "post.image != blank"')).toBe('A,D')
    expect(titles('posts | where_exp: "post", "post.year == 2024 and post.tags contains \'eval\'"')).toBe('A')
    expect(titles('posts | where_exp: "post", "post.tags.size > 0"')).toBe('A,B,D')
  })

  it('sort puts nils first by default, last on request, and numeric strings as numbers', () => {
    expect(titles('posts | sort: "rank"')).toBe('C,D,B,A')
    expect(titles('posts | sort: "rank", "last"')).toBe('B,A,C,D')
    expect(titles('posts | sort: "title"')).toBe('A,B,C,D')
    expect(titles('posts | sort: "date"')).toBe('A,C,B,D')
    expect(render('{{ list | sort | join: "," }}', {list: [3, 1, 2]})).toBe('1,2,3')
    expect(() => render('{{ posts | sort: "rank", "middle" }}', {posts})).toThrow(/Invalid nils order/)
    expect(render('{% assign sorted = missing | sort %}[{{ sorted.size }}]')).toBe('[0]')
  })

  it('group_by groups by the string value and has size', () => {
    const template = '{% for g in groups %}{{ g.name }}={{ g.items | map: "title" | join: "" }}/{{ g.size }};{% endfor %}'
    expect(render(`{% assign groups = posts | group_by: "year" %}${template}`, {posts})).toBe('2024=AC/2;2025=B/1;2023=D/1;')
    expect(render(`{% assign groups = posts | group_by: "date" %}${template}`, {posts})).toBe(
      '2024-05-12T00:00:00+09:00=AC/2;2024-11-03T23:30:05-07:00=BD/2;'
    )
    expect(
      render(`{% assign groups = posts | group_by_exp: "post", "post.date | date: '%Y'" %}${template}`, {posts})
    ).toBe('2024=ABCD/4;')
  })
})

describe('coverage', () => {
  it('has every Jekyll filter, ours or LiquidJS built-ins', () => {
    const names = [
      'relative_url', 'absolute_url', 'date_to_xmlschema', 'date_to_rfc822', 'date_to_string',
      'date_to_long_string', 'date', 'xml_escape', 'cgi_escape', 'uri_escape', 'strip_html', 'markdownify',
      'slugify', 'jsonify', 'where', 'where_exp', 'sort', 'group_by', 'group_by_exp', 'number_of_words',
      'array_to_sentence_string', 'normalize_whitespace', 'smartify'
    ]
    const liquid = engine()
    for (const name of names) {
      expect(() => liquid.parse(`{{ x | ${name} }}`), name).not.toThrow()
    }
  })

  it('returns a fresh record each time', () => {
    expect(createJekyllFilters(defaults)).not.toBe(createJekyllFilters(defaults))
  })
})
