import {request} from 'node:http'
import {promises as fs} from 'node:fs'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import {loadConfig, type SiteConfig} from '../src/config.js'
import {createBuildCache} from '../src/site/build-cache.js'
import {renderInMemory} from '../src/site/memory-sink.js'
import {startPreview, PreviewError, type Preview} from '../src/serve/preview.js'
import {createHostCheck} from '../src/serve/host-check.js'
import {lookup, type ServedSite} from '../src/serve/server.js'
import {injectReload} from '../src/serve/reload.js'
import {makeSite, writeFiles} from './helpers.js'

const post = (title: string, body: string, extra = '') => `---\ntitle: ${title}\n${extra}---\n${body}\n`

function served(files: string[], baseurl = ''): ServedSite {
  return {outputs: new Map(files.map((file) => [file, 'x'])), copies: new Map(), baseurl}
}

describe('lookup: request paths to output files', () => {
  const site = served(['index.html', 'a/index.html', 'b.html', 'feed.xml', 'assets/x.png', '404.html'])
  it.each([
    ['/', {kind: 'found', file: 'index.html'}],
    ['/a/', {kind: 'found', file: 'a/index.html'}],
    ['/a', {kind: 'redirect', location: '/a/'}],
    ['/b', {kind: 'found', file: 'b.html'}],
    ['/b.html', {kind: 'found', file: 'b.html'}],
    ['/feed.xml', {kind: 'found', file: 'feed.xml'}],
    ['/assets/x%2Epng', {kind: 'found', file: 'assets/x.png'}],
    ['/nope', {kind: 'missing'}]
  ])('%s', (requestPath, expected) => {
    expect(lookup(site, requestPath)).toEqual(expected)
  })

  it.each(['/../package.json', '/a/../../etc/passwd', '/%2e%2e/package.json', '/%2E%2E%2Fpackage.json', '/a/%2e%2e/%2e%2e/x', '/..%5cpackage.json', '/a%00.html', '/%E0%A4%A', '/./index.html'])('refuses %s', (requestPath) => {
    expect(lookup(site, requestPath)).toEqual({kind: 'missing'})
  })

  it('serves under the base path only', () => {
    const blog = served(['index.html', 'a/index.html'], '/blog')
    expect(lookup(blog, '/blog/')).toEqual({kind: 'found', file: 'index.html'})
    expect(lookup(blog, '/blog')).toEqual({kind: 'redirect', location: '/blog/'})
    expect(lookup(blog, '/')).toEqual({kind: 'redirect', location: '/blog/'})
    expect(lookup(blog, '/a/')).toEqual({kind: 'missing'})
    expect(lookup(blog, '/blog/a/')).toEqual({kind: 'found', file: 'a/index.html'})
  })
})

describe('createHostCheck', () => {
  it('accepts the loopback names and the --host given, with the port; on a wildcard address any IP as well', () => {
    const loopback = createHostCheck('127.0.0.1')
    expect(loopback.host('127.0.0.1:4000', 4000)).toBe(true)
    expect(loopback.host('localhost.:4000', 4000)).toBe(true)
    expect(loopback.host('192.168.1.5:4000', 4000)).toBe(false)
    expect(loopback.host(undefined, 4000)).toBe(false)
    const named = createHostCheck('my-laptop.local')
    expect(named.host('My-Laptop.local:4000', 4000)).toBe(true)
    expect(named.host('other.local:4000', 4000)).toBe(false)
    const v6 = createHostCheck('::1')
    expect(v6.host('[::1]:4000', 4000)).toBe(true)
    const all = createHostCheck('0.0.0.0')
    expect(all.host('192.168.1.5:4000', 4000)).toBe(true)
    expect(all.host('[fe80::1]:4000', 4000)).toBe(true)
    expect(all.host('evil.example:4000', 4000)).toBe(false)
    expect(all.origin('http://192.168.1.5:4000', 4000)).toBe(true)
    expect(all.origin('http://evil.example:4000', 4000)).toBe(false)
    expect(loopback.origin(undefined, 4000)).toBe(true)
  })
})

describe('injectReload', () => {
  it('puts the revision and client before </head>, or first when there is no head', () => {
    expect(injectReload('<html><head><title>x</title></head><body></body></html>', 7)).toBe(
      '<html><head><title>x</title><meta name="galley-revision" content="7"><script src="/__galley/client.js" defer></script></head><body></body></html>'
    )
    expect(injectReload('<p>bare</p>', 2)).toMatch(/^<meta name="galley-revision" content="2">/)
  })
})

