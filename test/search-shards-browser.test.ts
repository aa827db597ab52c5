// The search page of a site whose index comes in parts, in headless Chromium: a word found
// in one post only, which sits in a part after the first, is found (the UI merged the parts).
import {createReadStream, existsSync, promises as fs, statSync} from 'node:fs'
import http from 'node:http'
import type {AddressInfo} from 'node:net'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {shardOf} from '../src/site/search/shards.js'
import {launchChromium, makeSite, newLoopbackContext, read, runCli, snapshotTree} from './helpers.js'

const TIMEOUT = 300_000
const types: Record<string, string> = {'.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json'}

/** A static server of `dir` on the loopback. */
async function serveFolder(dir: string): Promise<{url: string; close: () => Promise<void>}> {
  const server = http.createServer((request, response) => {
    const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname)
    let file = path.join(dir, pathname)
    if (!file.startsWith(dir)) return void response.writeHead(403).end()
    if (existsSync(file) && statSync(file).isDirectory()) file = path.join(file, 'index.html')
    if (!existsSync(file)) return void response.writeHead(404).end()
    response.writeHead(200, {'content-type': types[path.extname(file)] ?? 'application/octet-stream'})
    createReadStream(file).pipe(response)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((resolve) => server.close(() => resolve()))}
}

const closing: Array<() => Promise<void>> = []
afterAll(async () => {
  for (const close of closing) await close()
})

describe('search page over an index in parts', () => {
  it('finds a word of a post in a part after the first', async () => {
    const files: Record<string, string> = {'site.yml': 'title: Parts\n'}
    for (let index = 0; index < 200; index++) {
      const day = String((index % 28) + 1).padStart(2, '0')
      const month = String((Math.floor(index / 28) % 12) + 1).padStart(2, '0')
      files[`posts/2023-${month}-${day}-note-${index}.md`] = `---\ntitle: "Note ${index}"\n---\nNote ${index} is about routers and experts.\n`
    }
    const site = await makeSite(files)
    const built = await runCli(['build', '--source', site])
    expect(built.code, built.stderr).toBe(0)
    const out = path.join(site, '_site')
    expect(JSON.parse(await read(out, 'pagefind/shards.json'))).toHaveLength(3)
    // A post that is not in the first part gets a word no other post has.
    const pages = [...(await snapshotTree(out)).keys()].filter((file) => /note-\d+(\/index)?\.html$/.test(file)).sort()
    const page = pages.find((file) => shardOf(file, 4) === 3) as string
    const source = Object.keys(files).find((file) => file.endsWith(`-${/note-(\d+)/.exec(page)?.[1]}.md`)) as string
    await fs.appendFile(path.join(site, source), '\nOnly this one mentions zeppelins.\n')
    expect((await runCli(['build', '--source', site])).code).toBe(0)

    const server = await serveFolder(out)
    closing.push(server.close)
    const browser = await launchChromium()
    closing.push(() => browser.close())
    const {context, blocked} = await newLoopbackContext(browser)
    const tab = await context.newPage()
    const errors: string[] = []
    tab.on('pageerror', (error) => errors.push(error.message))
    await tab.goto(`${server.url}/search/?q=zeppelins`)
    const url = '/' + page.replace(/index\.html$/, '')
    const link = await tab.waitForSelector(`.pagefind-ui__result a[href="${url}"]`, {timeout: 60_000})
    expect(await link.textContent()).toContain('Note')
    expect(await tab.locator('.pagefind-ui__result').count()).toBe(1)
    expect(errors).toEqual([])
    expect(blocked).toEqual([])
  }, TIMEOUT)
})
