import {spawnSync} from 'node:child_process'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import type {Element} from 'hast'
import {fromHtml} from 'hast-util-from-html'
import {toString} from 'hast-util-to-string'
import {visit} from 'unist-util-visit'
import {afterAll, describe, expect, it} from 'vitest'
import {ZonedDate} from '../../src/content/zoned-date.js'
import {renderFeeds, type FeedInput, type FeedPost} from '../../src/site/feeds.js'

// xmllint is required, not optional: scripts/test-setup.sh installs it (libxml2-utils).
const schema = fileURLToPath(new URL('../fixtures/atom/atom.rng', import.meta.url))
const work = mkdtempSync(path.join(tmpdir(), 'galley-feeds-'))
afterAll(() => rmSync(work, {recursive: true, force: true}))

let fileCount = 0
function writeTemp(contents: string, extension = '.xml'): string {
  const file = path.join(work, `doc-${++fileCount}${extension}`)
  writeFileSync(file, contents)
  return file
}

function xmllint(args: string[]): {code: number; stdout: string; stderr: string} {
  const result = spawnSync('xmllint', args, {encoding: 'utf8'})
  if (result.error) throw new Error(`cannot run xmllint (run scripts/test-setup.sh): ${result.error.message}`)
  return {code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr}
}

/** `xmllint --relaxng` against RFC 4287's schema: exit code and messages. */
function validateAtom(xml: string): {code: number; stderr: string} {
  return xmllint(['--noout', '--relaxng', schema, writeTemp(xml)])
}

/** The string value of an XPath over an Atom document (a real XML parser: entities and CDATA decoded). */
function xpath(xml: string, expression: string): string {
  const result = xmllint(['--xpath', `string(${expression})`, writeTemp(xml)])
  if (result.code !== 0 && result.code !== 10) throw new Error(result.stderr)
  return result.stdout.replace(/\n$/, '')
}

/** Atom elements by local name, so XPath needs no namespace binding. */
const a = (name: string): string => `*[local-name()='${name}']`
const entry = (n: number, name: string): string => `/${a('feed')}/${a('entry')}[${n}]/${a(name)}`

function urlsIn(html: string): string[] {
  const urls: string[] = []
  visit(fromHtml(html, {fragment: true}), 'element', (node: Element) => {
    for (const name of ['href', 'src', 'poster', 'srcSet']) {
      const value = node.properties[name]
      if (value === undefined || value === null) continue
      if (name !== 'srcSet') urls.push(String(value))
      // `srcset`: candidates split on commas, each a URL then descriptors.
      else for (const candidate of (Array.isArray(value) ? value.map(String) : String(value).split(','))) urls.push(candidate.trim().split(/\s+/)[0] ?? '')
    }
  })
  return urls
}

const tokyo = ZonedDate.fromWallClock({year: 2024, month: 5, day: 12, hour: 0, minute: 0, second: 0}, 9 * 60)
const utc = ZonedDate.fromWallClock({year: 2024, month: 4, day: 1, hour: 10, minute: 30, second: 0}, 0)
const utcEdited = ZonedDate.fromWallClock({year: 2024, month: 4, day: 2, hour: 8, minute: 0, second: 0}, -7 * 60)
const buildTime = new ZonedDate(Date.UTC(2024, 5, 1, 12, 0, 0, 250), 0)

const content = [
  '<p>Intro with <a href="/blog/about/">about</a>, <a href="#fn-1">a note</a>, <a href="https://other.example/x?a=1&amp;b=2">away</a> and <a href="mailto:me@example.com">mail</a>.</p>',
  '<p><img src="/blog/assets/cat.png" srcset="/blog/assets/cat.png 1x, /blog/assets/cat@2x.png 2x" alt="A cat"></p>',
  '<video src="/blog/assets/clip.mp4" poster="/blog/assets/clip.jpg"></video>',
  '<p><img src="figure.png" alt="relative to the post"></p>',
  '<pre><code>if (a &lt; b &amp;&amp; c) x = "]]&gt;" + "]]&gt;"</code></pre>',
  '<p>Text that mentions /not-a-link and &lt;updated&gt;1999-01-01T00:00:00.000Z&lt;/updated&gt;.</p>',
  '<section class="footnotes"><ol><li id="fn-1">Note. <a href="#fnref-1">↩</a></li></ol></section>'
].join('\n')