/** Render with a persistent cache, as the preview does, returning what each run re-rendered. */
async function session(dir: string) {
  const cache = createBuildCache()
  const config = (): SiteConfig => {
    const loaded = loadConfig({source: dir, now: Date.parse('2025-01-01T00:00:00Z'), drafts: true, future: true})
    if (!loaded.config) throw new Error('bad config')
    return loaded.config
  }
  let current = config()
  return {
    async run(changed: string[] = [], structural = false, reload = false) {
      if (reload) current = config()
      const result = await renderInMemory(current, reload ? createBuildCache() : cache, {hint: {changed, structural}})
      expect(result.ok).toBe(true)
      // Deferred pages are what the server renders on request; render them as a browser would.
      // Pages come back as text; images made on request (social cards, responsive variants) as bytes.
      for (const [file, render] of result.deferred) {
        const made = await render()
        if (/\.(png|jpe?g|webp|avif)$/.test(file)) expect(made).toBeInstanceOf(Uint8Array)
        else expect(made).toBeTypeOf('string')
      }
      return {now: [...result.rendered].sort(), later: [...result.deferred.keys()].sort()}
    }
  }
}

describe('what a change re-renders', () => {
  it('a post edit re-renders that post and the pages that list it, not the other posts', async () => {
    const files: Record<string, string> = {'site.yml': 'url: https://example.com\npaginate: 2\n'}
    for (let day = 1; day <= 6; day++) files[`posts/2024-01-0${day}-p${day}.md`] = post(`Post ${day}`, `Body ${day}.`, day === 3 ? 'tags: [x]\n' : '')
    const dir = await makeSite(files)
    const preview = await session(dir)
    const first = await preview.run([], true)
    expect(first.now).toContain('posts/2024-01-01-p1.md')
    expect(await preview.run()).toEqual({now: [], later: []})

    await writeFiles(dir, {'posts/2024-01-03-p3.md': post('Post 3', 'Body 3, edited.', 'tags: [x]\n')})
    expect(await preview.run(['posts/2024-01-03-p3.md'])).toEqual({
      now: ['2024/01/03/p3/index.html', 'feed.json', 'feed.xml', 'posts/2024-01-03-p3.md'],
      later: ['archive/index.html', 'page/2/index.html', 'tags/x/index.html']
    })
    // Once requested, they come from the cache.
    expect(await preview.run()).toEqual({now: [], later: []})
  })

  it('a layout edit re-wraps every page without rendering any markdown again', async () => {
    const dir = await makeSite({
      'layouts/post.html': '<article>{{ content }}</article>',
      'posts/2024-01-01-a.md': post('A', 'Alpha.'),
      'posts/2024-01-02-b.md': post('B', 'Beta.')
    })
    const preview = await session(dir)
    await preview.run([], true)
    await writeFiles(dir, {'layouts/post.html': '<article class="edited">{{ content }}</article>'})
    const {now, later} = await preview.run(['layouts/post.html'])
    expect(later).toContain('2024/01/01/a/index.html')
    expect(later).toContain('2024/01/02/b/index.html')
    expect(now.filter((file) => file.endsWith('.md'))).toEqual([])
  })

  it('a site.yml edit rebuilds everything', async () => {
    const dir = await makeSite({'posts/2024-01-01-a.md': post('A', 'Alpha.')})
    const preview = await session(dir)
    await preview.run([], true)
    await writeFiles(dir, {'site.yml': 'title: Renamed\n'})
    const {now, later} = await preview.run(['site.yml'], false, true)
    expect(now).toContain('posts/2024-01-01-a.md')
    expect(later).toContain('index.html')
    expect(later).toContain('2024/01/01/a/index.html')
  })
})

