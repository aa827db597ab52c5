import {existsSync, promises as fs, readdirSync} from 'node:fs'
import path from 'node:path'
import {fromHtml} from 'hast-util-from-html'
import {select, selectAll} from 'hast-util-select'
import {toString} from 'hast-util-to-string'
import {describe, expect, it} from 'vitest'
import {buildSite, type BuildReport} from '../src/build.js'
import {formatMessages} from '../src/report.js'
import {makeSite, read, snapshotTree, writeFiles} from './helpers.js'

const NOW = Date.parse('2025-06-01T00:00:00Z')

/** Minimal layouts so these tests do not depend on the default theme's markup. */
const layouts = {
  'layouts/base.html': '<!doctype html><html lang="en"><head><title>{{ page.title }}</title></head><body><main>{{ content }}</main><footer id="site-footer">footer</footer></body></html>\n',
  'layouts/post.html': '---\nlayout: base\n---\n<article><h1>{{ page.title_html }}</h1>{{ content }}</article>\n'
}

async function buildIn(dir: string, options: {future?: boolean; drafts?: boolean; baseUrl?: string; out?: string} = {}): Promise<BuildReport & {messages: string[]}> {
  const report = await buildSite({source: dir, now: NOW, ...options})
  // Sites here have no url: on purpose; its one warning (site-url) is tested in warnings.test.ts.
  return {...report, messages: formatMessages(report.files).filter((line) => !line.endsWith('(site-url)'))}
}

const post = (front: string, body = 'Body text.\n') => `---\n${front}\n---\n${body}`

