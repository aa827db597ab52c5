// The comparison figures as a reader sees them, in Debian's Chromium (playwright-core):
// the sample post's three figures at 1280 and 390 px, light and dark, saved as
// screenshots under test/artifacts/ (git-ignored) for people to look at, with
// the browser's own boxes checked for overlapping labels; and `galley serve`
// updating the open post's chart and the model pages when models.yml changes.
//
// Like serve-browser.test.ts, this file never skips: without Chromium it fails, saying how to install it.
import {createReadStream, promises as fs} from 'node:fs'
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import path from 'node:path'
import type {Browser, BrowserContext, Page} from 'playwright-core'
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest'
import {launchChromium, makeSite, root, runCli, startServe, stopAllServes, type ServeProcess} from './helpers.js'

const artifacts = path.join(root, 'test', 'artifacts')
const POST_URL = '/2024/05/20/spring-open-model-releases-by-the-numbers/'

/** A static server for a built folder, on 127.0.0.1 only. */
async function serveFolder(dir: string): Promise<{server: Server; origin: string}> {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1')
    let file = path.join(dir, decodeURIComponent(url.pathname))
    if (!file.startsWith(dir)) {
      response.writeHead(403).end()
      return
    }
    if (file.endsWith('/')) file = path.join(file, 'index.html')
    const type = file.endsWith('.html') ? 'text/html; charset=utf-8' : file.endsWith('.css') ? 'text/css' : file.endsWith('.svg') ? 'image/svg+xml' : 'application/octet-stream'
    fs.stat(file).then(
      () => {
        response.writeHead(200, {'content-type': type})
        createReadStream(file).pipe(response)
      },
      () => response.writeHead(404).end()
    )
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`}
}

/** A context that reaches only the loopback, at a viewport width and colour scheme. */
async function contextAt(browser: Browser, width: number, colorScheme: 'light' | 'dark'): Promise<BrowserContext> {
  const context = await browser.newContext({viewport: {width, height: 900}, colorScheme})
  await context.route(
    (url) => /^(https?|wss?):$/.test(url.protocol) && !['127.0.0.1', 'localhost'].includes(url.hostname),
    (route) => route.abort('blockedbyclient')
  )
  return context
}

interface ChartCheck {
  readonly texts: number
  readonly overlaps: string[]
  readonly smallestText: number
}

/**
 * In the page: for each chart, every text's box against every other text's
 * box and against every mark and bar (circle, rect, path), and the smallest
 * text's size in CSS pixels.
 */
function checkCharts(page: Page): Promise<ChartCheck[]> {
  return page.evaluate(() => {
    type Rect = {left: number; right: number; top: number; bottom: number; width: number; height: number}
    type Node = {getBoundingClientRect(): Rect; textContent: string | null; tagName: string; getAttribute(name: string): string | null; closest(selector: string): unknown}
    const doc = (globalThis as unknown as {document: {querySelectorAll(selector: string): ArrayLike<Node & {querySelectorAll(selector: string): ArrayLike<Node>}>}}).document
    const overlap = (a: Rect, b: Rect) => a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5
    return Array.from(doc.querySelectorAll('figure.galley-compare svg.galley-chart')).map((svg) => {
      const texts = Array.from(svg.querySelectorAll('text')).filter((text) => (text.textContent ?? '').trim() !== '')
      const shapes = Array.from(svg.querySelectorAll('circle, rect, path'))
      const overlaps: string[] = []
      const scale = svg.getBoundingClientRect().width / Number((svg.getAttribute('viewBox') ?? '0 0 1 1').split(' ')[2])
      let smallestText = Infinity
      for (const [index, text] of texts.entries()) {
        const box = text.getBoundingClientRect()
        smallestText = Math.min(smallestText, Number(text.getAttribute('font-size')) * scale)
        for (const other of texts.slice(index + 1)) if (overlap(box, other.getBoundingClientRect())) overlaps.push(`"${text.textContent}" and "${other.textContent}"`)
        for (const shape of shapes) if (overlap(box, shape.getBoundingClientRect())) overlaps.push(`"${text.textContent}" and a ${shape.tagName}`)
      }
      return {texts: texts.length, overlaps, smallestText}
    })
  })
}

describe('comparison figures in Chromium', () => {
  let browser: Browser | undefined
  let launchError: unknown
  let serve: ServeProcess | undefined
  let context: BrowserContext | undefined

  beforeAll(async () => {
    browser = await launchChromium().catch((error: unknown) => {
      launchError = error
      return undefined
    })
  })

  function requireBrowser(): Browser {
    if (!browser) throw launchError instanceof Error ? launchError : new Error(`Chromium did not start: ${String(launchError)}`)
    return browser
  }

  afterEach(async () => {
    await context?.close().catch(() => undefined)
    context = undefined
    await serve?.stop()
    serve = undefined
    await stopAllServes()
  })

  afterAll(async () => {
    await browser?.close()
    await stopAllServes()
  })

  it('shows the sample post’s three figures at 1280 and 390 px, light and dark, with no label over another label or a mark, and text of 11 px or more', async () => {
    const out = path.join(await makeSite({}), '_site')
    const built = await runCli(['build', '--out', out])
    expect(built.code, built.stderr).toBe(0)
    const {server, origin} = await serveFolder(out)
    await fs.mkdir(artifacts, {recursive: true})
    try {
      for (const width of [1280, 390]) {
        for (const scheme of ['light', 'dark'] as const) {
          context = await contextAt(requireBrowser(), width, scheme)
          const page = await context.newPage()
          const response = await page.goto(origin + POST_URL)
          expect(response?.status()).toBe(200)
          const figures = await page.locator('figure.galley-compare').all()
          expect(figures).toHaveLength(3)
          for (const [index, figure] of figures.entries()) await figure.screenshot({path: path.join(artifacts, `compare-figure-${index + 1}-${width}-${scheme}.png`)})
          const charts = await checkCharts(page)
          expect(charts).toHaveLength(3)
          for (const chart of charts) {
            expect(chart.texts).toBeGreaterThan(5)
            expect(chart.overlaps, `at ${width} px, ${scheme}`).toEqual([])
            expect(chart.smallestText, `at ${width} px`).toBeGreaterThanOrEqual(11)
          }
          // The page itself does not scroll sideways (a wide table scrolls in its own box).
          expect(await page.evaluate(() => {
            const doc = (globalThis as unknown as {document: {documentElement: {scrollWidth: number; clientWidth: number}}}).document
            return doc.documentElement.scrollWidth <= doc.documentElement.clientWidth
          })).toBe(true)
          await context.close()
          context = undefined
        }
      }
    } finally {
      server.close()
    }
  }, 180_000)

  it('the overlap check itself sees a label over another and over a mark, and text below 11 px', async () => {
    context = await contextAt(requireBrowser(), 390, 'light')
    const page = await context.newPage()
    await page.setContent(
      '<figure class="galley-compare"><svg class="galley-chart" viewBox="0 0 880 400" width="100%"><text x="10" y="50" font-size="14">First label</text><text x="30" y="52" font-size="14">Second</text><circle cx="300" cy="100" r="5"></circle><text x="296" y="104" font-size="14">On a mark</text></svg></figure>'
    )
    const [chart] = await checkCharts(page)
    expect(chart?.overlaps).toEqual(['"First label" and "Second"', '"On a mark" and a circle'])
    expect(chart?.smallestText).toBeLessThan(11)
  }, 60_000)

  it('galley serve redraws the open post’s chart and table, and the model page, when models.yml changes; and the model page when a post starts or stops naming the model', async () => {
    const data = (score: number) =>
      [
        'alpha-1b:',
        '  name: Alpha 1B',
        '  family: alpha',
        '  parameters: {value: 1B, source: "https://example.com/alpha"}',
        '  scores:',
        `    mmlu: {value: ${score}, eval: 5-shot, source: "https://example.com/alpha"}`,
        'alpha-7b:',
        '  name: Alpha 7B',
        '  family: alpha',
        '  parameters: {value: 7B, source: "https://example.com/alpha"}',
        '  scores:',
        '    mmlu: {value: 60.2, eval: 5-shot, source: "https://example.com/alpha"}',
        ''
      ].join('\n')
    const site = await makeSite({
      'site.yml': 'title: Preview\nurl: https://preview.example.com\nauthor: Tester\n',
      'data/models.yml': data(40.5),
      'posts/2024-01-01-sizes.md': ['---', 'layout: post', 'title: Sizes', '---', 'Two sizes.', '', '```compare', 'models: [alpha-1b, alpha-7b]', 'columns: [parameters, scores.mmlu]', 'chart: {type: scatter, x: parameters, y: scores.mmlu, x_scale: log}', '```', ''].join('\n')
    })
    serve = await startServe(site)
    context = await contextAt(requireBrowser(), 1280, 'light')
    const page = await context.newPage()
    await page.goto(new URL('2024/01/01/sizes/', serve.url).href)
    const row = () => page.evaluate(() => (globalThis as unknown as {document: {querySelector(s: string): {textContent: string | null} | null}}).document.querySelector('.galley-compare-table tbody tr')?.textContent ?? '')
    const desc = () => page.evaluate(() => (globalThis as unknown as {document: {querySelector(s: string): {textContent: string | null} | null}}).document.querySelector('svg.galley-chart desc')?.textContent ?? '')
    expect(await row()).toContain('40.5')
    expect(await desc()).toContain('Alpha 1B, 1B and 40.5')

    await fs.writeFile(path.join(site, 'data/models.yml'), data(44.25))
    // The page reloads itself on the server's event; nothing is done in the browser.
    const deadline = Date.now() + 30_000
    let seen = ''
    while (Date.now() < deadline) {
      seen = await desc().catch(() => '')
      if (seen.includes('44.25')) break
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    expect(seen).toContain('Alpha 1B, 1B and 44.25')
    expect(await row()).toContain('44.25')
    const modelPage = await fetch(new URL('models/alpha-1b/', serve.url)).then((response) => response.text())
    expect(modelPage).toContain('44.25')
    expect(modelPage).toContain('href="/2024/01/01/sizes/"')

    // A post that starts or stops naming a model changes that model's page (and its own list), with no restart.
    const untilPage = async (url: string, accept: (html: string) => boolean): Promise<string> => {
      const until = Date.now() + 30_000
      let html = ''
      while (Date.now() < until) {
        html = await fetch(new URL(url, (serve as ServeProcess).url)).then((response) => response.text())
        if (accept(html)) return html
        await new Promise((resolve) => setTimeout(resolve, 200))
      }
      return html
    }
    const later = (sentence: string) => ['---', 'layout: post', 'title: Later', '---', sentence, ''].join('\n')
    await fs.writeFile(path.join(site, 'posts/2024-02-01-later.md'), later('A week with Alpha 7B.'))
    expect(await untilPage('models/alpha-7b/', (html) => html.includes('href="/2024/02/01/later/"'))).toContain('href="/2024/02/01/later/"')
    expect(await untilPage('2024/02/01/later/', (html) => html.includes('Models in this post'))).toContain('<a href="/models/alpha-7b/">Alpha 7B</a>')
    await fs.writeFile(path.join(site, 'posts/2024-02-01-later.md'), later('A week with something else.'))
    expect(await untilPage('models/alpha-7b/', (html) => !html.includes('href="/2024/02/01/later/"'))).not.toContain('href="/2024/02/01/later/"')
    expect(await untilPage('models/alpha-7b/', () => true)).toContain('href="/2024/01/01/sizes/"')
    expect(serve.output()).not.toMatch(/error/i)
  }, 120_000)
})