const first: FeedPost = {
  url: '/2024/05/12/tips/',
  title: 'Tips & <tricks> for "feeds"',
  date: tokyo,
  author: {name: 'Aiko & Co', email: 'aiko@example.com', url: 'https://aiko.example/'},
  summaryHtml: '<p>Intro with <a href="/blog/about/">about</a>.</p>',
  summaryText: 'Intro with about.',
  contentHtml: content,
  image: '/assets/hero.png',
  tags: ['R&D', 'a<b'],
  categories: ['notes']
}

const second: FeedPost = {
  url: '/2024/04/01/older/',
  title: 'Older post',
  date: utc,
  updated: utcEdited,
  summaryHtml: '<p>Older <img src="/blog/assets/old.png" alt=""></p>',
  summaryText: 'Older',
  contentHtml: '<p>Older <img src="/blog/assets/old.png" alt=""></p>',
  tags: [],
  categories: []
}

const input: FeedInput = {
  site: {
    title: 'Ann & Bob <Blog>',
    description: 'Notes on "things" & stuff',
    url: 'https://example.com/',
    baseurl: '/blog',
    author: {name: 'Ann', email: 'ann@example.com', url: 'https://example.com/blog/about/'},
    lang: 'en_US'
  },
  posts: [first, second],
  updated: buildTime
}

