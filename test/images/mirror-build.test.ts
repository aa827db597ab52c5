import {promises as fs} from 'node:fs'
import path from 'node:path'
import {HtmlValidate} from 'html-validate'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {parse} from 'yaml'
import {launchChromium, makeSite, newLoopbackContext, runCli, snapshotTree} from '../helpers.js'
import {makeJpeg, makePng, serve, serveFolder, startImageServer, type ImageServer} from './image-server.js'

const CDN = 'media.cdn.example.test'
let cdn: ImageServer

beforeAll(async () => {
  cdn = await startImageServer()
  cdn.route('/wide.png', serve(await makePng(1700, 900, '#225588'), 'image/png'))
  cdn.route('/photo.jpg', serve(await makeJpeg(900, 600), 'image/jpeg'))
  cdn.route('/logo.svg', serve('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20"/></svg>', 'image/svg+xml'))
  cdn.route('/hero.jpg', serve(await makeJpeg(1200, 630, '#884422'), 'image/jpeg'))
})
afterAll(() => cdn.close())

async function site(): Promise<string> {
  return makeSite({
    'site.yml': 'title: Mirrors\nurl: https://blog.example.com\n',
    'posts/2024-06-01-figures.md': [
      '---',
      'title: Figures that stay',
      'date: 2024-06-01',
      `image: https://${CDN}/hero.jpg`,
      '---',
      '',
      'Some words first.',
      '',
      `![A wide chart](https://${CDN}/wide.png)`,
      '',
      `<img src="https://${CDN}/photo.jpg" alt="A photo">`,
      '',
      `![A logo](https://${CDN}/logo.svg)`,
      '',
      '![A local diagram](../assets/diagram.png)',
      ''
    ].join('\n'),
    'assets/diagram.png': await makePng(640, 480, '#55aa55')
  })
}

const build = (dir: string, ...extra: string[]) => runCli(['build', '--source', dir, ...extra], {env: {CI: 'true'}})
const pageOf = (dir: string) => fs.readFile(path.join(dir, '_site/2024/06/01/figures/index.html'), 'utf8')

/** Every URL the page's images can load (src and each srcset candidate), without the origin. */
function imageUrls(html: string): string[] {
  const urls: string[] = []
  for (const match of html.matchAll(/\s(?:src|srcset)="([^"]+)"/g)) urls.push(...(match[1] ?? '').split(',').map((part) => part.trim().split(/\s+/)[0] ?? ''))
  return urls.filter((url) => /\.(png|jpe?g|svg|avif|webp|gif)$/.test(url))
}

