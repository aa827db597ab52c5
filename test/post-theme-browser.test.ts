// The post page as a reader sees it, in a real headless Chromium (Debian's,
// driven by playwright-core): the real CLI builds a temporary site holding a
// sample post written for this test and, when ../shared is there, the seed
// post; a static server on 127.0.0.1 serves _site, and every request beyond
// the loopback is aborted (the network is "off"), so remote images fail.
//
// Screenshots of each page at 1280 and 390 px, light and dark, are written to
// test/artifacts/ (git-ignored) for people to look at; the assertions are
// the axe-core scan, keyboard focus, the placeholders of failing images, the
// figures, the table of contents, embed cards and print.
import {createReadStream, promises as fs, readFileSync} from 'node:fs'
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import path from 'node:path'
import {createRequire} from 'node:module'
import type {Browser, Page} from 'playwright-core'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {hasSeed, launchChromium, makeSite, root, runCli, seedPath} from './helpers.js'

const TEST_TIMEOUT = 240_000
const artifacts = path.join(root, 'test', 'artifacts')
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

const SAMPLE_FILE = 'posts/2024-06-03-reading-loss-curves.md'
const SAMPLE_PATH = '/2024/06/03/reading-loss-curves/'
const SEED_PATH = '/2024/05/12/how-good-are-the-latest-open-llms/'

/** A post with every kind of content this theme styles, in words written for this test. */
const sampleSource = [
  '---',
  'layout: post',
  'title: Reading Loss Curves <br> Without Fooling Yourself',
  'author: Ada Example',
  'date: 2024-06-03 08:00:00 +0200',
  'tags: [training, notes]',
  '---',
  'Loss curves are the first thing anyone looks at after a training run, and the easiest to misread.',
  '',
  '<!--more-->',
  '## Two runs side by side',
  '',
  'The curves in @fig-runs come from two runs that differ only in their learning rate; @tbl-runs lists their settings.',
  '',
  '![Two falling loss curves, the lower one flattening early](/assets/runs.svg "Training loss of both runs, smoothed over 50 steps"){#fig-runs}',
  '',
  '| run | learning rate | steps |',
  '| --- | ------------- | ----- |',
  '| A   | 3e-4          | 10k   |',
  '| B   | 1e-3          | 10k   |',
  '',
  ': Settings of the two runs {#tbl-runs}',
  '',
  '## A chart from elsewhere',
  '',
  'This one lives on another host, which the reader cannot reach today.',
  '',
  '<img src="https://images.example.com/remote-chart_1200x600.png" alt="Validation loss of run B, with a bump at step 4000" width="1200" height="600">',
  '',
  'Validation loss of run B. (Redrawn from the run log.)',
  '',
  '## Related reading',
  '',
  '<div class="substack-post-embed" data-post-date="2024-02-10"><p lang="en">Warmup Schedules, Briefly by Ada Example</p><p>What the first thousand steps decide</p><a data-post-link href="https://ada.example.com/p/warmup-schedules">Read on Substack</a></div><script async src="https://substack.com/embedjs/embed.js" charset="utf-8"></script>',
  '',
  '## What to take away',
  '',
  'Smooth the curve before judging it, and compare runs at equal steps rather than equal time.',
  '',
  '### A note on scales',
  '',
  'A log scale makes late improvements visible; a linear one makes early ones look dramatic.',
  ''
].join('\n')

/** A small local chart, so the sample has one image that loads. */
const chartSvg =
  '<svg xmlns="http://www.w3.org/2000/svg" width="640" height="320" viewBox="0 0 640 320"><rect width="640" height="320" fill="#f6f6f2"/>' +
  '<path d="M20 40 C 160 200, 300 250, 620 270" fill="none" stroke="#1f5fa8" stroke-width="4"/>' +
  '<path d="M20 60 C 120 240, 260 280, 620 290" fill="none" stroke="#b3541e" stroke-width="4"/></svg>\n'

interface Shot {
  readonly name: string
  readonly path: string
}

