import {createHash} from 'node:crypto'
import {existsSync, promises as fs} from 'node:fs'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {parse} from 'yaml'
import {makeSite, runCli} from '../helpers.js'
import {makeJpeg, makePng, serve, startImageServer, type ImageServer} from './image-server.js'

const CDN = 'cdn.example.test'

let server: ImageServer
let png: Buffer
let jpeg: Buffer

beforeAll(async () => {
  server = await startImageServer()
  png = await makePng(640, 360)
  jpeg = await makeJpeg(300, 200)
  server.route('/a.png', serve(png, 'image/png'))
  server.route('/moved.jpg', (_request, response) => {
    response.writeHead(302, {location: '/b.jpg'})
    response.end()
  })
  server.route('/b.jpg', serve(jpeg, 'image/jpeg'))
  server.route('/error-page.png', serve('<!doctype html><title>Access denied</title>', 'image/png'))
  server.route('/page.png', serve('<!doctype html><p>hello', 'text/html; charset=utf-8'))
  server.route('/slow.png', async (_request, response) => {
    await new Promise((resolve) => setTimeout(resolve, 6000))
    if (!response.destroyed) serve(png, 'image/png')(_request, response, 0)
  })
  server.route('/big.png', serve(Buffer.alloc(300 * 1024, 1), 'image/png'))
  server.route('/flaky.png', (request, response, hits) => {
    if (hits === 1) {
      response.writeHead(503)
      response.end()
      return
    }
    serve(png, 'image/png')(request, response, hits)
  })
  server.route('/style.png', serve(png, 'image/png'))
  server.route('/hero.jpg', serve(jpeg, 'image/jpeg'))
})

afterAll(() => server.close())

function post(lines: string[]): string {
  return ['---', 'title: Pictures', 'date: 2024-05-01', `image: https://${CDN}/hero.jpg`, '---', ...lines, ''].join('\n')
}

const origin = () => `${CDN}=${server.origin}`
const pull = (dir: string, ...extra: string[]) => runCli(['images', 'pull', '--source', dir, '--origin', origin(), '--timeout', '2000', '--retries', '1', ...extra], {env: {CI: 'true'}})