describe('renderFeeds: Atom', () => {
  const {atom, problems} = renderFeeds(input)

  it('reports no problems for a complete site', () => {
    expect(problems).toEqual([])
  })

  it('validates against the RFC 4287 RELAX NG schema', () => {
    const result = validateAtom(atom)
    expect(result.stderr).toMatch(/validates/)
    expect(result.code).toBe(0)
  })

  it('the schema accepts the extensive example of RFC 4287 §1.1', () => {
    const example = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title type="text">dive into mark</title>
  <subtitle type="html">A &lt;em&gt;lot&lt;/em&gt; of effort went into making this effortless</subtitle>
  <updated>2005-07-31T12:29:29Z</updated>
  <id>tag:example.org,2003:3</id>
  <link rel="alternate" type="text/html" hreflang="en" href="http://example.org/"/>
  <link rel="self" type="application/atom+xml" href="http://example.org/feed.atom"/>
  <rights>Copyright (c) 2003, Mark Pilgrim</rights>
  <generator uri="http://www.example.com/" version="1.0">Example Toolkit</generator>
  <entry>
    <title>Atom draft-07 snapshot</title>
    <link rel="alternate" type="text/html" href="http://example.org/2005/04/02/atom"/>
    <link rel="enclosure" type="audio/mpeg" length="1337" href="http://example.org/audio/ph34r_my_podcast.mp3"/>
    <id>tag:example.org,2003:3.2397</id>
    <updated>2005-07-31T12:29:29Z</updated>
    <published>2003-12-13T08:29:29-04:00</published>
    <author><name>Mark Pilgrim</name><uri>http://example.org/</uri><email>f8dy@example.com</email></author>
    <contributor><name>Sam Ruby</name></contributor>
    <content type="xhtml" xml:lang="en" xml:base="http://diveintomark.org/">
      <div xmlns="http://www.w3.org/1999/xhtml"><p><i>[Update: The Atom draft is finished.]</i></p></div>
    </content>
  </entry>
</feed>`
    expect(validateAtom(example).code).toBe(0)
    expect(validateAtom(example.replace('<email>f8dy@example.com</email>', '<email>f8dy</email>')).code).not.toBe(0)
    expect(validateAtom(example.replace('type="audio/mpeg"', 'type="audio"')).code).not.toBe(0)
  })

  it('the validator catches a broken feed', () => {
    const withoutId = atom.replace(/(<entry>[\s\S]*?)<id>[^<]*<\/id>/, '$1')
    expect(withoutId).not.toBe(atom)
    expect(validateAtom(withoutId).code).not.toBe(0)

    const badDate = atom.replace(/<published>[^<]*<\/published>/, '<published>12 May 2024</published>')
    expect(validateAtom(badDate).code).not.toBe(0)

    const noTitle = atom.replace(/<title>[^<]*<\/title>/, '')
    expect(validateAtom(noTitle).code).not.toBe(0)
  })

  it('uses absolute URLs for the feed id, links, entry ids and entry links', () => {
    expect(xpath(atom, `/${a('feed')}/${a('id')}`)).toBe('https://example.com/blog/feed.xml')
    expect(xpath(atom, `/${a('feed')}/${a('link')}[@rel='self']/@href`)).toBe('https://example.com/blog/feed.xml')
    expect(xpath(atom, `/${a('feed')}/${a('link')}[@rel='alternate']/@href`)).toBe('https://example.com/blog/')
    expect(xpath(atom, entry(1, 'id'))).toBe('https://example.com/blog/2024/05/12/tips/')
    expect(xpath(atom, `${entry(1, 'link')}/@href`)).toBe('https://example.com/blog/2024/05/12/tips/')
    expect(xpath(atom, entry(2, 'id'))).toBe('https://example.com/blog/2024/04/01/older/')
  })

  it('makes every URL inside content and summary absolute, against the post URL', () => {
    const html = xpath(atom, entry(1, 'content'))
    expect(html).not.toMatch(/(src|href|poster|srcset)="\/(?!\/)/)
    const urls = urlsIn(html)
    expect(urls).toEqual([
      'https://example.com/blog/about/',
      'https://example.com/blog/2024/05/12/tips/#fn-1',
      'https://other.example/x?a=1&b=2',
      'mailto:me@example.com',
      'https://example.com/blog/assets/cat.png',
      'https://example.com/blog/assets/cat.png',
      'https://example.com/blog/assets/cat@2x.png',
      'https://example.com/blog/assets/clip.mp4',
      'https://example.com/blog/assets/clip.jpg',
      'https://example.com/blog/2024/05/12/tips/figure.png',
      'https://example.com/blog/2024/05/12/tips/#fnref-1'
    ])
    // Text is left alone, even when it looks like a path.
    expect(html).toContain('mentions /not-a-link and')
    expect(urlsIn(xpath(atom, entry(1, 'summary')))).toEqual(['https://example.com/blog/about/'])
    expect(xpath(atom, entry(2, 'summary'))).toContain('src="https://example.com/blog/assets/old.png"')
  })

  it('keeps content intact through CDATA, including several "]]>"', () => {
    const html = xpath(atom, entry(1, 'content'))
    const code = toString(fromHtml(html, {fragment: true}))
    expect(code).toContain('if (a < b && c) x = "]]>" + "]]>"')
    expect(code).toContain('<updated>1999-01-01T00:00:00.000Z</updated>')
  })

  it('carries the plain titles, escaped once', () => {
    expect(xpath(atom, `/${a('feed')}/${a('title')}`)).toBe('Ann & Bob <Blog>')
    expect(xpath(atom, `/${a('feed')}/${a('subtitle')}`)).toBe('Notes on "things" & stuff')
    // Entry titles are type="html": the XML value is HTML that a reader shows as the plain title.
    expect(xpath(atom, `${entry(1, 'title')}/@type`)).toBe('html')
    const titleHtml = xpath(atom, entry(1, 'title'))
    expect(titleHtml).toBe('Tips &amp; &lt;tricks&gt; for "feeds"')
    expect(toString(fromHtml(titleHtml, {fragment: true}))).toBe(first.title)
  })

  it('prints dates at the right instant, in the author\'s offset', () => {
    expect(xpath(atom, entry(1, 'published'))).toBe('2024-05-12T00:00:00+09:00')
    expect(xpath(atom, entry(1, 'updated'))).toBe('2024-05-12T00:00:00+09:00')
    expect(Date.parse(xpath(atom, entry(1, 'published')))).toBe(Date.UTC(2024, 4, 11, 15))
    expect(xpath(atom, entry(2, 'published'))).toBe('2024-04-01T10:30:00+00:00')
    expect(xpath(atom, entry(2, 'updated'))).toBe('2024-04-02T08:00:00-07:00')
    expect(Date.parse(xpath(atom, entry(2, 'updated')))).toBe(Date.UTC(2024, 3, 2, 15))
    // The feed was last updated by its newest entry.
    expect(xpath(atom, `/${a('feed')}/${a('updated')}`)).toBe('2024-05-12T00:00:00+09:00')
  })

  it('names the authors, site language, categories and tags', () => {
    expect(xpath(atom, `/${a('feed')}/${a('author')}/${a('name')}`)).toBe('Ann')
    expect(xpath(atom, `/${a('feed')}/@xml:lang`)).toBe('en-US')
    expect(xpath(atom, `${entry(1, 'author')}/${a('name')}`)).toBe('Aiko & Co')
    expect(xpath(atom, `${entry(1, 'author')}/${a('uri')}`)).toBe('https://aiko.example/')
    expect(xpath(atom, `${entry(2, 'author')}/${a('name')}`)).toBe('Ann')
    expect(xpath(atom, `count(${entry(1, 'category')})`)).toBe('3')
    expect(xpath(atom, `${entry(1, 'category')}[2]/@term`)).toBe('R&D')
    expect(xpath(atom, `${entry(1, 'category')}[3]/@term`)).toBe('a<b')
  })

  it('uses the excerpt as the summary and the full post as the content', () => {
    expect(xpath(atom, `${entry(1, 'summary')}/@type`)).toBe('html')
    expect(toString(fromHtml(xpath(atom, entry(1, 'summary')), {fragment: true}))).toBe('Intro with about.')
    expect(xpath(atom, `${entry(1, 'content')}/@type`)).toBe('html')
    expect(xpath(atom, entry(1, 'content'))).toContain('<video')
  })

  it('keeps a literal "&amp;" in text literal', () => {
    const {atom: literal} = renderFeeds({...input, site: {...input.site, title: 'Use &amp; not &'}})
    expect(xpath(literal, `/${a('feed')}/${a('title')}`)).toBe('Use &amp; not &')
  })

  it('falls back to the build time, and stays valid, with no posts', () => {
    const {atom: empty} = renderFeeds({...input, posts: []})
    expect(validateAtom(empty).code).toBe(0)
    expect(xpath(empty, `/${a('feed')}/${a('updated')}`)).toBe('2024-06-01T12:00:00.250+00:00')
    expect(xpath(empty, `count(/${a('feed')}/${a('entry')})`)).toBe('0')
  })

  it('includes at most `limit` posts, 20 by default', () => {
    const many = Array.from({length: 25}, (_, index): FeedPost => ({...second, url: `/p/${index}/`}))
    expect(xpath(renderFeeds({...input, posts: many}).atom, `count(/${a('feed')}/${a('entry')})`)).toBe('20')
    expect(xpath(renderFeeds({...input, posts: many, limit: 3}).atom, `count(/${a('feed')}/${a('entry')})`)).toBe('3')
  })
})

describe('renderFeeds: JSON Feed 1.1', () => {
  const {json} = renderFeeds(input)
  const feed = JSON.parse(json) as Record<string, unknown> & {items: Array<Record<string, unknown>>}

  it('has every required field and the optional ones Galley knows', () => {
    expect(feed).toMatchObject({
      version: 'https://jsonfeed.org/version/1.1',
      title: 'Ann & Bob <Blog>',
      home_page_url: 'https://example.com/blog/',
      feed_url: 'https://example.com/blog/feed.json',
      description: 'Notes on "things" & stuff',
      language: 'en-US',
      authors: [{name: 'Ann', url: 'https://example.com/blog/about/'}]
    })
    expect(feed.items).toHaveLength(2)
    for (const item of feed.items) {
      expect(typeof item.id).toBe('string')
      expect(typeof item.content_html === 'string' || typeof item.content_text === 'string').toBe(true)
    }
  })

  it('describes each item with absolute URLs, plain title, zoned dates and the excerpt as summary', () => {
    const [newest, older] = feed.items
    expect(newest).toMatchObject({
      id: 'https://example.com/blog/2024/05/12/tips/',
      url: 'https://example.com/blog/2024/05/12/tips/',
      title: 'Tips & <tricks> for "feeds"',
      summary: 'Intro with about.',
      image: 'https://example.com/blog/assets/hero.png',
      date_published: '2024-05-12T00:00:00+09:00',
      date_modified: '2024-05-12T00:00:00+09:00',
      authors: [{name: 'Aiko & Co', url: 'https://aiko.example/'}],
      tags: ['notes', 'R&D', 'a<b']
    })
    expect(older).toMatchObject({date_published: '2024-04-01T10:30:00+00:00', date_modified: '2024-04-02T08:00:00-07:00', authors: [{name: 'Ann'}]})
    expect(older).not.toHaveProperty('tags')
    const html = String(newest?.content_html)
    expect(html).not.toMatch(/(src|href|poster|srcset)="\/(?!\/)/)
    expect(urlsIn(html).every((url) => /^(https:\/\/|mailto:)/.test(url))).toBe(true)
  })
})

describe('renderFeeds: a site without url', () => {
  const {atom, json, problems} = renderFeeds({...input, site: {...input.site, url: ''}})

  it('says why the links are not absolute', () => {
    expect(problems).toEqual(['site.yml has no url: feed links cannot be absolute'])
  })

  it('still writes valid feeds, with root-relative links', () => {
    expect(validateAtom(atom).code).toBe(0)
    expect(atom).not.toContain('galley.invalid')
    expect(xpath(atom, entry(1, 'id'))).toBe('/blog/2024/05/12/tips/')
    expect(xpath(atom, `/${a('feed')}/${a('link')}[@rel='self']/@href`)).toBe('/blog/feed.xml')
    expect(urlsIn(xpath(atom, entry(1, 'content')))).toContain('/blog/2024/05/12/tips/#fn-1')
    const parsed = JSON.parse(json) as {home_page_url: string; items: Array<{url: string; image: string}>}
    expect(json).not.toContain('galley.invalid')
    expect(parsed.home_page_url).toBe('/blog/')
    expect(parsed.items[0]).toMatchObject({url: '/blog/2024/05/12/tips/', image: '/blog/assets/hero.png'})
  })

  it('reports a url that is not an origin, and a bad language tag', () => {
    const result = renderFeeds({...input, site: {...input.site, url: 'example.com', lang: 'english (US)'}})
    expect(result.problems).toEqual([
      'site.yml url "example.com" is not an absolute http(s) URL like https://example.com: feed links cannot be absolute',
      'site.yml lang "english (US)" is not a language tag such as en or ja-JP: the feeds name no language'
    ])
    expect(validateAtom(result.atom).code).toBe(0)
  })

  it('keeps a path in site.url, as Jekyll\'s absolute_url does', () => {
    const result = renderFeeds({...input, site: {...input.site, url: 'https://Example.com/~ann/'}})
    expect(result.problems).toEqual([])
    expect(xpath(result.atom, entry(1, 'id'))).toBe('https://example.com/~ann/blog/2024/05/12/tips/')
  })

  it('reports posts that nobody wrote', () => {
    const result = renderFeeds({...input, site: {...input.site, author: ''}})
    expect(result.problems).toEqual(['site.yml has no author, and some posts name none: Atom requires an author for every entry (RFC 4287 §4.1.1)'])
  })
})

describe('models as feed categories', () => {
  const withModels: FeedInput = {...input, posts: [{...first, models: [{id: 'r-d-1b', name: 'R&D <1B> "mini"'}, {id: 'beta', name: 'Beta'}]}, second]}

  it('are Atom categories under the site’s /models/ scheme, escaped, valid against the schema, and JSON Feed tags', () => {
    const {atom, json} = renderFeeds(withModels)
    const validation = validateAtom(atom)
    expect(validation.stderr).toContain('validates')
    expect(validation.code).toBe(0)
    // Read back by an XML parser: the text is what was written.
    expect(xpath(atom, `${entry(1, 'category')}[@term='r-d-1b']/@label`)).toBe('R&D <1B> "mini"')
    expect(xpath(atom, `${entry(1, 'category')}[@term='r-d-1b']/@scheme`)).toBe('https://example.com/blog/models/')
    expect(xpath(atom, `${entry(1, 'category')}[@term='beta']/@label`)).toBe('Beta')
    expect(xpath(atom, `count(${entry(2, 'category')})`)).toBe('0')
    const items = (JSON.parse(json) as {items: Array<{tags?: string[]}>}).items
    expect(items[0]?.tags).toEqual(['notes', 'R&D', 'a<b', 'R&D <1B> "mini"', 'Beta'])
    expect(items[1]?.tags).toBeUndefined()
  })
})
