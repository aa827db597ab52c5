// The preview and warnings: `galley serve` prints each rebuild's new warnings
// in the terminal (the real CLI as a child process), and a session of forty
// site.yml edits keeps one shiki highlighter. The page badge is tested in
// Chromium in serve-browser.test.ts.
import {promises as fs} from 'node:fs'
import {get} from 'node:http'
import path from 'node:path'
import {afterEach, describe, expect, it, vi} from 'vitest'
import {startedHighlighters} from '../src/markdown/rehype-highlight-code.js'
import {startPreview, type Preview} from '../src/serve/preview.js'
import {makeSite, startServe, stopAllServes, type ServeProcess} from './helpers.js'

const POST = 'posts/2024-06-01-notes.md'

/** Save as editors do: a temp file renamed over the post, so no rebuild sees it half written. */
async function save(site: string, file: string, text: string): Promise<void> {
  const temp = path.join(site, '.' + path.basename(file) + '.tmp')
  await fs.writeFile(temp, text)
  await fs.rename(temp, path.join(site, file))
}

/** A post with an image without alt text (one image-alt warning), and optionally a reference to a file that is not there. */
function postSource(options: {missingAsset?: boolean; sentence?: string} = {}): string {
  return [
    '---',
    'title: Notes',
    'date: 2024-06-01 10:00:00 +0200',
    '---',
    `Opening line: ${options.sentence ?? 'the first draft'}.`,
    '',
    '<img src="https://images.example.org/dot.png">',
    '',
    options.missingAsset ? '![A chart that was never saved](chart.png)' : 'No chart yet.',
    ''
  ].join('\n')
}

describe('galley serve prints the warnings of each rebuild, new ones only', () => {
  let server: ServeProcess | undefined
  afterEach(async () => {
    await server?.stop()
    server = undefined
    await stopAllServes()
  })

  it('lists the first build’s warnings, then only what a save adds, and nothing for a save that adds none', async () => {
    const site = await makeSite({'site.yml': 'title: Warned\nurl: https://example.com\n', [POST]: postSource()})
    server = await startServe(site)
    const alt = await server.waitForLine('stderr', /: warning: .*\(image-alt\)$/)
    expect(alt).toMatch(/^posts\/2024-06-01-notes\.md:7:1: warning: image has no alt text/)

    // A save that adds a missing file: its warning is printed, the image-alt one is not printed again.
    let from = server.stderr().length
    let outFrom = server.stdout().length
    await save(site, POST, postSource({missingAsset: true}))
    const missing = await server.waitForLine('stderr', /\(missing-asset\)$/, {from})
    expect(missing).toMatch(/^posts\/2024-06-01-notes\.md:9:\d+: warning: .*chart\.png/)
    await server.waitForLine('stdout', /^galley: rebuilt/, {from: outFrom})
    expect(server.stderr().slice(from)).not.toContain('(image-alt)')

    // A save that changes text only: both warnings are still there, none is new, nothing is printed about them.
    from = server.stderr().length
    outFrom = server.stdout().length
    await save(site, POST, postSource({missingAsset: true, sentence: 'a second draft'}))
    await server.waitForLine('stdout', /^galley: rebuilt/, {from: outFrom})
    expect(server.stderr().slice(from)).not.toMatch(/: warning: /)
  }, 120_000)
})

describe('the preview and warnings: in site.yml', () => {
  let preview: Preview | undefined
  afterEach(async () => {
    await preview?.close()
    preview = undefined
  })

  it('leaves out the rules turned off, in the terminal as in the page', async () => {
    const site = await makeSite({'site.yml': 'url: https://example.com\nwarnings: {image-alt: off}\n', [POST]: postSource({missingAsset: true})})
    const logged: string[] = []
    preview = await startPreview({overrides: {source: site, workers: 1}, port: 0, host: '127.0.0.1', now: Date.now, log: (line) => logged.push(line)})
    const printed = logged.join('\n')
    expect(printed).toMatch(/^posts\/2024-06-01-notes\.md:9:\d+: warning: .*\(missing-asset\)$/m)
    expect(printed).not.toContain('(image-alt)')
    // What the page's badge is sent: the first event on a fresh connection.
    const origin = new URL(preview.url).origin
    const event = await new Promise<string>((resolve, reject) => {
      const req = get(`${origin}/__galley/events?since=0`, {headers: {host: new URL(preview!.url).host}}, (res) => {
        let text = ''
        res.setEncoding('utf8').on('data', (chunk: string) => {
          text += chunk
          const match = /event: warnings\ndata: (.*)\n/.exec(text)
          if (match?.[1]) {
            req.destroy()
            resolve(match[1])
          }
        })
      })
      req.on('error', reject)
    })
    const sent = JSON.parse(event) as {lines: string[]; total: number}
    expect(sent.total).toBe(1)
    expect(sent.lines[0]).toMatch(/\(missing-asset\)$/)
  })
})

describe('one shiki highlighter for a whole preview session', () => {
  let preview: Preview | undefined
  afterEach(async () => {
    await preview?.close()
    preview = undefined
    vi.restoreAllMocks()
  })

  it('forty site.yml edits leave the highlighter count at one, with no shiki instance warning', async () => {
    const warn = vi.spyOn(console, 'warn')
    const site = await makeSite({
      'site.yml': 'title: Edit 0\nurl: https://example.com\n',
      [POST]: '---\ntitle: Code\ndate: 2024-06-01\n---\nSome code:\n\n```js\nconst answer = 6 * 7\n```\n'
    })
    const logged: string[] = []
    const before = startedHighlighters()
    preview = await startPreview({overrides: {source: site, workers: 1}, port: 0, host: '127.0.0.1', now: Date.now, log: (line) => logged.push(line)})
    const url = preview.url
    const title = async () => /<title>([^<]*)<\/title>/.exec(await (await fetch(url)).text())?.[1]
    expect(await title()).toBe('Edit 0')
    for (let edit = 1; edit <= 40; edit++) {
      await save(site, 'site.yml', `title: Edit ${edit}\nurl: https://example.com\n`)
      // The watcher picks the edit up and rebuilds from a fresh config and cache: wait until the home page shows it.
      const deadline = Date.now() + 30_000
      while ((await title()) !== `Edit ${edit}`) {
        if (Date.now() > deadline) throw new Error(`edit ${edit}: not shown within 30 s; log:\n${logged.slice(-5).join('\n')}`)
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
    }
    expect(logged.filter((line) => line.startsWith('galley: rebuilt') && line.includes('site.yml changed')).length).toBeGreaterThanOrEqual(40)
    const page = await (await fetch(preview.url + '2024/06/01/notes/')).text()
    expect(page).toContain('class="shiki')
    expect(startedHighlighters() - before).toBe(before === 0 ? 1 : 0)
    expect(startedHighlighters()).toBe(1)
    expect(warn.mock.calls.filter((call) => String(call[0]).includes('[Shiki]'))).toEqual([])
  }, 300_000)
})
