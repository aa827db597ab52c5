import {promises as fs} from 'node:fs'
import http from 'node:http'
import type {AddressInfo} from 'node:net'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {checkSite, formatBroken} from '../src/check.js'
import {makeSite} from './helpers.js'

const dirs: string[] = []
afterAll(async () => {
  await Promise.all(dirs.map((dir) => fs.rm(dir, {recursive: true, force: true})))
})

async function site(files: Record<string, string>): Promise<string> {
  const dir = await makeSite(files)
  dirs.push(dir)
  return dir
}

function page(body: string, head = ''): string {
  return `<!doctype html>\n<html>\n<head>\n<title>t</title>\n${head}</head>\n<body>\n${body}\n</body>\n</html>\n`
}

describe('checkSite: internal links', () => {
  it('finds a non-ASCII heading id from its percent-encoded fragment, and flags doubled slashes', async () => {
    const out = await site({
      'index.html': page(['<h2 id="résumé">Résumé</h2>', '<a href="#résumé">raw</a>', '<a href="#r%C3%A9sum%C3%A9">encoded</a>', '<a href="/blog/about/#r%C3%A9sum%C3%A9">other page</a>', '<a href="/blog//about/">doubled</a>', '<a href="/blog/about//">doubled at the end</a>'].join('\n')),
      'about/index.html': page('<h2 id="résumé">Résumé</h2>')
    })
    const result = await checkSite({out, baseurl: '/blog'})
    expect(formatBroken(result.broken)).toEqual(['index.html:11: /blog//about/ (doubled slash in the path)', 'index.html:12: /blog/about// (doubled slash in the path)'])
  })

  it('accepts a site whose links all resolve under baseurl /blog', async () => {
    const out = await site({
      'index.html': page(
        [
          '<a href="/blog/">home</a>',
          '<a href="/blog">home without slash</a>',
          '<a href="2024/05/12/x/">relative post</a>',
          '<a href="/blog/2024/05/12/x/#intro">post section</a>',
          '<a href="/blog/about">pretty URL → about.html</a>',
          '<a href="/blog/tags">folder → tags/index.html</a>',
          '<a href="/blog/my%20file.txt">percent-encoded</a>',
          '<a href="#top">top</a>',
          '<a href="#">nothing</a>',
          '<a href="mailto:me@example.com">mail</a> <a href="tel:+123">tel</a>',
          '<a href="javascript:void(0)">js</a> <img src="data:image/png;base64,AAAA" alt="">',
          '<a href="https://example.com/elsewhere">external, not checked by default</a>',
          '<img src="/blog/img/a.png" srcset="/blog/img/a.png 1x, img/b.png 2x" alt="">',
          '<a name="legacy"></a><a href="#legacy">legacy anchor</a>'
        ].join('\n'),
        '<link rel="stylesheet" href="/blog/css/site.css?v=3">\n<script src="js/app.js"></script>\n<link rel="preconnect" href="https://fonts.gstatic.com">\n'
      ),
      '2024/05/12/x/index.html': page('<h2 id="intro">Intro</h2>\n<a href="../../../../">up to the root</a>\n<a href="../../../../about.html#team">team</a>\n<video src="/blog/media/v.mp4" poster="/blog/media/v.jpg"><source src="../../../../media/v.webm"></video>'),
      'about.html': page('<h2 id="team">Team</h2>'),
      'tags/index.html': page('<p>tags</p>'),
      'my file.txt': 'x',
      'img/a.png': 'png',
      'img/b.png': 'png',
      'css/site.css': 'body{}',
      'js/app.js': '',
      'media/v.mp4': '',
      'media/v.jpg': '',
      'media/v.webm': ''
    })
    const result = await checkSite({out, baseurl: '/blog'})
    expect(result.broken).toEqual([])
    expect(result.pages).toBe(4)
    expect(result.links).toBeGreaterThan(15)
  })

  it('reports broken links, images, stylesheets and fragments with their positions', async () => {
    const out = await site({
      'index.html': page(
        [
          '<p>A <a href="/blog/missing/">missing page</a>.</p>', // line 8 (the <head> holds one extra line)
          '<img src="/blog/img/gone.png" alt="">', // line 9
          '<a href="#nowhere">same page</a>', // line 10
          '<a href="/blog/other/#absent">other page</a> <a href="/blog/other/#here">fine</a>', // line 11
          '<a href="/elsewhere/">outside</a>', // line 12
          '<a href="/blog/missing/">the same broken link again</a>' // line 13
        ].join('\n'),
        '<link rel="stylesheet" href="/blog/css/nope.css">\n' // line 5
      ),
      'other/index.html': page('<p id="here">here</p>')
    })
    const {broken} = await checkSite({out, baseurl: '/blog'})
    expect(broken).toEqual([
      {page: 'index.html', line: 5, column: 24, href: '/blog/css/nope.css', reason: 'file not found: css/nope.css, css/nope.css.html, css/nope.css/index.html'},
      {page: 'index.html', line: 8, column: 9, href: '/blog/missing/', reason: 'file not found: missing/index.html'},
      {page: 'index.html', line: 9, column: 6, href: '/blog/img/gone.png', reason: 'file not found: img/gone.png, img/gone.png.html, img/gone.png/index.html'},
      {page: 'index.html', line: 10, column: 4, href: '#nowhere', reason: 'no element with id "nowhere" on this page'},
      {page: 'index.html', line: 11, column: 4, href: '/blog/other/#absent', reason: 'no element with id "absent" in other/index.html'},
      {page: 'index.html', line: 12, column: 4, href: '/elsewhere/', reason: "outside the site's base path /blog"}
    ])
    expect(formatBroken(broken)).toEqual([
      'index.html:5: /blog/css/nope.css (file not found: css/nope.css, css/nope.css.html, css/nope.css/index.html)',
      'index.html:8: /blog/missing/ (file not found: missing/index.html)',
      'index.html:9: /blog/img/gone.png (file not found: img/gone.png, img/gone.png.html, img/gone.png/index.html)',
      'index.html:10: #nowhere (no element with id "nowhere" on this page)',
      'index.html:11: /blog/other/#absent (no element with id "absent" in other/index.html)',
      "index.html:12: /elsewhere/ (outside the site's base path /blog)"
    ])
  })

  it('resolves relative links from the page URL, so ../ cannot climb out of the base path unnoticed', async () => {
    const out = await site({
      '2024/05/12/x/index.html': page('<a href="../../../../../">above the base</a>\n<a href="../y/">sibling</a>\n<a href="y/">child that does not exist</a>'),
      '2024/05/12/y/index.html': page('')
    })
    const lines = formatBroken((await checkSite({out, baseurl: '/blog'})).broken)
    expect(lines).toEqual([
      "2024/05/12/x/index.html:7: ../../../../../ (outside the site's base path /blog)",
      '2024/05/12/x/index.html:9: y/ (file not found: 2024/05/12/x/y/index.html)'
    ])
  })

  it('checks every srcset candidate, including URLs with commas', async () => {
    const out = await site({
      'index.html': page('<picture>\n<source srcset="/a.webp 1x, /missing.webp 2x">\n<img src="/a.png" srcset="/a.png 480w,/b,c.png 800w, /gone.png 1200w" sizes="(max-width: 600px) 480px, 800px" alt="">\n</picture>'),
      'a.webp': '',
      'a.png': '',
      'b,c.png': ''
    })
    const lines = formatBroken((await checkSite({out, baseurl: ''})).broken)
    expect(lines).toEqual([
      'index.html:8: /missing.webp (file not found: missing.webp, missing.webp.html, missing.webp/index.html)',
      'index.html:9: /gone.png (file not found: gone.png, gone.png.html, gone.png/index.html)'
    ])
  })

  it('ignores URLs that are text inside <pre> and <code>, and counts line numbers from the top of the file', async () => {
    const out = await site({
      'index.html': page(
        [
          '<pre><code>&lt;a href="/missing-in-pre/"&gt;link&lt;/a&gt;',
          '&lt;img src="/missing.png"&gt;',
          'see /also-missing/ and https://example.invalid/',
          '</code></pre>',
          '<p>Inline <code>&lt;a href="/nope/"&gt;</code> code.</p>',
          '<pre><a href="/real-element-in-pre/">an element, not text: checked</a></pre>',
          '',
          '<p>',
          '  <a class="x"',
          '     href="/really-missing/">real</a>',
          '</p>'
        ].join('\n')
      )
    })
    const {broken} = await checkSite({out, baseurl: ''})
    expect(broken.map(({line, column, href}) => ({line, column, href}))).toEqual([
      {line: 12, column: 9, href: '/real-element-in-pre/'},
      {line: 16, column: 6, href: '/really-missing/'}
    ])
  })

  it('honours <base href> and treats absolute URLs on siteUrl as internal', async () => {
    const out = await site({
      'index.html': page('<a href="posts/a/">via base</a>\n<a href="https://example.com/blog/gone/">own origin</a>\n<a href="https://example.com/blog/posts/a/">own origin, fine</a>', '<base href="/blog/">\n'),
      'posts/a/index.html': page('')
    })
    const lines = formatBroken((await checkSite({out, baseurl: '/blog', siteUrl: 'https://example.com'})).broken)
    expect(lines).toEqual(['index.html:9: https://example.com/blog/gone/ (file not found: gone/index.html)'])
  })

  it('checks the target of a meta refresh redirect page', async () => {
    const out = await site({
      'old/index.html': '<!doctype html><html><head>\n<meta http-equiv="refresh" content="0; url=/blog/new/">\n</head></html>',
      'gone/index.html': '<!doctype html><html><head>\n<meta http-equiv="refresh" content="0;URL=\'/blog/nowhere/\'">\n</head></html>',
      'new/index.html': page('')
    })
    const lines = formatBroken((await checkSite({out, baseurl: '/blog'})).broken)
    expect(lines).toEqual(['gone/index.html:2: /blog/nowhere/ (file not found: nowhere/index.html)'])
  })
})