let site = ''
let server: Server
let origin = ''
let browser: Browser
const pages: Shot[] = [{name: 'sample', path: SAMPLE_PATH}, ...(hasSeed ? [{name: 'seed', path: SEED_PATH}] : [])]

beforeAll(async () => {
  const files: Record<string, string> = {
    'site.yml': 'title: Loss Notes\nauthor: Ada Example\nurl: https://loss-notes.example.com\n',
    [SAMPLE_FILE]: sampleSource,
    'assets/runs.svg': chartSvg
  }
  if (hasSeed) files['posts/2024-05-12-how-good-are-the-latest-open-llms.md'] = await fs.readFile(seedPath, 'utf8')
  site = await makeSite(files)
  const result = await runCli(['build', '--source', site, '--no-cache', '--workers', '1'])
  expect(result.code, result.stderr).toBe(0)
  server = await serveFolder(path.join(site, '_site'))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  browser = await launchChromium()
  await fs.mkdir(artifacts, {recursive: true})
}, TEST_TIMEOUT)

afterAll(async () => {
  await browser?.close()
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)))
  if (site) await fs.rm(site, {recursive: true, force: true})
})

/** A page in a fresh context at `width`, in `scheme`, with every request beyond the loopback aborted. */
async function openPage(url: string, width: number, scheme: 'light' | 'dark' = 'light'): Promise<Page> {
  const context = await browser.newContext({viewport: {width, height: 900}, colorScheme: scheme, reducedMotion: 'reduce'})
  await context.route(
    (target) => !['127.0.0.1', 'localhost'].includes(target.hostname),
    (route) => route.abort('internetdisconnected')
  )
  const page = await context.newPage()
  await page.goto(origin + url, {waitUntil: 'load'})
  // Lazy images below the fold: scroll through once so every one has tried to load.
  await page.evaluate(async () => {
    for (let y = 0; y < document.body.scrollHeight; y += 600) {
      window.scrollTo(0, y)
      await new Promise((resolve) => requestAnimationFrame(() => resolve(undefined)))
    }
    window.scrollTo(0, 0)
  })
  await page.waitForFunction(() => [...document.images].every((image) => image.complete))
  return page
}

