// `galley serve` end to end: the real CLI as a child process, a real headless
// Chromium (Debian's, installed by scripts/test-setup.sh) driven by
// playwright-core. Nothing is done in the browser after the first page load
// but what a reader does (open and dismiss the warnings badge, reload): every
// change reaches the page through the server's events.
//
// This file never skips: without Chromium it fails, saying how to install it.
import {promises as fs} from 'node:fs'
import path from 'node:path'
import type {Browser, BrowserContext, Page} from 'playwright-core'
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest'
import {findChromium, launchChromium, makeSite, newLoopbackContext, type ServeProcess, startServe, stopAllServes} from './helpers.js'

/** How long a change may take to show in the page (generous: CI is a 2-core machine). */
const CHANGE_TIMEOUT = 20_000
const TEST_TIMEOUT = 180_000

const POST_FILE = 'posts/2024-05-12-a-save-time-check.md'
const POST_PATH = '2024/05/12/a-save-time-check/'

/**
 * The post's source. Its line 5 is `tags: [serve]`; `broken` replaces it with
 * `tags: one: two`, which js-yaml rejects at 5:10 ("bad indentation of a
 * mapping entry").
 */
function postSource(sentence: string, {broken = false} = {}): string {
  return [
    '---',
    'layout: post',
    'title: A Save-Time Check',
    'date: 2024-05-12 09:00:00 +0900',
    broken ? 'tags: one: two' : 'tags: [serve]',
    '---',
    'The first paragraph says the kettle is on.',
    '',
    '<!--more-->',
    `The second paragraph says ${sentence}`,
    '',
    '## A heading',
    '',
    'A closing paragraph with *emphasis*.',
    ''
  ].join('\n')
}

function siteFiles(options: {baseurl?: string; css?: string} = {}): Record<string, string> {
  const files: Record<string, string> = {
    'site.yml': [
      'title: Serve Check',
      'author: Test Author',
      'url: https://serve-check.example.com',
      `baseurl: '${options.baseurl ?? ''}'`,
      ''
    ].join('\n'),
    [POST_FILE]: postSource('the tea is green.'),
    'posts/2024-04-01-an-older-post.md': '---\nlayout: post\ntitle: An Older Post\ndate: 2024-04-01\n---\nNothing changes here.\n'
  }
  if (options.css !== undefined) files['assets/css/style.css'] = options.css
  return files
}

function styleSheet(color: string): string {
  return `body { margin: 0 auto; max-width: 40rem; }\n.post-title { color: ${color}; }\n`
}