describe('checkSite: external links', () => {
  let server: http.Server
  let origin = ''
  let inFlight = 0
  let maxInFlight = 0
  const methods: string[] = []

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      const url = request.url ?? '/'
      methods.push(`${request.method} ${url}`)
      inFlight++
      maxInFlight = Math.max(maxInFlight, inFlight)
      const finish = (status: number): void => {
        inFlight--
        response.writeHead(status, {'content-type': 'text/plain'}).end(request.method === 'HEAD' ? undefined : 'body')
      }
      if (url.startsWith('/slow')) setTimeout(() => finish(200), 2000)
      else if (url.startsWith('/busy')) setTimeout(() => finish(200), 60)
      else if (url === '/not-found') finish(404)
      else if (url === '/no-head') finish(request.method === 'HEAD' ? 405 : 200)
      else if (url === '/no-head-gone') finish(request.method === 'HEAD' ? 501 : 410)
      else finish(200)
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })

  afterAll(async () => {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  })

  it('reports 4xx, timeouts and network errors; falls back to GET on 405/501; fetches each URL once', async () => {
    const closed = http.createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const closedUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/`
    await new Promise((resolve) => closed.close(resolve))

    const out = await site({
      'index.html': page(
        [
          `<a href="${origin}/ok">ok</a>`,
          `<a href="${origin}/not-found">404</a>`,
          `<a href="${origin}/slow">slow</a>`,
          `<a href="${origin}/no-head">HEAD refused</a>`,
          `<a href="${origin}/no-head-gone">HEAD refused, GET gone</a>`,
          `<a href="${closedUrl}">nobody listening</a>`,
          `<a href="${origin}/ok#section">ok again, with a fragment</a>`
        ].join('\n')
      ),
      'other.html': page(`<img src="${origin}/not-found" alt="">`)
    })
    methods.length = 0
    const result = await checkSite({out, baseurl: '', external: true, timeoutMs: 300})
    expect(formatBroken(result.broken)).toEqual([
      `index.html:8: ${origin}/not-found (HTTP 404)`,
      `index.html:9: ${origin}/slow (timed out after 300 ms)`,
      `index.html:11: ${origin}/no-head-gone (HTTP 410)`,
      `index.html:12: ${closedUrl} (network error: ECONNREFUSED)`,
      `other.html:7: ${origin}/not-found (HTTP 404)`
    ])
    expect(methods.filter((entry) => entry.endsWith(' /ok'))).toEqual(['HEAD /ok'])
    expect(methods.filter((entry) => entry.endsWith(' /not-found'))).toEqual(['HEAD /not-found'])
    expect(methods.filter((entry) => entry.endsWith('/no-head'))).toEqual(['HEAD /no-head', 'GET /no-head'])
    expect(result.links).toBe(8)
  })

  it('keeps at most `concurrency` requests in flight', async () => {
    const links = Array.from({length: 12}, (_, index) => `<a href="${origin}/busy/${index}">${index}</a>`)
    const out = await site({'index.html': page(links.join('\n'))})
    inFlight = 0
    maxInFlight = 0
    const result = await checkSite({out, baseurl: '', external: true, concurrency: 3})
    expect(result.broken).toEqual([])
    expect(maxInFlight).toBe(3)
  })

  it('says the network is unreachable, once, instead of reporting every external link broken', async () => {
    const out = await site({'index.html': page('<a href="https://a.example/x">x</a>\n<a href="https://b.example/y">y</a>\n<a href="https://b.example/y">again</a>\n<a href="/nope/">internal</a>')})
    const offline: typeof fetch = async (input) => {
      throw new TypeError('fetch failed', {cause: Object.assign(new Error(`getaddrinfo ENOTFOUND ${new URL(String(input)).host}`), {code: 'ENOTFOUND'})})
    }
    const result = await checkSite({out, baseurl: '', external: true, fetch: offline})
    expect(result.offline).toEqual({code: 'ENOTFOUND', unchecked: 3, hosts: 2})
    expect(formatBroken(result.broken)).toEqual(['index.html:10: /nope/ (file not found: nope/index.html)'])
    // One dead host among live ones is a broken link, not a network outage.
    const mixed: typeof fetch = async (input) => {
      if (String(input).includes('a.example')) return new Response(null, {status: 200})
      return offline(input)
    }
    const some = await checkSite({out, baseurl: '', external: true, fetch: mixed})
    expect(some.offline).toBeUndefined()
    expect(formatBroken(some.broken)).toContain('index.html:8: https://b.example/y (network error: ENOTFOUND)')
  })

  it('uses the injected fetch and leaves external URLs alone without `external`', async () => {
    const out = await site({'index.html': page('<a href="https://example.com/x">x</a>')})
    const seen: string[] = []
    const fakeFetch: typeof fetch = async (input) => {
      seen.push(String(input))
      return new Response(null, {status: 500})
    }
    expect((await checkSite({out, baseurl: '', fetch: fakeFetch})).broken).toEqual([])
    expect(seen).toEqual([])
    expect(formatBroken((await checkSite({out, baseurl: '', external: true, fetch: fakeFetch})).broken)).toEqual(['index.html:7: https://example.com/x (HTTP 500)'])
    expect(seen).toEqual(['https://example.com/x'])
  })
})
