// The site's navigation as a reader sees it: a built blog (the real CLI) served
// by a small static server on 127.0.0.1, in Debian's Chromium via
// playwright-core, with every request off the loopback aborted. Screenshots go
// to test/artifacts/ (git-ignored) for people to look at; the assertions are
// the axe scan, overflow, keyboard focus and a search that must find the post.
//
// This file never skips: without Chromium it fails, saying how to install it.
import {createReadStream, existsSync, promises as fs, statSync} from 'node:fs'
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import path from 'node:path'
import {createRequire} from 'node:module'
import type {Browser, Page} from 'playwright-core'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {hasSeed, launchChromium, makeSite, newLoopbackContext, root, runCli, seedPath} from './helpers.js'

const TIMEOUT = 240_000
const artifacts = path.join(root, 'test', 'artifacts')
const axeSource = await fs.readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

const types: Record<string, string> = {'.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript', '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json', '.xml': 'application/xml'}

/** A static file server for a built site, on 127.0.0.1 only (folders serve their index.html). */
function serveFolder(dir: string): Promise<{server: Server; origin: string}> {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1')
    let file = path.join(dir, decodeURIComponent(url.pathname))
    if (!file.startsWith(dir)) file = dir + '/missing'
    if (existsSync(file) && statSync(file).isDirectory()) file = path.join(file, 'index.html')
    if (!existsSync(file)) {
      response.writeHead(404, {'content-type': 'text/plain'}).end('not found')
      return
    }
    response.writeHead(200, {'content-type': types[path.extname(file)] ?? 'application/octet-stream'})
    createReadStream(file).pipe(response)
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`})))
}

function ownPost(name: string, title: string, date: string, tags: string[], paragraphs: string[]): [string, string] {
  return [`posts/${date}-${name}.md`, `---\nlayout: post\ntitle: "${title}"\ndate: ${date} 09:00:00 +0000\ntags: [${tags.join(', ')}]\n---\n${paragraphs.join('\n\n')}\n`]
}

let browser: Browser
let origin = ''
let server: Server | undefined
let seedUrl = ''

beforeAll(async () => {
  const site = await makeSite({
    'site.yml': ['title: Margin Notes', 'description: Reading papers about language models, slowly.', 'url: https://margin.example.org', 'paginate: 2', 'author:', '  name: Rowan Field', '  bio: Writes up papers on weekends.', '  links:', '    Feed: /feed.xml', ''].join('\n'),
    'about.md': '---\ntitle: About\n---\nThis blog collects reading notes.\n',
    ...Object.fromEntries([
      ownPost('sparse-routing', 'Sparse routing, briefly', '2024-03-02', ['moe', 'architecture'], ['Each token visits two experts out of eight.', 'The router is a small linear layer.']),
      ownPost('preference-tuning', 'Preference tuning without a reward model', '2024-02-10', ['alignment'], ['Pairs of answers replace a learned reward.', 'The loss compares log-probabilities.']),
      ownPost('tokenizers', 'A note on tokenizers', '2023-11-20', ['moe', 'tokenizers'], ['Byte-level merges keep every string encodable.'])
    ])
  })
  // The real seed post too, when ../shared is there (a long page for the search index); the suite runs without it.
  if (hasSeed) await fs.copyFile(seedPath, path.join(site, 'posts', '2024-05-12-open-llms.md'))
  const built = await runCli(['build', '--source', site])
  expect(built.code, built.stderr).toBe(0)
  seedUrl = hasSeed ? '/2024/05/12/open-llms/' : ''
  if (hasSeed) expect(existsSync(path.join(site, '_site', seedUrl, 'index.html'))).toBe(true)
  ;({server, origin} = await serveFolder(path.join(site, '_site')))
  browser = await launchChromium()
  await fs.mkdir(artifacts, {recursive: true})
}, TIMEOUT)

afterAll(async () => {
  await browser?.close()
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)))
})

/** A page on the loopback only; what failed to load (4xx/5xx on our server, or blocked) is collected. */
async function open(url: string, options: {width: number; scheme: 'light' | 'dark'}): Promise<{page: Page; failed: string[]; close: () => Promise<void>}> {
  const {context} = await newLoopbackContext(browser)
  const page = await context.newPage()
  await page.setViewportSize({width: options.width, height: 900})
  await page.emulateMedia({colorScheme: options.scheme})
  const failed: string[] = []
  page.on('response', (response) => {
    if (response.url().startsWith(origin) && response.status() >= 400) failed.push(`${response.status()} ${response.url()}`)
  })
  await page.goto(origin + url, {waitUntil: 'load'})
  return {page, failed, close: () => context.close()}
}

async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({content: axeSource})
  const results = (await page.evaluate(() => (window as unknown as {axe: {run: (context: unknown, options: unknown) => Promise<unknown>}}).axe.run(document, {resultTypes: ['violations']}))) as {violations: Array<{id: string; impact: string; nodes: Array<{target: string[]}>}>}
  return results.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical').map((violation) => `${violation.id} (${violation.impact}): ${violation.nodes.map((node) => node.target.join(' ')).slice(0, 3).join(', ')}`)
}

const pages = [
  {name: 'index', url: '/'},
  {name: 'tag', url: '/tags/moe/'},
  {name: 'tags', url: '/tags/'},
  {name: 'search', url: '/search/?q=router'},
  // A post of our own: reading time, author box, previous/next links.
  {name: 'post', url: '/2024/03/02/sparse-routing/'}
]

describe('site pages in Chromium', () => {
  for (const {name, url} of pages) {
    it(`${name}: no serious or critical axe violation, no overflow, no failed request, at 1280 and 390 px, light and dark`, async () => {
      for (const scheme of ['light', 'dark'] as const) {
        for (const width of [1280, 390]) {
          const {page, failed, close} = await open(url, {width, scheme})
          try {
            if (name === 'search') await page.waitForSelector('.pagefind-ui__result', {timeout: 30_000})
            await page.screenshot({path: path.join(artifacts, `site-${name}-${width}-${scheme}.png`), fullPage: true})
            const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
            expect(overflow, `${name} at ${width} px overflows`).toBeLessThanOrEqual(0)
            expect(failed, `${name}: requests that failed`).toEqual([])
            expect(await seriousViolations(page), `${name} ${width} ${scheme}`).toEqual([])
          } finally {
            await close()
          }
        }
      }
    }, TIMEOUT)
  }

  it('the favicon the head links to is served', async () => {
    const {page, close} = await open('/', {width: 1280, scheme: 'light'})
    try {
      const href = await page.getAttribute('link[rel="icon"]', 'href')
      expect(href).toBe('/favicon.svg')
      const status = await page.evaluate(async (icon) => (await fetch(icon as string)).status, href)
      expect(status).toBe(200)
    } finally {
      await close()
    }
  }, TIMEOUT)
})

describe('search with the network off', () => {
  it('the header box takes a word of a sample post to the search page, which finds that post', async () => {
    const {page, close} = await open('/', {width: 1280, scheme: 'light'})
    try {
      await page.fill('#site-search-input', 'router')
      await page.press('#site-search-input', 'Enter')
      await page.waitForURL(/\/search\/\?q=router/)
      const link = await page.waitForSelector('.pagefind-ui__result a[href="/2024/03/02/sparse-routing/"]', {timeout: 30_000})
      expect(await link.textContent()).toMatch(/Sparse routing/)
    } finally {
      await close()
    }
  }, TIMEOUT)

  it.skipIf(!hasSeed)('finds the seed post by a word only it holds', async () => {
    const {page, close} = await open('/search/?q=OpenELM', {width: 1280, scheme: 'light'})
    try {
      const link = await page.waitForSelector(`.pagefind-ui__result a[href="${seedUrl}"]`, {timeout: 30_000})
      expect(await link.textContent()).toMatch(/Open LLMs/)
    } finally {
      await close()
    }
  }, TIMEOUT)

  it('keyboard focus reaches the search box from the top of the page', async () => {
    const {page, close} = await open('/', {width: 1280, scheme: 'light'})
    try {
      const seen: string[] = []
      for (let step = 0; step < 20; step++) {
        await page.keyboard.press('Tab')
        const id = await page.evaluate(() => document.activeElement?.id || document.activeElement?.textContent?.trim() || '')
        seen.push(id)
        if (id === 'site-search-input') break
      }
      expect(seen).toContain('site-search-input')
      // Skip link, site title, then the five header links come first.
      expect(seen.indexOf('site-search-input')).toBeLessThan(10)
    } finally {
      await close()
    }
  }, TIMEOUT)
})