/** Poll `read` in the page until `accept` holds; page reloads in between are expected and retried. */
async function waitInPage<T>(page: Page, what: string, read: () => Promise<T>, accept: (value: T) => boolean, timeout = CHANGE_TIMEOUT): Promise<T> {
  const deadline = Date.now() + timeout
  let last: unknown = '(never read)'
  for (;;) {
    try {
      const value = await read()
      last = value
      if (accept(value)) return value
    } catch (error) {
      last = error instanceof Error ? `error: ${error.message.split('\n')[0]}` : error // e.g. "Execution context was destroyed" mid-reload
    }
    if (Date.now() > deadline) throw new Error(`${what}: not seen within ${timeout} ms; last read: ${JSON.stringify(last)} (page ${page.url()})`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** The text of `selector` in the page, or null when it is not there. */
function textOf(page: Page, selector: string): Promise<string | null> {
  return page.evaluate((sel) => {
    const element = (globalThis as unknown as {document: {querySelector(s: string): {textContent: string | null} | null}}).document.querySelector(sel)
    return element ? element.textContent : null
  }, selector)
}

function normalize(text: string | null): string {
  return (text ?? '').replace(/\s+/g, ' ')
}

describe('galley serve in Chromium', () => {
  let browser: Browser | undefined
  let context: BrowserContext | undefined
  let blocked: string[] = []
  let server: ServeProcess | undefined
  let site: string | undefined
  const pageErrors: string[] = []

  let launchError: unknown
  beforeAll(async () => {
    // Kept for the tests to throw: a failing beforeAll would only mark them skipped.
    browser = await launchChromium().catch((error: unknown) => {
      launchError = error
      return undefined
    })
  })

  /** The browser; each test fails (never skips) with the install hint when Chromium is missing. */
  function requireBrowser(): Browser {
    if (!browser) throw launchError instanceof Error ? launchError : new Error(`Chromium did not start: ${String(launchError)}`)
    return browser
  }

  afterEach(async () => {
    await context?.close().catch(() => undefined)
    context = undefined
    await server?.stop()
    server = undefined
    await stopAllServes()
    if (site) await fs.rm(site, {recursive: true, force: true})
    site = undefined
    pageErrors.length = 0
  })

  afterAll(async () => {
    await browser?.close()
    await stopAllServes()
  })

  it('finds and starts Chromium (run scripts/test-setup.sh when this fails)', () => {
    expect(findChromium(), 'Chromium is missing: run `bash scripts/test-setup.sh` to install Debian\'s chromium').toBeDefined()
    expect(requireBrowser().isConnected()).toBe(true)
  })

  async function openPost(url: string): Promise<{page: Page; eventsRequest: Promise<string>}> {
    ;({context, blocked} = await newLoopbackContext(requireBrowser()))
    const page = await context.newPage()
    page.on('pageerror', (error) => pageErrors.push(String(error)))
    const eventsRequest = page.waitForRequest((request) => request.url().includes('/__galley/events'), {timeout: 30_000}).then((request) => request.url())
    eventsRequest.catch(() => undefined) // awaited by the tests; no unhandled rejection when one fails first
    const response = await page.goto(url + POST_PATH)
    expect(response?.status(), `GET ${url + POST_PATH}`).toBe(200)
    return {page, eventsRequest}
  }

  it('reloads a post page on save, shows a front-matter error in an overlay, and clears it on the fix', async () => {
    requireBrowser()
    site = await makeSite(siteFiles())
    server = await startServe(site)
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
    const {page, eventsRequest} = await openPost(server.url)

    // The served page carries the client and the revision it was built at, and
    // the client asks for the events since that revision.
    expect(normalize(await textOf(page, '.post-content'))).toContain('The second paragraph says the tea is green.')
    expect(await page.locator('script[src="/__galley/client.js"]').count()).toBe(1)
    const revision = await page.locator('meta[name="galley-revision"]').getAttribute('content')
    expect(revision).toMatch(/^\d+$/)
    const eventsUrl = new URL(await eventsRequest)
    expect(eventsUrl.origin + eventsUrl.pathname).toBe(`${server.origin}/__galley/events`)
    expect(eventsUrl.searchParams.get('since')).toBe(revision)
    await page.evaluate(() => {
      ;(globalThis as Record<string, unknown>).__beforeSave = 1
    })

    // 1. Save a changed sentence: the page reloads by itself and shows it.
    let from = server.output().length
    await fs.writeFile(path.join(site, POST_FILE), postSource('the tea is now black, after a save.'))
    await waitInPage(page, 'the saved sentence', () => textOf(page, '.post-content'), (text) => normalize(text).includes('the tea is now black, after a save.'))
    expect(await page.evaluate(() => (globalThis as Record<string, unknown>).__beforeSave), 'the page was reloaded').toBeUndefined()
    // The rebuild is logged with what it re-rendered (stdout or stderr: either is accepted).
    expect(await server.waitForLine('output', /^galley: rebuilt/, {from})).toContain('a-save-time-check')
    const newRevision = await page.locator('meta[name="galley-revision"]').getAttribute('content')
    expect(Number(newRevision)).toBeGreaterThan(Number(revision))

    // 2. A YAML error in the front matter: an overlay names the file, the line and shows the line.
    from = server.stderr().length
    await fs.writeFile(path.join(site, POST_FILE), postSource('this version does not build.', {broken: true}))
    await server.waitForLine('stderr', /^galley: build failed/, {from})
    const errorLine = await server.waitForLine('stderr', /^posts\/2024-05-12-a-save-time-check\.md:\d+:\d+: error: /, {from})
    expect(errorLine).toMatch(/^posts\/2024-05-12-a-save-time-check\.md:5:\d+: error: .*YAML/i)
    const overlay = page.locator('#galley-error-overlay')
    await overlay.waitFor({state: 'visible', timeout: CHANGE_TIMEOUT})
    const overlayText = normalize(await overlay.innerText())
    expect(overlayText).toContain('posts/2024-05-12-a-save-time-check.md:5:')
    expect(overlayText).toContain(normalize(errorLine))
    expect(overlayText, 'the overlay shows the offending source line').toContain('tags: one: two')
    // The overlay covers the page (full-page), above the last good render.
    const box = await overlay.boundingBox()
    const viewport = page.viewportSize()!
    expect(box, 'overlay box').not.toBeNull()
    expect(box!.width).toBeGreaterThanOrEqual(viewport.width * 0.9)
    expect(box!.height).toBeGreaterThanOrEqual(viewport.height * 0.9)
    expect(normalize(await textOf(page, '.post-content'))).toContain('the tea is now black, after a save.')

    // 3. The fix: the next successful rebuild reloads the page, without the overlay.
    from = server.output().length
    await fs.writeFile(path.join(site, POST_FILE), postSource('the tea is fixed and fine.'))
    await waitInPage(page, 'the fixed sentence', () => textOf(page, '.post-content'), (text) => normalize(text).includes('the tea is fixed and fine.'))
    await waitInPage(page, 'the overlay to go', () => overlay.count(), (count) => count === 0)
    await server.waitForLine('output', /^galley: rebuilt/, {from})

    expect(pageErrors, 'uncaught errors in the page').toEqual([])
    expect(blocked, 'requests that tried to leave the loopback').toEqual([])

    // SIGTERM stops it cleanly.
    const stopped = await server.stop('SIGTERM')
    expect(stopped, `galley serve on SIGTERM; output:\n${server.output()}`).toEqual({code: 0, signal: null, killed: false})
  }, TEST_TIMEOUT)

  it('swaps an edited stylesheet without reloading the page (site under a baseurl), then reloads on a post save', async () => {
    requireBrowser()
    site = await makeSite(siteFiles({baseurl: '/blog', css: styleSheet('rgb(10, 20, 30)')}))
    server = await startServe(site)
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/blog\/$/)
    const {page, eventsRequest} = await openPost(server.url)
    await eventsRequest
    const titleColor = () => page.locator('.post-title').evaluate((element) => (globalThis as unknown as {getComputedStyle(e: unknown): {color: string}}).getComputedStyle(element).color, undefined, {timeout: 2_000})
    expect(await titleColor()).toBe('rgb(10, 20, 30)')
    await page.evaluate(() => {
      ;(globalThis as Record<string, unknown>).__marker = 1
    })

    // A stylesheet edit: the new rule applies, and the page (with its marker) stays.
    let from = server.output().length
    await fs.writeFile(path.join(site, 'assets/css/style.css'), styleSheet('rgb(200, 30, 40)'))
    await waitInPage(page, 'the new title colour', titleColor, (color) => color === 'rgb(200, 30, 40)')
    expect(await page.evaluate(() => (globalThis as Record<string, unknown>).__marker), 'the page was reloaded for a CSS-only change').toBe(1)
    await server.waitForLine('output', /^galley: rebuilt/, {from})

    // A post save under the baseurl still reloads the page.
    from = server.output().length
    await fs.writeFile(path.join(site, POST_FILE), postSource('the tea is served under /blog.'))
    await waitInPage(page, 'the saved sentence', () => textOf(page, '.post-content'), (text) => normalize(text).includes('the tea is served under /blog.'))
    expect(await page.evaluate(() => (globalThis as Record<string, unknown>).__marker), 'the page was reloaded').toBeUndefined()
    expect(page.url()).toBe(server.url + POST_PATH)
    // The reloaded page gets the edited stylesheet (polled: the text can be read before the sheet has loaded).
    await waitInPage(page, 'the edited stylesheet after the reload', titleColor, (color) => color === 'rgb(200, 30, 40)')

    expect(pageErrors, 'uncaught errors in the page').toEqual([])
    expect(blocked, 'requests that tried to leave the loopback').toEqual([])

    // SIGINT (Ctrl-C) stops it cleanly too.
    const stopped = await server.stop('SIGINT')
    expect(stopped, `galley serve on SIGINT; output:\n${server.output()}`).toEqual({code: 0, signal: null, killed: false})
  }, TEST_TIMEOUT)

  it('shows a dismissible badge counting the warnings, lists them like the terminal, and follows each rebuild', async () => {
    requireBrowser()
    const files = siteFiles()
    // One image without alt text in the post: one image-alt warning.
    const withWarnings = (count: number) => postSource(`the tea is green.${count >= 1 ? ' <img src="../assets/a.svg">' : ''}${count >= 2 ? ' <img src="../assets/b.svg">' : ''}`)
    files[POST_FILE] = withWarnings(1)
    for (const name of ['a', 'b']) files[`assets/${name}.svg`] = '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4"/></svg>\n'
    site = await makeSite(files)
    server = await startServe(site)
    const terminalLine = await server.waitForLine('stderr', /: warning: .*\(image-alt\)$/)
    const {page} = await openPost(server.url)

    const badge = page.locator('#galley-warnings')
    const count = page.locator('#galley-warnings .galley-warnings-count')
    await badge.waitFor({state: 'visible', timeout: CHANGE_TIMEOUT})
    expect(await count.innerText()).toBe('1 warning')
    // Small, in a corner: it does not cover the page the way the error overlay does.
    const box = (await badge.boundingBox())!
    const viewport = page.viewportSize()!
    expect(box.width).toBeLessThan(viewport.width / 2)
    expect(box.height).toBeLessThan(viewport.height / 4)
    // A click lists the warnings, each line as the terminal printed it.
    const list = page.locator('#galley-warnings .galley-warnings-list')
    expect(await list.isVisible()).toBe(false)
    await count.click()
    await list.waitFor({state: 'visible', timeout: CHANGE_TIMEOUT})
    expect((await list.locator('li').allInnerTexts()).map(normalize)).toEqual([normalize(terminalLine)])

    // A save that adds a warning: the terminal prints only the new one, the reloaded page counts two.
    let from = server.stderr().length
    await fs.writeFile(path.join(site, POST_FILE), withWarnings(2))
    await waitInPage(page, 'the badge counting two', () => count.innerText({timeout: 1_000}), (text) => text === '2 warnings')
    const added = server.stderr().slice(from).split('\n').filter((line) => line.includes(': warning: '))
    expect(added).toHaveLength(1)
    expect(added[0]).toContain('(image-alt)')
    expect(added[0]).not.toBe(terminalLine)

    // × dismisses it, and it stays dismissed across a reload while the warnings are the same.
    await page.locator('#galley-warnings .galley-warnings-dismiss').click()
    expect(await badge.count()).toBe(0)
    await page.reload()
    await page.locator('.post-content').waitFor({state: 'visible'})
    await page.waitForTimeout(1_000) // the events stream has connected and had its say by then
    expect(await badge.count()).toBe(0)

    // Different warnings bring it back; none remove it.
    from = server.stderr().length
    await fs.writeFile(path.join(site, POST_FILE), withWarnings(1))
    await waitInPage(page, 'the badge back with one', () => count.innerText({timeout: 1_000}), (text) => text === '1 warning')
    expect(server.stderr().slice(from)).not.toMatch(/: warning: /)
    await fs.writeFile(path.join(site, POST_FILE), withWarnings(0))
    await waitInPage(page, 'the badge to go', () => badge.count(), (n) => n === 0)

    expect(pageErrors, 'uncaught errors in the page').toEqual([])
    expect(blocked, 'requests that tried to leave the loopback').toEqual([])
  }, TEST_TIMEOUT)
})