describe('build', () => {
  it('wraps a post in its layout chain and writes it at its permalink', async () => {
    const dir = await makeSite({...layouts, 'posts/2024-05-12-hello.md': post('title: Hello <br> World\ndate: 2024-05-12 00:00:00 +0900')})
    const result = await buildIn(dir)
    expect(result.messages).toEqual([])
    expect(result.ok).toBe(true)
    const html = await read(dir, '_site/2024/05/12/hello/index.html')
    expect(html).toContain('<title>Hello World</title>')
    expect(html).toContain('<main><article><h1>Hello <br> World</h1><p>Body text.</p></article>\n</main>')
    expect(html).toContain('<footer id="site-footer">')
  })

  it('reports a layout loop naming both layouts, and writes nothing', async () => {
    const dir = await makeSite({
      'layouts/a.html': '---\nlayout: b\n---\nA {{ content }}',
      'layouts/b.html': '---\nlayout: a\n---\nB {{ content }}',
      'posts/2024-01-01-x.md': post('layout: a')
    })
    const result = await buildIn(dir)
    expect(result.ok).toBe(false)
    expect(result.messages.join('\n')).toMatch(/layouts\/b\.html:2:1: error: layout chain loops: layout "b" names "a" as its layout, which leads back to "b"/)
    expect(existsSync(path.join(dir, '_site'))).toBe(false)
  })

  it('warns about a missing layout, naming it and the folders searched, and falls back to post', async () => {
    const dir = await makeSite({...layouts, 'posts/2024-01-01-x.md': post('title: X\nlayout: fancy')})
    const result = await buildIn(dir)
    expect(result.ok).toBe(true)
    const line = result.messages.find((message) => message.includes('fancy')) ?? ''
    expect(line).toMatch(/^posts\/2024-01-01-x\.md:3:1: warning: layout "fancy" not found in .*layouts.*; using "post"/)
    expect(await read(dir, '_site/2024/01/01/x/index.html')).toContain('<article><h1>X</h1>')
  })

  it('reports a Liquid error at its line in the layout file', async () => {
    const dir = await makeSite({
      'layouts/post.html': '---\nlayout: null\n---\n<article>\n{{ content | no_such_filter }}\n</article>',
      'posts/2024-01-01-x.md': post('title: X')
    })
    const result = await buildIn(dir)
    expect(result.ok).toBe(false)
    expect(result.messages.join('\n')).toMatch(/^layouts\/post\.html:5:1: error: undefined filter: no_such_filter/m)
  })

  it('reports two posts claiming one URL, naming both', async () => {
    const dir = await makeSite({...layouts, 'posts/2024-01-01-a.md': post('permalink: /same/'), 'posts/2024-01-02-b.md': post('permalink: /same/')})
    const result = await buildIn(dir)
    expect(result.ok).toBe(false)
    expect(result.messages).toContain('posts/2024-01-01-a.md:2:1: error: posts/2024-01-01-a.md and posts/2024-01-02-b.md both want the URL /same/ (url-clash)')
    expect(result.messages).toContain('posts/2024-01-02-b.md:2:1: error: posts/2024-01-02-b.md and posts/2024-01-01-a.md both want the URL /same/ (url-clash)')
  })

  it('refuses a permalink that would write outside the output folder', async () => {
    // The site sits one level down in its own temp folder, so even a regression writes only inside that folder.
    const root = await makeSite({})
    const dir = path.join(root, 'site')
    await writeFiles(dir, {...layouts, 'posts/2024-01-01-a.md': post('title: A\npermalink: /../../escape/')})
    const result = await buildIn(dir)
    expect(result.ok).toBe(false)
    expect(result.messages.join('\n')).toMatch(/posts\/2024-01-01-a\.md:3:1: error: .*outside the output folder/)
    expect(existsSync(path.join(root, 'escape'))).toBe(false)
    expect(readdirSync(root)).toEqual(['site'])
  })

  it('publishes a post dated exactly now, and not one a millisecond later', async () => {
    const dir = await makeSite({...layouts, 'posts/2024-05-12-now.md': post('title: Now\ndate: 2024-05-12 10:00:00 +0000')})
    const at = Date.UTC(2024, 4, 12, 10)
    expect((await buildSite({source: dir, now: at})).posts.map((p) => p.title.text)).toEqual(['Now'])
    expect((await buildSite({source: dir, now: at - 1})).posts).toEqual([])
  })

  it('baseurl: /blog/ never gives /blog// anywhere, and the built site checks clean', async () => {
    const files: Record<string, string> = {'site.yml': 'title: B\nurl: https://example.com\nbaseurl: /blog/\npaginate: 1\n', 'about.md': '---\ntitle: About\n---\n[home]({{ site.baseurl }}/) and [root](/)\n'}
    for (let day = 1; day <= 3; day++) files[`posts/2024-01-0${day}-p${day}.md`] = post(`title: P${day}\ntags: [x]\nimage: /img.png`, `[up](/) ![a](/img.png)\n`)
    files['img.png'] = 'png'
    const dir = await makeSite(files)
    const result = await buildIn(dir)
    expect(result.ok, result.messages.join('\n')).toBe(true)
    const doubled: string[] = []
    for (const [file, base64] of await snapshotTree(path.join(dir, '_site'))) if (Buffer.from(base64, 'base64').toString('utf8').includes('/blog//')) doubled.push(file)
    expect(doubled).toEqual([])
    expect(await read(dir, '_site/page/2/index.html')).toContain('href="/blog/page/3/"')
    const {checkSite, formatBroken} = await import('../src/check.js')
    expect(formatBroken((await checkSite({out: path.join(dir, '_site'), baseurl: '/blog', siteUrl: 'https://example.com'})).broken)).toEqual([])
  })

  it('reports an unparseable date at its line', async () => {
    const dir = await makeSite({...layouts, 'posts/2024-01-01-a.md': post('title: A\nauthor: me\ndate: 2024-13-45')})
    const result = await buildIn(dir)
    expect(result.ok).toBe(false)
    expect(result.messages[0]).toMatch(/^posts\/2024-01-01-a\.md:4:1: error: invalid date "2024-13-45"/)
  })

  it('collects every problem of a run, across files', async () => {
    const dir = await makeSite({
      ...layouts,
      'posts/2024-01-01-a.md': '---\ntitle: [unclosed\n---\n',
      'posts/2024-01-02-b.md': post('date: yesterday'),
      'posts/2024-01-03-c.md': post('title: fine')
    })
    const result = await buildIn(dir)
    expect(result.ok).toBe(false)
    expect(result.messages.filter((line) => line.includes(': error: '))).toHaveLength(2)
  })

  it('leaves out future posts, drafts and unpublished posts unless asked', async () => {
    const dir = await makeSite({
      ...layouts,
      'posts/2030-01-01-future.md': post('title: Future'),
      'posts/2024-01-01-hidden.md': post('title: Hidden\npublished: false'),
      'posts/2024-01-02-shown.md': post('title: Shown'),
      'drafts/work-in-progress.md': post('title: Draft')
    })
    const plain = await buildIn(dir)
    expect(plain.posts.map((p) => p.slug)).toEqual(['shown'])
    const all = await buildIn(dir, {future: true, drafts: true})
    expect(all.posts.map((p) => p.slug).sort()).toEqual(['future', 'shown', 'work-in-progress'])
    expect(existsSync(path.join(dir, '_site/2030/01/01/future/index.html'))).toBe(true)
    expect(existsSync(path.join(dir, '_site/2024/01/01/hidden/index.html'))).toBe(false)
  })

  it('resolves the hero image and body references relative to the post, under baseurl', async () => {
    const dir = await makeSite({
      ...layouts,
      'layouts/post.html': '---\nlayout: base\n---\n<article><img src="{{ page.image | relative_url }}" alt="">{{ content }}</article>',
      'assets/hero.png': 'png',
      'posts/img/inline.png': 'png',
      'posts/2024-01-01-a.md': post('title: A\nimage: ../assets/hero.png', '<img src="img/inline.png" alt="x">\n\n![missing](nope.png)\n')
    })
    const result = await buildIn(dir, {baseUrl: '/blog'})
    expect(result.ok).toBe(true)
    const html = await read(dir, '_site/2024/01/01/a/index.html')
    expect(html).toContain('<img src="/blog/assets/hero.png" alt="">')
    expect(html).toContain('<img src="/blog/posts/img/inline.png" alt="x" decoding="async">')
    expect(existsSync(path.join(dir, '_site/assets/hero.png'))).toBe(true)
    expect(existsSync(path.join(dir, '_site/posts/img/inline.png'))).toBe(true)
    expect(result.messages).toEqual(['posts/2024-01-01-a.md:7:1: warning: `nope.png` matches no file (looked in posts/ and the site root) (missing-asset)'])
  })

  it('warns at the image line when the hero image matches no file', async () => {
    const dir = await makeSite({...layouts, 'posts/2024-01-01-a.md': post('title: A\nimage: ../assets/none.png')})
    const result = await buildIn(dir)
    expect(result.ok).toBe(true)
    expect(result.messages).toEqual(['posts/2024-01-01-a.md:3:1: warning: image `../assets/none.png` matches no file (looked beside posts/2024-01-01-a.md and in the site root) (missing-asset)'])
  })

  it('keeps a post inside its container: an unclosed div or a stray </article> cannot swallow or close the layout', async () => {
    const dir = await makeSite({
      ...layouts,
      'posts/2024-01-01-a.md': post('title: A', '<div class="open">\n\nnever closed\n'),
      'posts/2024-01-02-b.md': post('title: B', 'before\n\n</article></main></body>\n\nafter\n')
    })
    expect((await buildIn(dir)).ok).toBe(true)
    for (const page of ['_site/2024/01/01/a/index.html', '_site/2024/01/02/b/index.html']) {
      const tree = fromHtml(await read(dir, page))
      const article = select('main > article', tree)
      expect(article, page).toBeDefined()
      expect(select('footer', article!), page).toBeUndefined()
      expect(select('body > footer#site-footer', tree), page).toBeDefined()
      expect(toString(article!)).toMatch(/never closed|after/)
    }
  })

  it('renders pages at clean URLs and Liquid in their bodies', async () => {
    const dir = await makeSite({
      ...layouts,
      'layouts/page.html': '---\nlayout: base\n---\n<section>{{ content }}</section>',
      'about.md': '---\ntitle: About\n---\nAbout *me*.\n',
      'index.html': '---\nlayout: base\ntitle: Home\n---\n<ul>{% for p in site.posts %}<li><a href="{{ p.url | relative_url }}">{{ p.title }}</a>{{ p.excerpt }}</li>{% endfor %}</ul>',
      'notes.txt': 'no front matter: copied as is',
      'posts/2024-01-01-first.md': post('title: First', 'First intro.\n<!--more-->\nRest.\n'),
      'posts/2024-02-01-second.md': post('title: Second', 'Second intro.\n\nMore.\n')
    })
    const result = await buildIn(dir)
    expect(result.messages).toEqual([])
    expect(await read(dir, '_site/about/index.html')).toContain('<section><p>About <em>me</em>.</p></section>')
    expect(await read(dir, '_site/notes.txt')).toBe('no front matter: copied as is')
    const index = await read(dir, '_site/index.html')
    expect(index).toContain('<li><a href="/2024/02/01/second/">Second</a><p>Second intro.</p></li><li><a href="/2024/01/01/first/">First</a><p>First intro.</p></li>')
  })

  it('writes a default index with the theme when the site has none', async () => {
    const dir = await makeSite({'posts/2024-01-01-first.md': post('title: First post', 'The intro.\n<!--more-->\nHidden rest.\n')})
    const result = await buildIn(dir)
    expect(result.ok).toBe(true)
    const index = await read(dir, '_site/index.html')
    expect(index).toContain('First post')
    expect(index).toContain('The intro.')
    expect(index).not.toContain('Hidden rest.')
    expect(existsSync(path.join(dir, '_site/assets/css/style.css'))).toBe(true)
  })

  it('leaves the previous output byte for byte when a build fails', async () => {
    const dir = await makeSite({...layouts, 'posts/2024-01-01-a.md': post('title: A')})
    expect((await buildIn(dir)).ok).toBe(true)
    const before = await snapshotTree(path.join(dir, '_site'))
    await writeFiles(dir, {'posts/2024-01-02-b.md': '---\ntitle: "broken\n---\n'})
    expect((await buildIn(dir)).ok).toBe(false)
    expect(await snapshotTree(path.join(dir, '_site'))).toEqual(before)
    const leftovers = (await fs.readdir(dir)).filter((name) => name.startsWith('.galley'))
    expect(leftovers).toEqual([])
  })

  it('never replaces an output folder it did not write, nor one that is or holds the source', async () => {
    const dir = await makeSite({...layouts, 'posts/2024-01-01-a.md': post('title: A'), 'mine/keep.txt': 'precious'})
    const foreign = await buildIn(dir, {out: path.join(dir, 'mine')})
    expect(foreign.ok).toBe(false)
    expect(foreign.messages.join('\n')).toMatch(/holds files galley did not write/)
    expect(await read(dir, 'mine/keep.txt')).toBe('precious')
    expect((await buildIn(dir, {out: dir})).ok).toBe(false)
    expect((await buildIn(dir, {out: path.dirname(dir)})).ok).toBe(false)
  })

  it('reads Jekyll folders and _config.yml', async () => {
    const dir = await makeSite({
      '_config.yml': 'title: Jekyll Site\npermalink: pretty\ncustom_key: custom value\n',
      '_layouts/default.html': '<html><head><title>{{ site.title }}</title></head><body>{% include note.html text=site.custom_key %}{{ content }}</body></html>',
      '_layouts/post.html': '---\nlayout: default\n---\n<article>{{ content }}</article>',
      '_includes/note.html': '<aside>{{ include.text }}</aside>',
      '_posts/2024-03-04-jekyll-post.md': post('title: J\ncategories: [news]'),
      '_drafts/not-yet.md': post('title: Draft')
    })
    const result = await buildIn(dir)
    expect(result.messages).toEqual([])
    const html = await read(dir, '_site/news/2024/03/04/jekyll-post/index.html')
    expect(html).toContain('<title>Jekyll Site</title>')
    expect(html).toContain('<aside>custom value</aside><article><p>Body text.</p></article>')
  })

  it('renders Jekyll tags in post bodies, and warns (without failing) about missing includes, posts and files', async () => {
    const dir = await makeSite({
      ...layouts,
      'layouts/includes/note.html': '<aside>{{ include.text }}</aside>',
      'about.md': '---\ntitle: About\n---\nAbout.\n',
      'posts/2024-01-01-first.md': post('title: First'),
      'posts/2024-01-02-second.md': post(
        'title: Second',
        [
          'See [first]({% post_url 2024-01-01-first %}) and [about]({% link about.md %}).',
          '',
          '{% include note.html text="hello" %}',
          '',
          '{% include missing.html %}',
          '',
          'A [gone]({% post_url 2020-01-01-gone %}) post.',
          '',
          '{% highlight python %}',
          'print("hi")',
          '{% endhighlight %}',
          ''
        ].join('\n')
      )
    })
    const result = await buildIn(dir, {baseUrl: '/blog'})
    expect(result.ok).toBe(true)
    expect(result.messages).toEqual([
      'posts/2024-01-02-second.md:8:1: warning: include "missing.html" was not found in the include folders; nothing is included (missing-include)',
      'posts/2024-01-02-second.md:10:10: warning: no post called "2020-01-01-gone": the link points nowhere ("#") (missing-post)'
    ])
    const html = await read(dir, '_site/2024/01/02/second/index.html')
    expect(html).toContain('<a href="/blog/2024/01/01/first/">first</a> and <a href="/blog/about/">about</a>')
    expect(html).toContain('<aside>hello</aside>')
    const code = /<pre class="shiki"[^>]*><code class="language-python">([\s\S]*?)<\/code><\/pre>/.exec(html)?.[1] ?? ''
    expect(code.replace(/<[^>]+>/g, '')).toBe('print("hi")')
  })

  it('reports a Liquid error in a post body at its line in the post file', async () => {
    const dir = await makeSite({...layouts, 'posts/2024-01-01-a.md': post('title: A', 'Line one.\n\n{{ page.title | nope }}\n')})
    const result = await buildIn(dir)
    expect(result.ok).toBe(false)
    expect(result.messages[0]).toMatch(/^posts\/2024-01-01-a\.md:6:1: error: undefined filter: nope/)
  })

  it('reads files with lone-CR (and CRLF) line endings as lines: front matter, body and positions', async () => {
    const cr = (lines: string[]) => lines.join('\r')
    const dir = await makeSite({
      ...layouts,
      'layouts/page.html': ['---', 'layout: base', '---', '<section>{{ content }}</section>', ''].join('\r\n'),
      'posts/2024-05-12-old-mac.md': cr(['---', 'title: Old Mac', 'tags: [retro]', '---', '# Heading', '', 'First paragraph.', '', 'Second paragraph.', '']),
      'about.md': cr(['---', 'title: About', 'layout: page', '---', 'About text.', '']),
      'posts/2024-05-13-broken.md': cr(['---', 'title: Broken', '---', 'Text', '', '{% if %}', ''])
    })
    const report = await buildIn(dir)
    expect(report.messages).toEqual([expect.stringMatching(/^posts\/2024-05-13-broken\.md:6:6: error: .* \(liquid\)$/)])
    await fs.rm(path.join(dir, 'posts/2024-05-13-broken.md'))
    const second = await buildIn(dir)
    expect(second.messages).toEqual([])
    const page = fromHtml(await read(dir, '_site/2024/05/12/old-mac/index.html'))
    expect(toString(select('title', page)!)).toBe('Old Mac')
    expect(toString(select('h1', page)!)).toBe('Old Mac')
    expect(selectAll('article p', page).map((node) => toString(node))).toEqual(['First paragraph.', 'Second paragraph.'])
    expect(toString(select('article h1 + *', page) ?? select('article h2', page)!)).toContain('Heading')
    expect(await read(dir, '_site/tags/retro/index.html')).toContain('Old Mac')
    expect(await read(dir, '_site/about/index.html')).toMatch(/<section><p>About text\.<\/p>\s*<\/section>/)
  })

  it('writes non-HTML pages with front matter (feed.xml, robots.txt, .json) without the blank lines that stood in for it', async () => {
    const dir = await makeSite({
      ...layouts,
      'posts/2024-05-12-a.md': post('title: A'),
      'feed.xml': '---\nlayout: none\ntitle: Feed\n---\n<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">{% for p in site.posts %}<title>{{ p.title | xml_escape }}</title>{% endfor %}</feed>\n',
      'robots.txt': '---\n---\nUser-agent: *\nSitemap: {{ "/sitemap.xml" | absolute_url }}\n',
      'data.json': '---\nlayout: null\n---\n{"posts": {{ site.posts.size }}}\n'
    })
    const report = await buildIn(dir)
    expect(report.messages).toEqual([])
    expect(await read(dir, '_site/feed.xml')).toBe('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title></feed>\n')
    expect(await read(dir, '_site/robots.txt')).toBe('User-agent: *\nSitemap: /sitemap.xml\n')
    expect(JSON.parse(await read(dir, '_site/data.json'))).toEqual({posts: 1})
    expect(await read(dir, '_site/data.json')).toBe('{"posts": 1}\n')
  })

  it('reads data files into site.data, and reports a broken one at its line', async () => {
    const dir = await makeSite({
      ...layouts,
      'data/models/small.yml': '- name: Alpha\n  params: 1\n- name: Beta\n  params: 3\n',
      '_data/ignored.yml': 'not: read, data/ wins\n',
      'data/site.json': '{"motto": "ship it"}',
      'about.md': '---\ntitle: About\nlayout: base\n---\n{% for m in site.data.models.small %}{{ m.name }}={{ m.params }};{% endfor %} {{ site.data.site.motto }}\n'
    })
    const result = await buildIn(dir)
    expect(result.messages).toEqual([])
    expect(await read(dir, '_site/about/index.html')).toContain('<p>Alpha=1;Beta=3; ship it</p>')
    expect(existsSync(path.join(dir, '_site/data'))).toBe(false)
    await writeFiles(dir, {'data/broken.yml': 'ok: 1\nbad: [unclosed\n'})
    const broken = await buildIn(dir)
    expect(broken.ok).toBe(false)
    expect(broken.messages[0]).toMatch(/^data\/broken\.yml:3:1: error: invalid YAML: /)
  })

  it('takes the excerpt from the post separator or the excerpt: field in front matter', async () => {
    const dir = await makeSite({
      ...layouts,
      'index.html': '---\nlayout: base\n---\n{% for p in site.posts %}[{{ p.excerpt | strip }}|{{ p.excerpt_text }}]{% endfor %}',
      'posts/2024-01-01-a.md': post('title: A\nexcerpt_separator: <!--cut-->', 'One.\n\nTwo.\n<!--cut-->\nThree.\n'),
      'posts/2024-01-02-b.md': post('title: B\nexcerpt: "Written *by hand*"', 'Body.\n')
    })
    const result = await buildIn(dir)
    expect(result.messages).toEqual([])
    expect(await read(dir, '_site/index.html')).toContain('[<p>Written <em>by hand</em></p>|Written by hand][<p>One.</p>\n<p>Two.</p>|One. Two.]')
  })

  it('keeps scripts and event handlers in a title out of the page', async () => {
    const dir = await makeSite({'posts/2024-01-01-a.md': post('title: Safe <br> <img src=x onerror=alert(1)><script>alert(2)</script>title')})
    expect((await buildIn(dir)).ok).toBe(true)
    for (const page of ['_site/2024/01/01/a/index.html', '_site/index.html']) {
      const html = await read(dir, page)
      const structuredData = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(html)?.[1]
      // The post page carries JSON-LD with the plain title; the index carries none. Neither is skipped.
      if (page === '_site/index.html') expect(structuredData).toBeUndefined()
      else expect(JSON.parse(structuredData ?? 'null')?.headline).toBe('Safe title')
      expect(html.replace(/<script type="application\/ld\+json">[\s\S]*?<\/script>/, ''), page).not.toMatch(/<script|onerror|alert/)
    }
    const html = await read(dir, '_site/2024/01/01/a/index.html')
    expect(html).toContain('<title>Safe title')
    expect(html).toMatch(/<h1[^>]*>Safe <br> title<\/h1>/)
  })

  it('paginates the index with Jekyll\'s paginator, and makes tag, category, archive and not-found pages', async () => {
    const files: Record<string, string> = {'site.yml': 'title: Paged\npaginate: 2\n'}
    for (let day = 1; day <= 5; day++) files[`posts/2024-01-0${day}-post-${day}.md`] = post(`title: Post ${day}\ntags: [Réseaux de neurones, llm]\ncategories: notes`, `Intro ${day}.\n`)
    const dir = await makeSite(files)
    const result = await buildIn(dir)
    expect(result.messages).toEqual([])
    const first = await read(dir, '_site/index.html')
    expect(first).toContain('Post 5')
    expect(first).toContain('Post 4')
    expect(first).not.toContain('Post 3<')
    expect(first).toContain('href="/page/2/"')
    const second = await read(dir, '_site/page/2/index.html')
    expect(second).toContain('Post 3')
    expect(second).toContain('href="/"')
    expect(second).toContain('href="/page/3/"')
    const last = await read(dir, '_site/page/3/index.html')
    expect(last).toContain('Post 1')
    // The last page links back but not on; the first links on but not back.
    expect(last).toContain('rel="prev" href="/page/2/"')
    expect(last).not.toContain('rel="next"')
    expect(first).not.toContain('rel="prev"')
    expect(second).toContain('rel="next" href="/page/3/"')
    expect(existsSync(path.join(dir, '_site/page/4/index.html'))).toBe(false)
    const tag = await read(dir, '_site/tags/réseaux-de-neurones/index.html')
    expect(tag).toContain('Posts tagged “Réseaux de neurones”')
    expect(tag.match(/class="post-summary"/g)).toHaveLength(5)
    expect(await read(dir, '_site/2024/01/01/post-1/index.html')).toContain('href="/tags/r%C3%A9seaux-de-neurones/"')
    expect(existsSync(path.join(dir, '_site/tags/llm/index.html'))).toBe(true)
    expect(existsSync(path.join(dir, '_site/categories/notes/index.html'))).toBe(true)
    expect(await read(dir, '_site/archive/index.html')).toContain('<h2 id="year-2024">2024</h2>')
    expect(await read(dir, '_site/404.html')).toContain('Page not found')
  })

  it('lets the site\'s own pages win over generated ones, and paginates its own index', async () => {
    const dir = await makeSite({
      ...layouts,
      'site.yml': 'paginate: 1\ntag_pages: false\n',
      '404.md': '---\ntitle: Lost\nlayout: base\n---\nMy own not-found page.\n',
      'archive.html': '---\nlayout: base\n---\nMy archive.',
      'index.html': '---\nlayout: base\n---\n{% for p in paginator.posts %}<b>{{ p.title }}</b>{% endfor %} page {{ paginator.page }}/{{ paginator.total_pages }}',
      'posts/2024-01-01-a.md': post('title: A\ntags: [x]'),
      'posts/2024-01-02-b.md': post('title: B')
    })
    const result = await buildIn(dir)
    expect(result.messages).toEqual([])
    expect(await read(dir, '_site/404.html')).toContain('My own not-found page.')
    expect(await read(dir, '_site/archive/index.html')).toContain('My archive.')
    expect(await read(dir, '_site/index.html')).toContain('<b>B</b> page 1/2')
    expect(await read(dir, '_site/page/2/index.html')).toContain('<b>A</b> page 2/2')
    expect(existsSync(path.join(dir, '_site/tags'))).toBe(false)
  })

  it('keeps an embed kind as written, script and all, when site.yml opts out of it', async () => {
    const embed = '<div class="substack-post-embed"><p lang="en">A Post by Someone</p><p></p><a data-post-link href="https://example.substack.com/p/a-post">Read on Substack</a></div><script async src="https://substack.com/embedjs/embed.js" charset="utf-8"></script>'
    const files = {...layouts, 'posts/2024-01-01-a.md': post('title: A', `Intro.\n\n${embed}\n`)}
    const kept = await makeSite({...files, 'site.yml': 'embeds:\n  substack: false\n'})
    const keptResult = await buildIn(kept)
    expect(keptResult.messages).toEqual([])
    const keptHtml = await read(kept, '_site/2024/01/01/a/index.html')
    expect(keptHtml).toContain('<div class="substack-post-embed">')
    expect(keptHtml).toContain('<script async src="https://substack.com/embedjs/embed.js"')
    const converted = await makeSite(files)
    expect((await buildIn(converted)).messages).toEqual([])
    const html = await read(converted, '_site/2024/01/01/a/index.html')
    expect(html).toContain('class="embed-card embed-card-substack"')
    expect(html).not.toContain('<script')
  })

  it('turns hostile input into positioned errors, never a crash', async () => {
    const dir = await makeSite({
      ...layouts,
      'posts/2024-01-01-list.md': '---\n- a\n- b\n---\nA list as front matter.\n',
      'posts/2024-01-02-odd.md': '---\ntitle: {a: 1}\n---\nA mapping as title.\n',
      'posts/2024-01-03-deep.md': `---\ntitle: Deep\n---\n${'<div>'.repeat(5000)}\n`,
      'posts/2024-01-04-binary.md': new Uint8Array(Array.from({length: 2000}, (_, index) => (index * 7919) % 256)),
      'posts/2024-01-05-empty.md': '',
      'posts/2024-01-06-fine.md': post('title: Fine')
    })
    const result = await buildIn(dir)
    expect(result.ok).toBe(false)
    const errors = result.messages.filter((line) => line.includes(': error: '))
    expect(errors).toEqual([
      'posts/2024-01-01-list.md:2:1: error: front matter must be a mapping of keys to values (front-matter)',
      'posts/2024-01-02-odd.md:2:1: error: title must be text, not a list or a mapping (quote it if it holds a colon or brackets) (title)',
      'posts/2024-01-03-deep.md:1:1: error: could not render this file: the markup is nested too deeply to render (render)'
    ])
  })

  it('builds into a default _site written by another generator (Jekyll), keeping and naming its files, but never into a folder named with --out', async () => {
    const dir = await makeSite({...layouts, 'posts/2024-01-01-a.md': post('title: A'), '_site/old-jekyll-page.html': 'from Jekyll'})
    const result = await buildIn(dir)
    expect(result.ok).toBe(true)
    // Galley did not write it, so it is not Galley's to delete (issue 10): kept, with a warning that --clean removes it.
    expect(await read(dir, '_site/old-jekyll-page.html')).toBe('from Jekyll')
    expect(result.messages).toContainEqual(expect.stringMatching(/^_site\/old-jekyll-page\.html:1:1: warning: this file was not written by galley; it is kept .*--clean.*\(foreign-file\)$/))
    expect(existsSync(path.join(dir, '_site/2024/01/01/a/index.html'))).toBe(true)
    await writeFiles(dir, {'public/keep.txt': 'mine'})
    expect((await buildIn(dir, {out: path.join(dir, 'public')})).ok).toBe(false)
    expect(await read(dir, 'public/keep.txt')).toBe('mine')
  })
})
