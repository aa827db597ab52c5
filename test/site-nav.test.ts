// Site navigation, search and social cards through whole builds: the real CLI
// (dist/cli.js) as a child process on sites in temp folders.
import {existsSync, promises as fs} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {createCardDrawer} from '../src/site/social-cards/draw-card.js'
import {makeSite, read, runCli} from './helpers.js'

const TIMEOUT = 180_000

function post(name: string, title: string, date: string, tags: string[], words: number, extra = ''): [string, string] {
  const sentence = 'Routing sends each token to a few experts while the rest stay idle. '
  const body = Array.from({length: Math.ceil(words / 12)}, () => sentence).join('')
  return [`posts/${date}-${name}.md`, `---\nlayout: post\ntitle: "${title}"\ndate: ${date} 10:00:00 +0000\ntags: [${tags.join(', ')}]\n${extra}---\n${body}\n`]
}

async function blog(siteYml: string, more: Record<string, string> = {}): Promise<string> {
  return makeSite({
    'site.yml': siteYml,
    ...Object.fromEntries([
      post('first-notes', 'First notes', '2021-02-03', ['moe', 'LLM'], 60),
      post('routing', 'Routing <br> tokens', '2022-04-05', ['moe'], 1200),
      post('alignment', 'On alignment', '2023-06-07', ['rlhf', 'llm'], 500),
      post('latest', 'Latest words', '2024-08-09', [], 30)
    ]),
    ...more
  })
}

function pngSize(png: Uint8Array): {width: number; height: number} {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength)
  expect([...png.subarray(1, 4)].map((code) => String.fromCharCode(code)).join('')).toBe('PNG')
  return {width: view.getUint32(16), height: view.getUint32(20)}
}

