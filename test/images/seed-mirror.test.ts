import {promises as fs} from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {parse} from 'yaml'
import {hasSeed, makeSite, runCli, seedPath} from '../helpers.js'
import {startImageServer, type ImageServer} from './image-server.js'

const CDN = 'substack-post-media.s3.amazonaws.com'

/**
 * The "done when" on the real seed post (runs when ../shared is
 * there): a local server stands in for Substack's CDN, answering each image
 * path with a generated image of the size its name gives (`_1600x1095.png`).
 */
describe.skipIf(!hasSeed)('the seed post with its CDN mirrored', () => {
  let server: ImageServer
  beforeAll(async () => {
    server = await startImageServer()
    server.fallback(async (request, response) => {
      const match = /_(\d+)x(\d+)\.(png|jpe?g)$/.exec(request.url ?? '')
      if (!match) {
        response.writeHead(404)
        response.end()
        return
      }
      const image = sharp({create: {width: Number(match[1]), height: Number(match[2]), channels: 3, background: '#4477aa'}})
      const bytes = await (match[3] === 'png' ? image.png() : image.jpeg()).toBuffer()
      response.writeHead(200, {'content-type': match[3] === 'png' ? 'image/png' : 'image/jpeg'})
      response.end(bytes)
    })
  })
  afterAll(() => server?.close())

  it('images pull then build: all 14 figures load from the site, in AVIF/WebP with srcset, each in the lock file', async () => {
    const dir = await makeSite({
      'site.yml': 'title: Seed\nurl: https://seed.example.com\n',
      'posts/2024-05-12-latest-open-llms.md': await fs.readFile(seedPath, 'utf8')
    })
    const pulled = await runCli(['images', 'pull', '--source', dir, '--origin', `${CDN}=${server.origin}`], {env: {CI: 'true'}})
    expect(pulled.code, pulled.stderr).toBe(0)
    expect(pulled.stdout).toMatch(/14 remote images: 14 fetched/)
    const lock = parse(await fs.readFile(path.join(dir, 'data/remote-images.yml'), 'utf8')) as Record<string, {file: string; sha256: string}>
    expect(Object.keys(lock)).toHaveLength(14)
    for (const url of Object.keys(lock)) expect(url.startsWith(`https://${CDN}/`)).toBe(true)

    const built = await runCli(['build', '--source', dir], {env: {CI: 'true'}})
    expect(built.code, built.stderr).toBe(0)
    const html = await fs.readFile(path.join(dir, '_site/2024/05/12/latest-open-llms/index.html'), 'utf8')
    expect(html).not.toContain(`//${CDN}/`)
    const pictures = [...html.matchAll(/<picture><source type="image\/avif" srcset="([^"]+)"[^>]*><source type="image\/webp" srcset="([^"]+)"[^>]*><img src="([^"]+)"/g)]
    expect(pictures).toHaveLength(14)
    const files = new Set(Object.values(lock).map((entry) => '/' + entry.file))
    for (const [, avif, webp, src] of pictures) {
      expect(files.has(src as string), src).toBe(true)
      for (const candidate of [...(avif as string).split(', '), ...(webp as string).split(', ')]) {
        const url = candidate.split(' ')[0] as string
        expect((await fs.stat(path.join(dir, '_site', url))).isFile(), url).toBe(true)
      }
    }
  }, 300_000)
})
