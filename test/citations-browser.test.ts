import {createReadStream, promises as fs} from 'node:fs'
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import path from 'node:path'
import type {Browser} from 'playwright-core'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {launchChromium, makeSite, newLoopbackContext, root, runCli} from './helpers.js'

const BIB = `@article{edgeleft2020,
  title = {A Rather Long Title About Left Margins, Narrow Screens and the Many Ways a Floating Card Can Fall Off the Edge},
  author = {Left, Ada and Margin, Bo and Narrow, Cy and Screen, Di},
  journal = {Journal of Imaginary Layout},
  year = {2020},
  volume = {12},
  pages = {100--120}
}

@book{edgeright2021,
  title = {Right Edges},
  author = {Right, Eve},
  publisher = {Margin Press},
  year = {2021}
}
`
const POST = `---
title: Cards at the edges
---
[@edgeleft2020] opens this paragraph, so its link sits at the left edge of the column.

This paragraph is long enough to wrap more than once on a phone, and its last words carry a citation, right at the end of the line [@edgeright2021].

A note too.[^n] Then both again [@edgeleft2020; @edgeright2021, p. 3].

[^n]: A short note that sits in the margin on a wide screen.
`

/** A static server for a built _site, on the loopback only. */
function serveFolder(folder: string): Promise<Server> {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1')
    let file = path.join(folder, decodeURIComponent(url.pathname))
    if (!file.startsWith(folder)) return void response.writeHead(403).end()
    if (url.pathname.endsWith('/')) file = path.join(file, 'index.html')
    const type = file.endsWith('.css') ? 'text/css' : file.endsWith('.html') ? 'text/html; charset=utf-8' : 'application/octet-stream'
    fs.stat(file).then(
      () => {
        response.writeHead(200, {'content-type': type})
        createReadStream(file).pipe(response)
      },
      () => response.writeHead(404).end('not found')
    )
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)))
}

describe('citation cards in a browser', () => {
  let browser: Browser | undefined
  let server: Server | undefined
  let base = ''
  let launchError: unknown

  beforeAll(async () => {
    const dir = await makeSite({'site.yml': 'title: Cards\nbibliography: refs.bib\n', 'refs.bib': BIB, 'posts/2024-05-01-cards.md': POST})
    const built = await runCli(['build', '--source', dir])
    if (built.code !== 0) throw new Error(built.stderr)
    server = await serveFolder(path.join(dir, '_site'))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    browser = await launchChromium().catch((error: unknown) => {
      launchError = error
      return undefined
    })
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await new Promise((resolve) => server?.close(resolve))
  })

  for (const [width, height] of [[390, 844], [1280, 800]] as const) {
    it(`shows each card fully inside a ${width} px viewport on hover and on keyboard focus`, async () => {
      if (!browser) throw launchError instanceof Error ? launchError : new Error(`Chromium did not start: ${String(launchError)}`)
      const {context, blocked} = await newLoopbackContext(browser)
      const page = await context.newPage()
      await page.setViewportSize({width, height})
      await page.goto(`${base}/2024/05/01/cards/`)
      await fs.mkdir(path.join(root, 'test', 'artifacts'), {recursive: true})
      const links = page.locator('.post-content a[role="doc-biblioref"]')
      const count = await links.count()
      expect(count).toBe(4)
      const inside = async (index: number) => {
        const card = page.locator('.post-content .citation-card').nth(index)
        await expect.poll(() => card.isVisible()).toBe(true)
        const box = (await card.boundingBox())!
        expect(box.width).toBeGreaterThan(100)
        expect(box.x).toBeGreaterThanOrEqual(0)
        expect(box.y).toBeGreaterThanOrEqual(0)
        expect(box.x + box.width).toBeLessThanOrEqual(width)
        expect(box.y + box.height).toBeLessThanOrEqual(height)
        const text = await card.innerText()
        expect(text.length).toBeGreaterThan(10)
      }
      const hidden = async (index: number) => expect(await page.locator('.post-content .citation-card').nth(index).isVisible()).toBe(false)
      for (let index = 0; index < count; index++) {
        await hidden(index)
        await links.nth(index).evaluate((link) => link.scrollIntoView({block: 'center'}))
        await links.nth(index).hover()
        await inside(index)
        if (index === 1) await page.screenshot({path: path.join(root, 'test', 'artifacts', `citation-hover-${width}.png`)})
        await page.mouse.move(0, 0)
      }
      // The keyboard reaches every citation link in order, and each shows its card while focused.
      await page.evaluate(() => window.scrollTo(0, 0))
      await page.locator('body').focus()
      let reached = 0
      for (let press = 0; press < 60 && reached < count; press++) {
        await page.keyboard.press('Tab')
        const isCitation = await page.evaluate(() => document.activeElement?.getAttribute('role') === 'doc-biblioref')
        if (!isCitation) continue
        await page.evaluate(() => (document.activeElement as HTMLElement).scrollIntoView({block: 'center'}))
        await inside(reached)
        if (reached === 0) await page.screenshot({path: path.join(root, 'test', 'artifacts', `citation-focus-${width}.png`)})
        reached++
      }
      expect(reached).toBe(count)

      // Footnotes: in the margin on a wide screen, at the end on a phone.
      const sidenote = page.locator('.post-content .sidenote').first()
      const endnotes = page.locator('.post-content section.footnotes')
      await expect.poll(() => endnotes.isVisible()).toBe(true)
      if (width >= 1248) {
        await sidenote.scrollIntoViewIfNeeded()
        const box = (await sidenote.boundingBox())!
        const column = (await page.locator('.post-content').boundingBox())!
        expect(box.x).toBeGreaterThanOrEqual(column.x + column.width)
        expect(box.x + box.width).toBeLessThanOrEqual(width)
        await page.screenshot({path: path.join(root, 'test', 'artifacts', `sidenote-${width}.png`)})
      } else {
        expect(await sidenote.isVisible()).toBe(false)
      }
      expect(await page.locator('script:not([type="application/ld+json"])').count()).toBe(0)
      expect(blocked).toEqual([])
      await context.close()
    }, 120_000)
  }
})