describe('site navigation in a build', () => {
  it('default nav, tags index with counts, numbered pagination, reading time, favicon, author box and footer', async () => {
    const site = await blog(
      [
        'title: "Ahead & <Behind>"',
        'url: https://nav.example.org',
        'paginate: 1',
        'author:',
        '  name: "Ada <b>Lovelace</b>"',
        '  bio: "Notes on \\"engines\\" & tokens"',
        '  avatar: /images/ada.svg',
        '  links:',
        '    Mastodon: https://social.example.org/@ada',
        '    Bad: "javascript:alert(1)"',
        ''
      ].join('\n'),
      {'about.md': '---\ntitle: About\n---\nWho writes here.\n', 'images/ada.svg': '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect width="1" height="1"/></svg>'}
    )
    const result = await runCli(['build', '--source', site])
    expect(result.stderr).not.toMatch(/error/)
    expect(result.code).toBe(0)
    const out = path.join(site, '_site')
    const index = await read(out, 'index.html')
    // The header: site title once, then Archive, Tags, About, Feed and the search box.
    const header = /<header class="site-header">[\s\S]*?<\/header>/.exec(index)?.[0] ?? ''
    expect([...header.matchAll(/<li><a href="([^"]+)"[^>]*>([^<]+)<\/a><\/li>/g)].map((match) => `${match[2]} ${match[1]}`)).toEqual(['Archive /archive/', 'Tags /tags/', 'About /about/', 'Feed /feed.xml'])
    expect(header).toContain('action="/search/"')
    expect(header).toContain('Ahead &amp; &lt;Behind&gt;')
    // The title is not shown a second time on the index (a hidden h1 only).
    expect(index.match(/Ahead &amp; &lt;Behind&gt;<\/(a|h1)>/g)).toEqual(['Ahead &amp; &lt;Behind&gt;</a>', 'Ahead &amp; &lt;Behind&gt;</h1>'])
    expect(index).toContain('<h1 class="visually-hidden">')
    // Page numbers, the current one marked.
    const pages = /<ol class="pagination-pages">[\s\S]*?<\/ol>/.exec(index)?.[0] ?? ''
    expect([...pages.matchAll(/href="([^"]+)"/g)].map((match) => match[1])).toEqual(['/', '/page/2/', '/page/3/', '/page/4/'])
    expect(pages).toMatch(/href="\/" aria-current="page"/)
    const page3 = await read(out, 'page/3/index.html')
    expect(page3).toMatch(/href="\/page\/3\/" aria-current="page"/)
    // Reading time on the listing (the newest post has 30 words) and on the posts (1200 words: 6 minutes).
    expect(index).toContain('<span class="reading-time">1 min read</span>')
    const routing = await read(out, '2022/04/05/routing/index.html')
    expect(routing).toContain('<span class="reading-time">6 min read</span>')
    // Tags index: every tag with its count, names that slug the same on one line.
    const tags = await read(out, 'tags/index.html')
    expect([...tags.matchAll(/<li><a href="([^"]+)" rel="tag">([^<]+) <span class="tag-count"><span class="visually-hidden">\(<\/span>(\d+)/g)].map((match) => `${match[2]}=${match[3]} ${match[1]}`)).toEqual([
      'llm, LLM=2 /tags/llm/',
      'moe=2 /tags/moe/',
      'rlhf=1 /tags/rlhf/'
    ])
    // Favicon: generated from the initial, linked from every page.
    expect(await read(out, 'favicon.svg')).toContain('>A</text>')
    expect(index).toContain('<link rel="icon" href="/favicon.svg" type="image/svg+xml">')
    // Author box: every field escaped, the unsafe link left out; footer with the name and the years.
    expect(routing).toContain('<p class="author-name">Ada &lt;b&gt;Lovelace&lt;/b&gt;</p>')
    expect(routing).toContain('Notes on &#34;engines&#34; &amp; tokens')
    expect(routing).toContain('<img class="author-avatar" src="/images/ada.svg"')
    expect(routing).toContain('href="https://social.example.org/@ada" rel="me">Mastodon</a>')
    expect(routing).not.toContain('javascript:')
    expect(index).toContain('&copy; 2021–2024 Ada &lt;b&gt;Lovelace&lt;/b&gt;')
    // Previous/next links between posts.
    expect(routing).toContain('href="/2021/02/03/first-notes/"><span class="post-nav-label">Previous post</span> First notes</a>')
    expect(routing).toContain('<span class="post-nav-label">Next post</span> On alignment</a>')
    // The archive: no <br> in titles.
    const archive = await read(out, 'archive/index.html')
    expect(archive).toMatch(/<li><time[^>]*>Apr 5<\/time> <a href="\/2022\/04\/05\/routing\/">Routing   tokens<\/a>/)
    expect(archive).not.toContain('<br>')
  }, TIMEOUT)

  it('nav: from site.yml replaces the default links; a bad entry is a warning at its line; a site favicon wins', async () => {
    const site = await blog(
      ['title: Mine', 'search: false', 'social_cards: false', 'nav:', '  - {title: Papers, url: /papers/}', '  - {title: Evil, url: "javascript:alert(1)"}', '  - Talks: https://talks.example.org/', ''].join('\n'),
      {'favicon.ico': 'not really an icon'}
    )
    const result = await runCli(['build', '--source', site])
    expect(result.code).toBe(0)
    expect(result.stderr).toMatch(/site\.yml:4:1: warning: nav entry 2 \("Evil"\) must link to an http\(s\), relative or root-relative URL; it is left out \(config\)/)
    const out = path.join(site, '_site')
    const index = await read(out, 'index.html')
    const header = /<header class="site-header">[\s\S]*?<\/header>/.exec(index)?.[0] ?? ''
    expect([...header.matchAll(/<li><a href="([^"]+)"[^>]*>([^<]+)<\/a><\/li>/g)].map((match) => `${match[2]} ${match[1]}`)).toEqual(['Papers /papers/', 'Talks https://talks.example.org/'])
    // search: false: no search box, no page, no index; social_cards: false: no cards, no og:image.
    expect(header).not.toContain('site-search')
    expect(existsSync(path.join(out, 'search'))).toBe(false)
    expect(existsSync(path.join(out, 'pagefind'))).toBe(false)
    expect(existsSync(path.join(out, 'assets', 'social'))).toBe(false)
    // The site's own icon is linked, and no icon is generated over it.
    expect(index).toContain('<link rel="icon" href="/favicon.ico" type="image/x-icon">')
    expect(existsSync(path.join(out, 'favicon.svg'))).toBe(false)
    expect(await read(out, 'favicon.ico')).toBe('not really an icon')
  }, TIMEOUT)
})

describe('search index', () => {
  it('is written after a build, holds the posts, and is not rebuilt when nothing changed', async () => {
    const site = await blog('title: Searchable\n')
    const first = await runCli(['build', '--source', site, '--verbose'])
    expect(first.code).toBe(0)
    expect(first.stdout).toMatch(/timings: .*search index \d+ ms/)
    const out = path.join(site, '_site')
    for (const file of ['pagefind/pagefind.js', 'pagefind/pagefind-ui.js', 'pagefind/pagefind-ui.css', 'pagefind/pagefind-entry.json']) expect(existsSync(path.join(out, file)), file).toBe(true)
    const entry = JSON.parse(await read(out, 'pagefind/pagefind-entry.json')) as {languages: Record<string, {page_count: number}>}
    // Four posts and no listing page (only pages marked data-pagefind-body are indexed).
    expect(Object.values(entry.languages).reduce((sum, language) => sum + language.page_count, 0)).toBe(4)
    const searchPage = await read(out, 'search/index.html')
    expect(searchPage).toContain('<script src="/pagefind/pagefind-ui.js"></script>')
    const second = await runCli(['build', '--source', site, '--verbose'])
    expect(second.code).toBe(0)
    expect(second.stdout).toMatch(/timings: /)
    expect(second.stdout).not.toMatch(/search index/)
    expect(existsSync(path.join(out, 'pagefind/pagefind.js'))).toBe(true)
    // An edit rebuilds it.
    await fs.appendFile(path.join(site, 'posts/2024-08-09-latest.md'), '\nA new sentence about quokkas.\n')
    const third = await runCli(['build', '--source', site, '--verbose'])
    expect(third.stdout).toMatch(/search index \d+ ms/)
  }, TIMEOUT)
})

describe('social cards', () => {
  it('draws a 1200×630 PNG per post, the same bytes for the same input, different for another title', async () => {
    const draw = createCardDrawer()
    const input = {title: 'Sparse experts, dense results', siteName: 'Notes', author: 'Ada', date: 'May 12, 2024', readingTime: '7 min read'}
    const [one, two, other] = [await draw(input), await draw({...input}), await draw({...input, title: 'Another title'})]
    expect(pngSize(one)).toEqual({width: 1200, height: 630})
    expect(Buffer.from(one).equals(Buffer.from(two))).toBe(true)
    expect(Buffer.from(one).equals(Buffer.from(other))).toBe(false)
    // Cyrillic, Greek and Vietnamese are drawn; text no bundled font has (CJK, emoji) is left out, not drawn as boxes.
    const mixed = await draw({...input, title: 'Routing 日本語 tokens 🚀'})
    expect(Buffer.from(mixed).equals(Buffer.from(await draw({...input, title: 'Routing tokens'})))).toBe(true)
    const cyrillic = await draw({...input, title: 'Разреженные эксперты'})
    expect(pngSize(cyrillic)).toEqual({width: 1200, height: 630})
    expect(Buffer.from(cyrillic).equals(Buffer.from(await draw({...input, title: ''})))).toBe(false)
  }, TIMEOUT)

  it('a build links each post to its card in og:image, keeps a post image, and takes unchanged cards from the cache', async () => {
    const site = await blog('title: Cards\nurl: https://cards.example.org\n', {
      'posts/2024-09-10-with-image.md': '---\nlayout: post\ntitle: With image\ndate: 2024-09-10\nimage: /images/hero.png\n---\nA post with its own picture.\n',
      'images/hero.png': Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64') as unknown as string
    })
    const first = await runCli(['build', '--source', site])
    expect(first.code).toBe(0)
    const out = path.join(site, '_site')
    const routing = await read(out, '2022/04/05/routing/index.html')
    expect(routing).toContain('<meta property="og:image" content="https://cards.example.org/assets/social/2022/04/05/routing.png">')
    expect(routing).toContain('<meta name="twitter:image" content="https://cards.example.org/assets/social/2022/04/05/routing.png">')
    expect(routing).toContain('<meta name="twitter:card" content="summary_large_image">')
    const card = await fs.readFile(path.join(out, 'assets/social/2022/04/05/routing.png'))
    expect(pngSize(card)).toEqual({width: 1200, height: 630})
    const withImage = await read(out, '2024/09/10/with-image/index.html')
    expect(withImage).toContain('<meta property="og:image" content="https://cards.example.org/images/hero.png">')
    expect(existsSync(path.join(out, 'assets/social/2024/09/10/with-image.png'))).toBe(false)
    // The cards are stored by content in the persistent cache: a build into a fresh folder draws none of them again.
    const stored = await fs.readdir(path.join(site, 'node_modules/.cache/galley/cards'))
    expect(stored.filter((name) => name.endsWith('.png'))).toHaveLength(4)
    const before = await Promise.all(stored.map(async (name) => (await fs.stat(path.join(site, 'node_modules/.cache/galley/cards', name))).mtimeMs))
    const elsewhere = await fs.mkdtemp(path.join(os.tmpdir(), 'galley-elsewhere-'))
    const again = await runCli(['build', '--source', site, '--out', elsewhere])
    expect(again.code).toBe(0)
    expect((await fs.readFile(path.join(elsewhere, 'assets/social/2022/04/05/routing.png'))).equals(card)).toBe(true)
    const after = await Promise.all(stored.map(async (name) => (await fs.stat(path.join(site, 'node_modules/.cache/galley/cards', name))).mtimeMs))
    expect(after).toEqual(before)
    // A changed title draws that card again, and only that one.
    await fs.writeFile(path.join(site, 'posts/2024-08-09-latest.md'), '---\nlayout: post\ntitle: Renamed words\ndate: 2024-08-09 10:00:00 +0000\n---\nShort.\n')
    expect((await runCli(['build', '--source', site])).code).toBe(0)
    const now = (await fs.readdir(path.join(site, 'node_modules/.cache/galley/cards'))).filter((name) => name.endsWith('.png'))
    expect(now.filter((name) => !stored.includes(name))).toHaveLength(1)
    // The old card of that post is gone from the cache.
    expect(now).toHaveLength(4)
  }, TIMEOUT)
})