describe('the post page in Chromium', () => {
  for (const shot of pages) {
    for (const width of [1280, 390]) {
      for (const scheme of ['light', 'dark'] as const) {
        it(
          `${shot.name} at ${width} px, ${scheme}: screenshot, no serious accessibility violation, no horizontal overflow`,
          async () => {
            const page = await openPage(shot.path, width, scheme)
            try {
              await page.screenshot({path: path.join(artifacts, `post-${shot.name}-${width}-${scheme}.png`), fullPage: true})
              await page.addScriptTag({content: axeSource})
              const violations = await page.evaluate(async () => {
                const axe = (window as unknown as {axe: {run: (context: Document, options: object) => Promise<{violations: Array<{id: string; impact: string; help: string; nodes: Array<{target: unknown}>}>}>}}).axe
                const result = await axe.run(document, {resultTypes: ['violations']})
                return result.violations.map((violation) => ({id: violation.id, impact: violation.impact, help: violation.help, nodes: violation.nodes.slice(0, 3).map((node) => node.target)}))
              })
              expect(violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')).toEqual([])
              const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
              expect(overflow).toBeLessThanOrEqual(0)
            } finally {
              await page.context().close()
            }
          },
          TEST_TIMEOUT
        )
      }
    }
  }

  it(
    'numbers the labelled figure and table, links the references, and captions the image followed by a caption',
    async () => {
      const page = await openPage(SAMPLE_PATH, 1280)
      try {
        const figures = await page.$$eval('.post-content figure', (nodes) => nodes.map((node) => ({id: node.id, caption: node.querySelector('figcaption')?.textContent ?? '', link: node.querySelector('a')?.getAttribute('href') ?? ''})))
        expect(figures).toEqual([
          {id: 'fig-runs', caption: 'Figure 1: Training loss of both runs, smoothed over 50 steps', link: '/assets/runs.svg'},
          {id: '', caption: 'Validation loss of run B. (Redrawn from the run log.)', link: 'https://images.example.com/remote-chart_1200x600.png'}
        ])
        expect(await page.$eval('table#tbl-runs caption', (node) => node.textContent)).toBe('Table 1: Settings of the two runs')
        expect(await page.$$eval('a.xref', (nodes) => nodes.map((node) => [node.textContent, node.getAttribute('href')]))).toEqual([
          ['Figure 1', '#fig-runs'],
          ['Table 1', '#tbl-runs']
        ])
        // The caption sits below its image with a gap, not touching it.
        const gap = await page.$eval('#fig-runs', (figure) => (figure.querySelector('figcaption') as HTMLElement).getBoundingClientRect().top - (figure.querySelector('img') as HTMLElement).getBoundingClientRect().bottom)
        expect(gap).toBeGreaterThanOrEqual(6)
      } finally {
        await page.context().close()
      }
    },
    TEST_TIMEOUT
  )

  it(
    'shows a failing image as a box of its reserved size with its alt text',
    async () => {
      for (const shot of pages) {
        const page = await openPage(shot.path, 1280)
        try {
          const broken = await page.$$eval('.post-content img', (images) =>
            images
              .filter((image) => image.complete && image.naturalWidth === 0)
              .map((image) => {
                const box = image.getBoundingClientRect()
                return {
                  alt: image.alt,
                  width: box.width,
                  height: box.height,
                  ratio: Number(image.getAttribute('width')) / Number(image.getAttribute('height')),
                  text: getComputedStyle(image, '::after').content,
                  background: getComputedStyle(image, '::before').backgroundColor
                }
              })
          )
          expect(broken.length).toBeGreaterThan(0)
          for (const image of broken) {
            expect(image.width).toBeGreaterThan(200)
            expect(Math.abs(image.width / image.height - image.ratio) / image.ratio).toBeLessThan(0.03)
            expect(image.text).toContain('Image not available')
            if (image.alt !== '') expect(image.text).toContain(image.alt)
            expect(image.background).not.toBe('rgba(0, 0, 0, 0)')
          }
        } finally {
          await page.context().close()
        }
      }
    },
    TEST_TIMEOUT
  )

  it(
    'lets the keyboard reach heading anchors, which show a named "#" on focus',
    async () => {
      const page = await openPage(SAMPLE_PATH, 1280)
      try {
        let found: {label: string; opacity: string; glyph: string} | undefined
        for (let step = 0; step < 40 && !found; step++) {
          await page.keyboard.press('Tab')
          found = await page.evaluate(() => {
            const active = document.activeElement
            if (!active?.classList.contains('heading-anchor')) return undefined
            return {label: active.getAttribute('aria-label') ?? '', opacity: getComputedStyle(active).opacity, glyph: getComputedStyle(active, '::before').content}
          })
        }
        expect(found).toEqual({label: 'Link to this section: Two runs side by side', opacity: '1', glyph: '"#"'})
      } finally {
        await page.context().close()
      }
    },
    TEST_TIMEOUT
  )

  it(
    'keeps the table of contents in the margin while scrolling on a wide screen, and in the column on a phone',
    async () => {
      const wide = await openPage(SAMPLE_PATH, 1280)
      try {
        const column = await wide.$eval('.post-content', (node) => node.getBoundingClientRect().right)
        const before = await wide.$eval('nav.toc', (node) => node.getBoundingClientRect().toJSON() as DOMRect)
        expect(before.left).toBeGreaterThanOrEqual(column)
        expect(before.right).toBeLessThanOrEqual(1280)
        await wide.evaluate(() => window.scrollTo(0, document.body.scrollHeight / 2))
        const after = await wide.$eval('nav.toc', (node) => node.getBoundingClientRect().top)
        expect(after).toBeGreaterThanOrEqual(0)
        expect(after).toBeLessThan(100)
      } finally {
        await wide.context().close()
      }
      const phone = await openPage(SAMPLE_PATH, 390)
      try {
        const box = await phone.$eval('nav.toc', (node) => node.getBoundingClientRect().toJSON() as DOMRect)
        expect(box.left).toBeGreaterThanOrEqual(0)
        expect(box.right).toBeLessThanOrEqual(390)
      } finally {
        await phone.context().close()
      }
    },
    TEST_TIMEOUT
  )

  it(
    'makes the whole embed card a link, with the local icon, the date and no dangling separator on a phone',
    async () => {
      const page = await openPage(SAMPLE_PATH, 1280)
      try {
        await page.$eval('.embed-card', (node) => node.scrollIntoView({block: 'center'}))
        const card = await page.$eval('.embed-card', (node) => ({
          icon: getComputedStyle(node.querySelector('.embed-card-meta') as Element, '::before').backgroundImage,
          date: node.querySelector('time')?.textContent,
          action: node.querySelector('.embed-card-action a')?.textContent,
          box: node.getBoundingClientRect().toJSON() as DOMRect
        }))
        expect(card.icon).toBe(`url("${origin}/assets/embeds/substack.svg")`)
        expect((await page.request.get(origin + '/assets/embeds/substack.svg')).headers()['content-type']).toBe('image/svg+xml')
        expect(card.date).toBe('February 10, 2024')
        expect(card.action).toBe('Read on Substack')
        // A click on the card's empty right edge, beside the subtitle, follows the title's link.
        const request = page.waitForRequest((request) => request.url() === 'https://ada.example.com/p/warmup-schedules')
        await page.mouse.click(card.box.right - 12, card.box.top + card.box.height / 2)
        await request
      } finally {
        await page.context().close()
      }
      const phone = await openPage(SAMPLE_PATH, 390)
      try {
        const separators = await phone.$$eval('.embed-card-separator', (nodes) => nodes.map((node) => getComputedStyle(node).display))
        expect(separators.length).toBeGreaterThan(0)
        expect(separators.every((display) => display === 'none')).toBe(true)
      } finally {
        await phone.context().close()
      }
    },
    TEST_TIMEOUT
  )

  it(
    'prints without navigation, with URLs after links and captions kept with their figures',
    async () => {
      const page = await openPage(SAMPLE_PATH, 1280)
      try {
        await page.emulateMedia({media: 'print'})
        const printed = await page.evaluate(() => ({
          header: getComputedStyle(document.querySelector('.site-header') as Element).display,
          toc: getComputedStyle(document.querySelector('nav.toc') as Element).display,
          url: getComputedStyle(document.querySelector('.embed-card-link') as Element, '::after').content,
          figure: getComputedStyle(document.querySelector('.post-content figure') as Element).breakInside
        }))
        expect(printed).toEqual({header: 'none', toc: 'none', url: '" (https://ada.example.com/p/warmup-schedules)"', figure: 'avoid'})
        await page.pdf({path: path.join(artifacts, 'post-sample-print.pdf')})
      } finally {
        await page.context().close()
      }
    },
    TEST_TIMEOUT
  )
})

/** Serve `dir` on 127.0.0.1 (folder URLs get index.html). */
function serveFolder(dir: string): Promise<Server> {
  const types: Record<string, string> = {'.html': 'text/html; charset=utf-8', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.js': 'text/javascript', '.json': 'application/json', '.xml': 'application/xml', '.woff2': 'font/woff2'}
  const server = createServer((request, response) => {
    const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname)
    const file = path.join(dir, pathname.endsWith('/') ? pathname + 'index.html' : pathname)
    if (!file.startsWith(dir)) {
      response.writeHead(403).end()
      return
    }
    fs.stat(file).then(
      (stat) => {
        if (!stat.isFile()) throw new Error('not a file')
        response.writeHead(200, {'content-type': types[path.extname(file)] ?? 'application/octet-stream'})
        createReadStream(file).pipe(response)
      },
      () => response.writeHead(404, {'content-type': 'text/plain'}).end('not found')
    )
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)))
}