describe('galley serve over HTTP', () => {
  let preview: Preview | undefined
  afterEach(async () => {
    await preview?.close()
    preview = undefined
  })

  const get = (url: string, rawPath?: string) =>
    new Promise<{status: number; type: string; body: string; location?: string}>((resolve, reject) => {
      const target = new URL(url)
      const req = request({host: target.hostname, port: target.port, path: rawPath ?? target.pathname, method: 'GET'}, (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => (body += chunk))
        res.on('end', () => resolve({status: res.statusCode ?? 0, type: String(res.headers['content-type']), body, location: res.headers.location}))
      })
      req.on('error', reject)
      req.end()
    })

  async function start(dir: string, port = 0): Promise<Preview> {
    preview = await startPreview({overrides: {source: dir}, port, host: '127.0.0.1', now: () => Date.parse('2025-01-01T00:00:00Z'), log: () => undefined})
    return preview
  }

  it('serves pages with the reload snippet, types with charset, the site 404 page with status 404, and nothing outside the site', async () => {
    const outside = await makeSite({'secret.txt': 'do not serve'})
    const dir = await makeSite({'posts/2024-01-01-a.md': post('A', 'Alpha.'), 'assets/style.css': 'p{}', 'notes.txt': 'plain'})
    await fs.symlink(path.join(outside, 'secret.txt'), path.join(dir, 'assets', 'linked.txt'))
    const {url} = await start(dir)
    const page = await get(url + '2024/01/01/a/')
    expect(page.status).toBe(200)
    expect(page.type).toBe('text/html; charset=utf-8')
    expect(page.body).toContain('<script src="/__galley/client.js" defer></script>')
    expect((await get(url + 'assets/style.css')).type).toBe('text/css; charset=utf-8')
    expect((await get(url + 'notes.txt')).type).toBe('text/plain; charset=utf-8')
    expect((await get(url + 'feed.xml')).type).toBe('application/atom+xml; charset=utf-8')
    const missing = await get(url + 'no/such/page/')
    expect(missing.status).toBe(404)
    expect(missing.body).toContain('Page not found')
    for (const raw of ['/../package.json', '/%2e%2e/%2e%2e/etc/passwd', '/assets/linked.txt', '/..%2f..%2fsecret.txt']) {
      const response = await get(url, raw)
      expect(response.status, raw).toBe(404)
      expect(response.body, raw).not.toContain('do not serve')
    }
    expect((await get(url + '2024/01/01/a')).status).toBe(301)
  })

  /** The status of a GET of `rawPath` on the preview at `url`, with these headers (the body is not waited for: the event stream never ends). */
  const statusOf = (url: string, rawPath: string, headers: Record<string, string>) =>
    new Promise<number>((resolve, reject) => {
      const target = new URL(url)
      const req = request({host: target.hostname, port: target.port, path: rawPath, method: 'GET', headers}, (res) => {
        resolve(res.statusCode ?? 0)
        res.destroy()
      })
      req.on('error', reject)
      req.end()
    })

  it('answers only requests addressed to where it listens (403 for a foreign Host), and the event stream only its own origin', async () => {
    const dir = await makeSite({'posts/2024-01-01-a.md': post('A', 'Alpha.')})
    const {url} = await start(dir)
    const port = new URL(url).port
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`, `[::1]:${port}`]) {
      expect(await statusOf(url, '/2024/01/01/a/', {host}), host).toBe(200)
    }
    for (const host of [`evil.example:${port}`, 'evil.example', `127.0.0.1.evil.example:${port}`, `localhost:${Number(port) + 1}`, '127.0.0.1', `[::2]:${port}`, `user@127.0.0.1:${port}`]) {
      expect(await statusOf(url, '/2024/01/01/a/', {host}), host).toBe(403)
      expect(await statusOf(url, '/__galley/events', {host}), host).toBe(403)
    }
    const own = `127.0.0.1:${port}`
    expect(await statusOf(url, '/__galley/events?since=1', {host: own})).toBe(200)
    expect(await statusOf(url, '/__galley/events?since=1', {host: own, origin: `http://${own}`})).toBe(200)
    expect(await statusOf(url, '/__galley/events?since=1', {host: own, origin: `http://localhost:${port}`})).toBe(200)
    for (const origin of ['http://evil.example', `http://evil.example:${port}`, 'null', `https://127.0.0.1:${port}`, `http://127.0.0.1:${Number(port) + 1}`]) {
      expect(await statusOf(url, '/__galley/events?since=1', {host: own, origin}), origin).toBe(403)
    }
  })

  it('names the port in use, and --port 0 picks a free one', async () => {
    const dir = await makeSite({'posts/2024-01-01-a.md': post('A', 'Alpha.')})
    const first = await start(dir)
    const port = Number(new URL(first.url).port)
    await expect(startPreview({overrides: {source: dir}, port, host: '127.0.0.1', now: Date.now, log: () => undefined})).rejects.toThrow(PreviewError)
    await expect(startPreview({overrides: {source: dir}, port, host: '127.0.0.1', now: Date.now, log: () => undefined})).rejects.toThrow(`port ${port} on 127.0.0.1 is in use`)
  })

  it('keeps serving the last good site after a failed rebuild, and reports the failure', async () => {
    const dir = await makeSite({'posts/2024-01-01-a.md': post('A', 'Alpha.')})
    const logged: string[] = []
    preview = await startPreview({overrides: {source: dir}, port: 0, host: '127.0.0.1', now: Date.now, log: (line) => logged.push(line)})
    await writeFiles(dir, {'posts/2024-01-01-a.md': '---\ntitle: "broken\n---\nAlpha.\n'})
    await preview.rebuild([path.join(dir, 'posts/2024-01-01-a.md')], false)
    expect(logged.join('\n')).toMatch(/galley: build failed .*\nposts\/2024-01-01-a\.md:\d+:\d+: error: invalid YAML/)
    expect((await get(preview.url + '2024/01/01/a/')).body).toContain('Alpha.')
  })
})