describe('galley images pull', () => {
  it('mirrors every kind of reference, follows redirects, retries, and refuses what is no image', async () => {
    const dir = await makeSite({
      'site.yml': 'title: T\nurl: https://example.com\n',
      'posts/2024-05-01-pictures.md': post([
        `![A chart](https://${CDN}/a.png)`,
        '',
        `![Same bytes, other query](https://${CDN}/a.png?v=2)`,
        '',
        `<img src="https://${CDN}/moved.jpg" alt="moved">`,
        '',
        `<img srcset="https://${CDN}/flaky.png 2x" alt="flaky">`,
        '',
        `<div style="background: url('https://${CDN}/style.png')">x</div>`,
        '',
        `![broken](https://${CDN}/nowhere.png)`,
        '',
        `![html page](https://${CDN}/error-page.png)`,
        '',
        `![wrong type](https://${CDN}/page.png)`,
        '',
        `![slow](https://${CDN}/slow.png)`,
        '',
        `![big](https://${CDN}/big.png)`,
        '',
        '`![in code](https://cdn.example.test/code.png)` is not an image.'
      ])
    })
    const result = await pull(dir, '--max-size', '0.1')
    expect(result.code).toBe(1)
    const errors = result.stderr.split('\n').filter((line) => line.includes('error:'))
    expect(errors).toEqual([
      expect.stringMatching(/^posts\/2024-05-01-pictures\.md:16:1: error: could not mirror `https:\/\/cdn\.example\.test\/nowhere\.png`: HTTP 404 Not Found \(image-pull\)$/),
      expect.stringMatching(/^posts\/2024-05-01-pictures\.md:18:1: error: .*error-page\.png`: the response \(image\/png, 43 B\) is not an image file \(image-pull\)$/),
      expect.stringMatching(/^posts\/2024-05-01-pictures\.md:20:1: error: .*page\.png`: the server sent text\/html, not an image \(image-pull\)$/),
      expect.stringMatching(/^posts\/2024-05-01-pictures\.md:22:1: error: .*slow\.png`: no (?:complete )?answer within 2000 ms \(after 2 attempts\) \(image-pull\)$/),
      expect.stringMatching(/^posts\/2024-05-01-pictures\.md:24:1: error: .*big\.png`: 300\.0 KiB is over the 102\.4 KiB limit \(image-pull\)$/)
    ])
    expect(result.stderr).toMatch(/11 remote images: 6 fetched, 0 already mirrored, 5 failed/)
    expect(server.hits.get('/code.png')).toBeUndefined()
    expect(server.hits.get('/flaky.png')).toBe(2)
    expect(server.hits.get('/nowhere.png')).toBe(1) // a 404 is not retried

    const lock = parse(await fs.readFile(path.join(dir, 'data/remote-images.yml'), 'utf8')) as Record<string, {file: string; size: number; type: string; sha256: string; date: string}>
    expect(Object.keys(lock)).toEqual(
      [`https://${CDN}/a.png`, `https://${CDN}/a.png?v=2`, `https://${CDN}/flaky.png`, `https://${CDN}/hero.jpg`, `https://${CDN}/moved.jpg`, `https://${CDN}/style.png`].sort()
    )
    const pngHash = createHash('sha256').update(png).digest('hex')
    const jpegHash = createHash('sha256').update(jpeg).digest('hex')
    expect(lock[`https://${CDN}/a.png`]).toMatchObject({file: `assets/remote/${CDN}/${pngHash.slice(0, 16)}.png`, size: png.length, type: 'image/png', sha256: pngHash})
    // The same bytes under two URLs are one file.
    expect(lock[`https://${CDN}/a.png?v=2`]?.file).toBe(lock[`https://${CDN}/a.png`]?.file)
    expect(lock[`https://${CDN}/moved.jpg`]).toMatchObject({file: `assets/remote/${CDN}/${jpegHash.slice(0, 16)}.jpg`, type: 'image/jpeg', sha256: jpegHash})
    expect(new Date(lock[`https://${CDN}/a.png`]?.date ?? '').getTime()).not.toBeNaN()
    for (const entry of Object.values(lock)) expect(createHash('sha256').update(await fs.readFile(path.join(dir, entry.file))).digest('hex')).toBe(entry.sha256)
    // Nothing was written for the failures, and the post is as it was.
    expect((await fs.readdir(path.join(dir, 'assets/remote', CDN))).sort()).toEqual([`${jpegHash.slice(0, 16)}.jpg`, `${pngHash.slice(0, 16)}.png`])
    expect(await fs.readFile(path.join(dir, 'posts/2024-05-01-pictures.md'), 'utf8')).toContain(`![A chart](https://${CDN}/a.png)`)

    // Again: what is mirrored is not fetched again.
    const before = server.hits.get('/a.png')
    const again = await pull(dir, '--max-size', '0.1')
    expect(again.stderr).toMatch(/11 remote images: 0 fetched, 6 already mirrored, 5 failed/)
    expect(server.hits.get('/a.png')).toBe(before)
  })

  it('resumes an interrupted pull: what the lock file holds is kept, the rest is fetched', async () => {
    const dir = await makeSite({
      'site.yml': 'title: T\n',
      'posts/2024-05-01-pictures.md': post([`![one](https://${CDN}/r1.png)`, '', `![two](https://${CDN}/r2.png)`, '', `![three](https://${CDN}/r3.png)`])
    })
    let release: () => void = () => undefined
    const hang = new Promise<void>((resolve) => (release = resolve))
    server.route('/r1.png', serve(await makePng(20, 20, '#111111'), 'image/png'))
    server.route('/r2.png', serve(await makePng(20, 20, '#222222'), 'image/png'))
    server.route('/r3.png', async (request, response, hits) => {
      if (hits === 1) await hang
      serve(await makePng(20, 20, '#333333'), 'image/png')(request, response, hits)
    })
    const {spawn} = await import('node:child_process')
    const {cliPath} = await import('../helpers.js')
    const child = spawn(process.execPath, [cliPath, 'images', 'pull', '--source', dir, '--origin', origin(), '--concurrency', '1', '--timeout', '60000'], {stdio: 'ignore', env: {...process.env, CI: 'true'}})
    const lockFile = path.join(dir, 'data/remote-images.yml')
    // Wait until the first images are recorded and the third is being fetched, then kill the pull.
    for (let tries = 0; tries < 200 && !(existsSync(lockFile) && (await fs.readFile(lockFile, 'utf8')).includes('r2.png') && server.hits.get('/r3.png')); tries++) {
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    child.kill('SIGKILL')
    await new Promise((resolve) => child.once('exit', resolve))
    release()
    const partial = parse(await fs.readFile(lockFile, 'utf8')) as Record<string, unknown>
    expect(Object.keys(partial).sort()).toEqual([`https://${CDN}/hero.jpg`, `https://${CDN}/r1.png`, `https://${CDN}/r2.png`].filter((url) => url in partial).sort())
    expect(partial).toHaveProperty([`https://${CDN}/r2.png`])
    expect(partial).not.toHaveProperty([`https://${CDN}/r3.png`])

    const r1 = server.hits.get('/r1.png')
    const resumed = await pull(dir)
    expect(resumed.code).toBe(0)
    expect(resumed.stdout).toMatch(/4 remote images: \d fetched, \d already mirrored/)
    expect(server.hits.get('/r1.png')).toBe(r1)
    expect(server.hits.get('/r3.png')).toBe(2)
    const lock = parse(await fs.readFile(lockFile, 'utf8')) as Record<string, unknown>
    expect(Object.keys(lock)).toHaveLength(4)
    // No temporary files are left behind.
    const names = await fs.readdir(path.join(dir, 'assets/remote', CDN))
    expect(names.filter((name) => name.endsWith('.tmp'))).toEqual([])
  })

  it('fetches only the hosts asked for, and reports usage errors with exit 2', async () => {
    const dir = await makeSite({
      'site.yml': 'title: T\n',
      'posts/2024-05-01-pictures.md': post([`![a](https://${CDN}/a.png)`, '', '![elsewhere](https://other.example.test/x.png)'])
    })
    const result = await pull(dir, '--host', CDN)
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/2 remote images: 2 fetched/)
    expect(await fs.readFile(path.join(dir, 'data/remote-images.yml'), 'utf8')).not.toContain('other.example.test')
    const bad = await runCli(['images', 'pull', '--source', dir, '--origin', 'nonsense'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('--origin must be HOST=URL')
    expect((await runCli(['images', 'push'])).code).toBe(2)
  })
})