describe('mirrored remote images and responsive local images', () => {
  it('pull, then build: every figure loads from the site itself, in AVIF/WebP with srcset, with no network', async () => {
    const dir = await site()
    // Before the pull the page shows the CDN's URLs, and check notes them.
    expect((await build(dir)).code).toBe(0)
    expect(await pageOf(dir)).toContain(`src="https://${CDN}/wide.png"`)
    const before = await runCli(['check', '--source', dir])
    expect(before.stderr).toMatch(/note: 4 remote images load from other sites; galley images pull keeps a copy/)

    const pulled = await runCli(['images', 'pull', '--source', dir, '--origin', `${CDN}=${cdn.origin}`], {env: {CI: 'true'}})
    expect(pulled.code, pulled.stderr).toBe(0)
    expect(pulled.stdout).toMatch(/4 remote images: 4 fetched/)
    const lock = parse(await fs.readFile(path.join(dir, 'data/remote-images.yml'), 'utf8')) as Record<string, {file: string}>
    expect(Object.keys(lock).sort()).toEqual([`https://${CDN}/hero.jpg`, `https://${CDN}/logo.svg`, `https://${CDN}/photo.jpg`, `https://${CDN}/wide.png`])

    const built = await build(dir)
    expect(built.code, built.stderr).toBe(0)
    const html = await pageOf(dir)
    expect(html).not.toContain('//' + CDN)
    const wide = lock[`https://${CDN}/wide.png`]?.file as string
    const wideBase = '/' + wide.replace(/\.png$/, '')
    // The wide chart: every configured width below its own 1700 px, in AVIF and WebP, and PNG with the original last.
    expect(html).toContain(`<source type="image/avif" srcset="${wideBase}.480w.avif 480w, ${wideBase}.800w.avif 800w, ${wideBase}.1200w.avif 1200w, ${wideBase}.1600w.avif 1600w" sizes="(min-width: 42rem) 42rem, 100vw">`)
    expect(html).toContain(`srcset="${wideBase}.480w.png 480w, ${wideBase}.800w.png 800w, ${wideBase}.1200w.png 1200w, ${wideBase}.1600w.png 1600w, /${wide} 1700w"`)
    expect(html).toMatch(new RegExp(`<img src="/${wide}" alt="A wide chart" width="1700" height="900"`))
    // The photo (900 px): 480 and 800, then its own width.
    const photoBase = '/' + (lock[`https://${CDN}/photo.jpg`]?.file as string).replace(/\.jpg$/, '')
    expect(html).toContain(`srcset="${photoBase}.480w.webp 480w, ${photoBase}.800w.webp 800w, ${photoBase}.900w.webp 900w"`)
    // SVG passes through, as it is; the hero is the copy too.
    expect(html).toMatch(new RegExp(`<img src="/${lock[`https://${CDN}/logo.svg`]?.file}" alt="A logo"[^>]*>`))
    expect(html).not.toMatch(/logo[^"]*\.\d+w\./)
    expect(html).toContain(`content="https://blog.example.com/${lock[`https://${CDN}/hero.jpg`]?.file}"`)
    // The local image gets the same treatment.
    expect(html).toContain('srcset="/assets/diagram.480w.avif 480w, /assets/diagram.640w.avif 640w"')

    // Every URL an image can load exists in the output, and each variant has the width its name says.
    const sharp = (await import('sharp')).default
    for (const url of imageUrls(html)) {
      const file = path.join(dir, '_site', url)
      const stat = await fs.stat(file).catch(() => undefined)
      expect(stat?.isFile(), url).toBe(true)
      const width = /\.(\d+)w\./.exec(url)?.[1]
      if (width) expect((await sharp(file).metadata()).width, url).toBe(Number(width))
    }
    const formats = await Promise.all(
      imageUrls(html)
        .filter((url) => /\.(avif|webp)$/.test(url))
        .map(async (url) => [path.extname(url).slice(1), (await sharp(path.join(dir, '_site', url)).metadata()).format] as const)
    )
    for (const [extension, format] of formats) expect(extension === 'avif' ? 'heif' : extension).toBe(format)

    // html-validate passes on the page.
    const report = await new HtmlValidate({extends: ['html-validate:recommended'], rules: {'no-inline-style': 'off', 'valid-id': ['error', {relaxed: true}]}}).validateString(html)
    expect(report.results.flatMap((result) => result.messages.filter((message) => message.severity === 2).map((message) => `${message.line}: ${message.message}`))).toEqual([])

    // In a browser with every request off the loopback blocked, every figure loads, the rasters in AVIF.
    const host = await serveFolder(path.join(dir, '_site'))
    const browser = await launchChromium()
    try {
      const {context, blocked} = await newLoopbackContext(browser)
      const page = await context.newPage()
      await page.setViewportSize({width: 1280, height: 900})
      await page.goto(`${host.origin}/2024/06/01/figures/`, {waitUntil: 'load'})
      const images = await page.$$eval('article img', async (nodes) => {
        for (const node of nodes) node.setAttribute('loading', 'eager')
        await Promise.all(nodes.map((node) => (node.complete ? undefined : new Promise((resolve) => node.addEventListener('load', resolve, {once: true})))))
        return nodes.map((node) => ({src: node.currentSrc, width: node.naturalWidth}))
      })
      expect(images.length).toBe(5) // the hero, the three rasters, the SVG
      for (const image of images) {
        expect(image.width, image.src).toBeGreaterThan(0)
        expect(image.src.startsWith(host.origin), image.src).toBe(true)
      }
      expect(images.filter((image) => image.src.endsWith('.avif'))).toHaveLength(3)
      expect(blocked).toEqual([])
    } finally {
      await browser.close()
      await host.close()
    }

    // check: nothing remote left; a copy no page shows any more is noted.
    const after = await runCli(['check', '--source', dir])
    expect(after.code, after.stderr).toBe(0)
    expect(after.stderr).not.toContain('remote image')
    const post = path.join(dir, 'posts/2024-06-01-figures.md')
    await fs.writeFile(post, (await fs.readFile(post, 'utf8')).replace(`<img src="https://${CDN}/photo.jpg" alt="A photo">`, ''))
    expect((await build(dir)).code).toBe(0)
    const unused = await runCli(['check', '--source', dir])
    expect(unused.stderr).toContain(`note: 1 mirrored image is shown by no page`)
    expect(unused.stderr).toContain(lock[`https://${CDN}/photo.jpg`]?.file)
  }, 120_000)

  it('encodes nothing that did not change: a rebuild keeps every output, an empty output folder is refilled from the cache', async () => {
    const dir = await makeSite({
      'site.yml': 'title: T\n',
      'posts/2024-06-01-one.md': '---\ntitle: One\ndate: 2024-06-01\n---\n\n![A diagram](../assets/one.png)\n',
      'assets/one.png': await makePng(1300, 700)
    })
    expect((await build(dir)).code).toBe(0)
    const cacheImages = path.join(dir, 'node_modules/.cache/galley/images')
    const encoded = async () => new Map(await Promise.all((await fs.readdir(cacheImages)).map(async (name) => [name, (await fs.stat(path.join(cacheImages, name))).mtimeMs] as const)))
    const first = await encoded()
    // 480, 800 and 1200 in AVIF, WebP and PNG, and the own 1300 px in AVIF and WebP.
    expect(first.size).toBe(11)
    const firstTree = await snapshotTree(path.join(dir, '_site'))

    const again = await build(dir)
    expect(again.stdout).toContain('nothing changed, the output was left as it was')
    expect(await encoded()).toEqual(first)

    await fs.rm(path.join(dir, '_site'), {recursive: true})
    expect((await build(dir)).code).toBe(0)
    expect(await encoded()).toEqual(first)
    const tree = await snapshotTree(path.join(dir, '_site'))
    for (const [file, bytes] of firstTree) if (/\.\d+w\./.test(file)) expect(tree.get(file), file).toBe(bytes)

    // A changed image is encoded again.
    await fs.writeFile(path.join(dir, 'assets/one.png'), await makePng(1300, 700, '#ffcc00'))
    expect((await build(dir)).code).toBe(0)
    expect((await encoded()).size).toBe(22)
  }, 120_000)

  it('switches: responsive: false keeps plain images; remote: keep leaves remote URLs; a missing copy is a warning at its line', async () => {
    const dir = await site()
    expect((await runCli(['images', 'pull', '--source', dir, '--origin', `${CDN}=${cdn.origin}`])).code).toBe(0)
    await fs.writeFile(path.join(dir, 'site.yml'), 'title: Mirrors\nurl: https://blog.example.com\nimages:\n  responsive: false\n')
    expect((await build(dir)).code).toBe(0)
    let html = await pageOf(dir)
    expect(html).not.toContain('<picture>')
    expect(html).not.toContain('//' + CDN)
    await fs.writeFile(path.join(dir, 'site.yml'), 'title: Mirrors\nurl: https://blog.example.com\nimages:\n  remote: keep\n')
    expect((await build(dir)).code).toBe(0)
    html = await pageOf(dir)
    expect(html).toContain(`src="https://${CDN}/wide.png"`)
    expect(html).toContain('srcset="/assets/diagram.480w.avif 480w')

    await fs.writeFile(path.join(dir, 'site.yml'), 'title: Mirrors\nurl: https://blog.example.com\n')
    const lock = parse(await fs.readFile(path.join(dir, 'data/remote-images.yml'), 'utf8')) as Record<string, {file: string}>
    await fs.rm(path.join(dir, lock[`https://${CDN}/photo.jpg`]?.file as string))
    const built = await build(dir)
    expect(built.code).toBe(0)
    expect(built.stderr).toMatch(/posts\/2024-06-01-figures\.md:11:1: warning: `https:\/\/media\.cdn\.example\.test\/photo\.jpg` is in the lock file of mirrored images, but its copy is missing; run galley images pull/)
    expect(await pageOf(dir)).toContain(`src="https://${CDN}/photo.jpg"`)
  }, 120_000)

  it("leaves a Jekyll site's images as Jekyll wrote them unless it asks for responsive images", async () => {
    const files = {
      '_posts/2024-06-01-one.md': '---\ntitle: One\ndate: 2024-06-01\n---\n\n![A diagram](/assets/one.png)\n',
      'assets/one.png': await makePng(900, 500)
    }
    const jekyll = await makeSite({'_config.yml': 'title: J\n', ...files})
    expect((await build(jekyll)).code).toBe(0)
    const plain = await fs.readFile(path.join(jekyll, '_site/2024/06/01/one/index.html'), 'utf8')
    expect(plain).toContain('<img src="/assets/one.png" alt="A diagram"')
    expect(plain).not.toContain('<picture>')
    const asks = await makeSite({'_config.yml': 'title: J\nimages:\n  responsive: true\n', ...files})
    expect((await build(asks)).code).toBe(0)
    expect(await fs.readFile(path.join(asks, '_site/2024/06/01/one/index.html'), 'utf8')).toContain('<picture><source type="image/avif" srcset="/assets/one.480w.avif 480w, /assets/one.800w.avif 800w, /assets/one.900w.avif 900w"')
  }, 120_000)
})
