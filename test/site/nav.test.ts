import {describe, expect, it} from 'vitest'
import {authorProfile} from '../../src/site/author.js'
import {defaultNav, readNav} from '../../src/site/nav.js'
import {pageLinks, paginate} from '../../src/site/paginate.js'
import {readingMinutes} from '../../src/site/reading-time.js'
import {countWords} from '../../src/markdown/rehype-word-count.js'
import {tagCounts} from '../../src/site/listings.js'
import {socialCardUrl} from '../../src/site/social-cards/card-path.js'
import {faviconOf, faviconSvg} from '../../src/site/favicon.js'

describe('nav from site.yml', () => {
  it('reads {title, url} entries and one-key mappings, in order', () => {
    const nav = readNav([{title: 'Papers', url: '/papers/'}, {Talks: 'https://talks.example.org/'}])
    expect(nav.problems).toEqual([])
    expect(nav.links).toEqual([
      {title: 'Papers', url: '/papers/', external: false},
      {title: 'Talks', url: 'https://talks.example.org/', external: true}
    ])
  })

  it('leaves out entries without a title or url and unsafe URLs, saying which', () => {
    const nav = readNav([{title: 'Bad', url: 'javascript:alert(1)'}, {title: 'No url'}, 'just text', {title: 'Ok', url: '/ok/'}])
    expect(nav.links).toEqual([{title: 'Ok', url: '/ok/', external: false}])
    expect(nav.problems).toHaveLength(3)
    expect(nav.problems[0]).toMatch(/entry 1 .*http\(s\), relative or root-relative/)
    expect(nav.problems[2]).toMatch(/entry 3 must be \{title/)
  })

  it('false means no links; absent means the default links; a non-list is a problem', () => {
    expect(readNav(false).links).toEqual([])
    expect(readNav(undefined).links).toBeUndefined()
    expect(readNav('Archive').problems[0]).toMatch(/must be a list/)
  })

  it('defaults to Archive, Tags, About (only when there is one) and the feed', () => {
    expect(defaultNav({archive: true, tags: true, about: '/about/'}).map((link) => link.title)).toEqual(['Archive', 'Tags', 'About', 'Feed'])
    expect(defaultNav({archive: false, tags: true, about: undefined}).map((link) => link.url)).toEqual(['/tags/', '/feed.xml'])
  })
})

describe('author profile', () => {
  it('takes a string as the name and a mapping field by field, dropping unsafe URLs', () => {
    expect(authorProfile('Ada')).toEqual({name: 'Ada', bio: '', avatar: '', url: '', links: []})
    const profile = authorProfile({name: 'Ada', bio: 'Writes about tokens.', avatar: 'javascript:x', links: {Mastodon: 'https://m.example/@ada', Evil: 'data:text/html,x'}})
    expect(profile?.avatar).toBe('')
    expect(profile?.links).toEqual([{title: 'Mastodon', url: 'https://m.example/@ada'}])
    expect(authorProfile({links: []})).toBeUndefined()
    expect(authorProfile('')).toBeUndefined()
  })
})

describe('pagination links', () => {
  const urlOf = (page: number) => (page === 1 ? '/' : `/page/${page}/`)
  it('shows the first, the last, and two either side of the current page, with gaps', () => {
    const shown = pageLinks(6, 20, urlOf).map((link) => (link.gap ? '…' : link.current ? `[${link.number}]` : String(link.number)))
    expect(shown).toEqual(['1', '…', '4', '5', '[6]', '7', '8', '…', '20'])
  })
  it('fills a gap of one page with that page instead of an ellipsis', () => {
    const shown = pageLinks(4, 5, urlOf).map((link) => (link.gap ? '…' : String(link.number)))
    expect(shown).toEqual(['1', '2', '3', '4', '5'])
  })
  it('gives each page of paginate() its links, paths without baseurl', () => {
    const posts = Array.from({length: 5}, (_, index) => ({title: `p${index}`}))
    const pages = paginate(posts, 2, '/')
    expect(pages.map((page) => page.paginator.links.map((link) => link.path))).toEqual([
      ['/', '/page/2/', '/page/3/'],
      ['/', '/page/2/', '/page/3/'],
      ['/', '/page/2/', '/page/3/']
    ])
    expect(pages[1]?.paginator.links.find((link) => link.current)?.number).toBe(2)
  })
})

describe('reading time', () => {
  it('counts words of prose, joined words as one, each CJK character as one', () => {
    expect(countWords("Mixtral 8x22B isn't small — it's large.")).toBe(6)
    expect(countWords('日本語 text')).toBe(4)
    expect(countWords('  ')).toBe(0)
  })
  it('rounds minutes up at 230 words a minute, at least one for any text', () => {
    expect(readingMinutes(0)).toBe(0)
    expect(readingMinutes(1)).toBe(1)
    expect(readingMinutes(230)).toBe(1)
    expect(readingMinutes(231)).toBe(2)
    expect(readingMinutes(2300)).toBe(10)
  })
})

describe('tags index', () => {
  it('counts posts per tag page, names that slug the same together, by name', () => {
    const posts = [{tags: ['LLM', 'rlhf']}, {tags: ['llm']}, {tags: ['Alignment', 'LLM']}, {tags: []}]
    expect(tagCounts(posts)).toEqual([
      {name: 'Alignment', url: '/tags/alignment/', count: 1},
      {name: 'LLM, llm', url: '/tags/llm/', count: 3},
      {name: 'rlhf', url: '/tags/rlhf/', count: 1}
    ])
  })
})

describe('card paths and favicon', () => {
  it('puts a post card under /assets/social/ by the post URL', () => {
    expect(socialCardUrl('/2024/05/12/moe/')).toBe('/assets/social/2024/05/12/moe.png')
    expect(socialCardUrl('/notes/a.html')).toBe('/assets/social/notes/a.png')
  })
  it('draws the first letter of the title, escaped, and prefers the site own icon', () => {
    expect(faviconSvg('ahead of AI')).toContain('>A</text>')
    expect(faviconSvg('<&> Ünïcode')).toContain('>Ü</text>')
    expect(faviconSvg('')).toContain('>G</text>')
    expect(faviconOf(new Map([['favicon.ico', '/x/favicon.ico']]))).toEqual({url: '/favicon.ico', type: 'image/x-icon', generated: false})
    expect(faviconOf(new Map()).generated).toBe(true)
  })
})