describe('what a change re-renders, with Liquid in bodies', () => {
  it('a layout that lists recent posts (a sidebar) makes every page it wraps follow post edits', async () => {
    const sidebar = '<aside>{% for p in site.posts limit: 2 %}{{ p.excerpt }}{% endfor %}</aside>{{ content }}'
    const dir = await makeSite({'layouts/post.html': sidebar, 'posts/2024-01-01-a.md': post('A', 'Alpha.'), 'posts/2024-01-02-b.md': post('B', 'Beta.')})
    const preview = await session(dir)
    await preview.run([], true)
    await writeFiles(dir, {'posts/2024-01-02-b.md': post('B', 'Beta, edited.')})
    const {now, later} = await preview.run(['posts/2024-01-02-b.md'])
    expect(now).toContain('2024/01/02/b/index.html')
    expect(later).toContain('2024/01/01/a/index.html')
  })

  it('pages of the default theme do not depend on other posts', async () => {
    const dir = await makeSite({'posts/2024-01-01-a.md': post('A', 'Alpha.'), 'posts/2024-01-02-b.md': post('B', 'Beta.'), 'posts/2024-01-03-c.md': post('C', 'Gamma.')})
    const preview = await session(dir)
    await preview.run([], true)
    await writeFiles(dir, {'posts/2024-01-01-a.md': post('A', 'Alpha, edited.')})
    const {now, later} = await preview.run(['posts/2024-01-01-a.md'])
    expect([...now, ...later]).not.toContain('2024/01/03/c/index.html')
  })

  it('a page whose body lists post excerpts through Liquid follows their edits', async () => {
    const dir = await makeSite({
      'layouts/base.html': '{{ content }}',
      'index.html': '---\nlayout: base\n---\n{% for p in site.posts %}[{{ p.excerpt | strip_html | strip }}]{% endfor %}',
      'posts/2024-01-01-a.md': post('A', 'First version.'),
      'posts/2024-01-02-b.md': post('B', 'Other post.')
    })
    const preview = await session(dir)
    await preview.run([], true)
    await writeFiles(dir, {'posts/2024-01-01-a.md': post('A', 'Second version.')})
    const {now} = await preview.run(['posts/2024-01-01-a.md'])
    expect(now).toContain('index.html')
    expect(now).toContain('posts/2024-01-01-a.md')
    expect(now).not.toContain('posts/2024-01-02-b.md')
  })
})

describe('the watcher', () => {
  it('rebuilds after a save by rename (write a temp file, rename it over the post) and after a truncate-then-write save', async () => {
    const dir = await makeSite({'posts/2024-01-01-a.md': post('A', 'Alpha.')})
    const logged: string[] = []
    const preview = await startPreview({overrides: {source: dir}, port: 0, host: '127.0.0.1', now: Date.now, log: (line) => logged.push(line)})
    try {
      const target = path.join(dir, 'posts/2024-01-01-a.md')
      const waitFor = async (text: string) => {
        for (let tries = 0; tries < 100; tries++) {
          const page = await fetch(preview.url + '2024/01/01/a/').then((response) => response.text())
          if (page.includes(text)) return
          await new Promise((resolve) => setTimeout(resolve, 50))
        }
        throw new Error(`page never showed "${text}"; log:\n${logged.join('\n')}`)
      }
      await fs.writeFile(target + '.tmp', post('A', 'Renamed into place.'))
      await fs.rename(target + '.tmp', target)
      await waitFor('Renamed into place.')
      // An editor that truncates, then writes a moment later: the second half must not be lost.
      const handle = await fs.open(target, 'w')
      await new Promise((resolve) => setTimeout(resolve, 30))
      await handle.writeFile(post('A', 'Written after a pause.'))
      await handle.close()
      await waitFor('Written after a pause.')
    } finally {
      await preview.close()
    }
  })
})

