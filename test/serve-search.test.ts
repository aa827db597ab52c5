// `galley serve` keeps a search index in memory, rebuilt in the background:
// the real CLI as a child process, fetched over 127.0.0.1.
import {promises as fs} from 'node:fs'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import {makeSite, startServe, stopAllServes} from './helpers.js'

const TIMEOUT = 180_000

afterEach(async () => {
  await stopAllServes()
})

describe('search in the preview', () => {
  it('serves a Pagefind index once built, and rebuilds it after the reload of an edit', async () => {
    const site = await makeSite({
      'site.yml': 'title: Preview Search\n',
      'posts/2024-01-02-kettle.md': '---\nlayout: post\ntitle: Kettle\ndate: 2024-01-02\n---\nThe kettle whistles at dawn.\n'
    })
    const serve = await startServe(site)
    await serve.waitForLine('stdout', /^galley: search index updated \(1 page\)/, {timeout: 60_000})
    const entry = await fetch(new URL('pagefind/pagefind-entry.json', serve.url))
    expect(entry.status).toBe(200)
    expect(((await entry.json()) as {version: string}).version).toMatch(/^\d/)
    expect((await fetch(new URL('pagefind/pagefind-ui.js', serve.url))).status).toBe(200)
    expect((await fetch(new URL('search/', serve.url))).status).toBe(200)

    const from = serve.stdout().length
    await fs.writeFile(path.join(site, 'posts/2024-02-03-teapot.md'), '---\nlayout: post\ntitle: Teapot\ndate: 2024-02-03\n---\nA teapot waits on the stove.\n')
    // The reload is announced first; the index follows it, with the new post.
    const rebuilt = await serve.waitForLine('stdout', /^galley: rebuilt in /, {from, timeout: 60_000})
    const indexed = await serve.waitForLine('stdout', /^galley: search index updated \(2 pages\)/, {from, timeout: 60_000})
    const out = serve.stdout().slice(from)
    expect(out.indexOf(rebuilt)).toBeLessThan(out.indexOf(indexed))
    expect((await fetch(new URL('pagefind/pagefind-entry.json', serve.url))).status).toBe(200)
  }, TIMEOUT)

  it('search: false serves no index and no search page', async () => {
    const site = await makeSite({
      'site.yml': 'title: No Search\nsearch: false\n',
      'posts/2024-01-02-kettle.md': '---\nlayout: post\ntitle: Kettle\ndate: 2024-01-02\n---\nThe kettle whistles at dawn.\n'
    })
    const serve = await startServe(site)
    expect((await fetch(new URL('search/', serve.url))).status).toBe(404)
    expect((await fetch(new URL('pagefind/pagefind.js', serve.url))).status).toBe(404)
    expect(serve.stdout()).not.toMatch(/search index/)
  }, TIMEOUT)
})
