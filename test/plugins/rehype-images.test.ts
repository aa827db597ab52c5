import {copyFileSync, promises as fs, readFileSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type {Element} from 'hast'
import rehypeRaw from 'rehype-raw'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import remarkRehype from 'remark-rehype'
import {unified} from 'unified'
import {visit} from 'unist-util-visit'
import {VFile} from 'vfile'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {createDimensionReader, isRedundantStyle, rehypeImages, sizeFromName, type Dimensions, type ImagesOptions} from '../../src/markdown/rehype-images.js'
import {hasSeed, root, seedPath} from '../helpers.js'
import {pluginFixtures} from '../plugin-fixtures.js'

/**
 * config.json cannot hold a function: a `readDimensions` object there
 * (URL → size) stands for a reader that knows those files.
 */
pluginFixtures('rehype-images', (options) => [[rehypeImages, withReader(options)]])

function withReader(options: Record<string, unknown>): ImagesOptions {
  const table = options.readDimensions as Record<string, Dimensions> | undefined
  return {...options, readDimensions: table ? (src: string) => table[src] : undefined}
}

describe('createDimensionReader', () => {
  let dir = ''
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'galley-images-'))
  })
  afterAll(async () => {
    await fs.rm(dir, {recursive: true, force: true})
  })

  it('reads PNG, GIF and SVG headers', () => {
    copyFileSync(path.join(root, 'posts', 'images', 'liquid-theme-hero.png'), path.join(dir, 'hero.png'))
    copyFileSync(path.join(root, 'posts', 'images', 'model-scores.png'), path.join(dir, 'scores.png'))
    // GIF89a, 3×2, logical screen descriptor only: enough for a header read.
    writeFileSync(path.join(dir, 'tiny.gif'), Uint8Array.from([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 3, 0, 2, 0, 0, 0, 0]))
    writeFileSync(path.join(dir, 'icon.svg'), '<svg xmlns="http://www.w3.org/2000/svg" width="24" height="16"></svg>')
    const read = createDimensionReader((src) => path.join(dir, src))
    expect(read('hero.png')).toEqual({width: 1200, height: 630})
    expect(read('scores.png')).toEqual({width: 800, height: 450})
    expect(read('tiny.gif')).toEqual({width: 3, height: 2})
    expect(read('icon.svg')).toEqual({width: 24, height: 16})
  })

  it('gives undefined for missing, empty and unknown files, and for URLs it cannot resolve', () => {
    writeFileSync(path.join(dir, 'empty.png'), '')
    writeFileSync(path.join(dir, 'notes.png'), 'not an image at all')
    const read = createDimensionReader((src) => (src.startsWith('/outside') ? undefined : path.join(dir, src)))
    expect(read('missing.png')).toBeUndefined()
    expect(read('empty.png')).toBeUndefined()
    expect(read('notes.png')).toBeUndefined()
    expect(read('/outside/x.png')).toBeUndefined()
  })

  it('reads each file once', () => {
    const file = path.join(dir, 'cached.gif')
    writeFileSync(file, Uint8Array.from([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 3, 0, 2, 0, 0, 0, 0]))
    const asked: string[] = []
    const read = createDimensionReader((src) => {
      asked.push(src)
      return file
    })
    expect(read('/a/cached.gif')).toEqual({width: 3, height: 2})
    writeFileSync(file, Uint8Array.from([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 9, 0, 9, 0, 0, 0, 0]))
    expect(read('/b/cached.gif')).toEqual({width: 3, height: 2})
    expect(asked).toEqual(['/a/cached.gif', '/b/cached.gif'])
  })
})

describe('isRedundantStyle', () => {
  it('drops only styles that repeat the theme', () => {
    expect(isRedundantStyle('height: 100%; width: 100%; object-fit: contain')).toBe(true)
    expect(isRedundantStyle('Margin : 0  Auto;DISPLAY:block;')).toBe(true)
    expect(isRedundantStyle('display:block', true)).toBe(false)
    expect(isRedundantStyle('max-width:100%', true)).toBe(true)
    expect(isRedundantStyle('width: 100%; border-radius: 5px')).toBe(false)
    expect(isRedundantStyle(' ; ')).toBe(true)
    expect(isRedundantStyle('width')).toBe(false)
  })
})

describe('sizeFromName', () => {
  it('trusts only Substack hosts', () => {
    expect(sizeFromName('https://substack-post-media.s3.amazonaws.com/public/images/01cfd078-5792-4ea8-833f-4ecd43a2771a_1414x820.png')).toEqual({width: 1414, height: 820})
    expect(sizeFromName('https://example.com/a_1414x820.png')).toBeUndefined()
    expect(sizeFromName('/assets/a_1414x820.png')).toBeUndefined()
    expect(sizeFromName('not a url')).toBeUndefined()
  })
})

describe('rehypeImages on the seed', () => {
  it.runIf(hasSeed)('sizes, lazy-loads and unstyles its 14 Substack images, and asks for alt text', async () => {
    const processor = unified().use(remarkParse).use(remarkGfm).use(remarkRehype, {allowDangerousHtml: true}).use(rehypeRaw).use(rehypeImages)
    const file = new VFile({path: 'posts/2024-05-12-seed.md', value: readFileSync(seedPath, 'utf8')})
    const tree = await processor.run(processor.parse(file), file)
    const images: Element[] = []
    visit(tree, 'element', (node: Element) => {
      if (node.tagName === 'img') images.push(node)
    })
    expect(images).toHaveLength(14)
    expect(images.map((image) => image.properties.loading)).toEqual([undefined, ...Array<string>(13).fill('lazy')])
    for (const image of images) {
      expect(image.properties).toMatchObject({alt: '', decoding: 'async', width: expect.any(Number), height: expect.any(Number)})
      expect(image.properties.style).toBeUndefined()
    }
    expect(images[0]?.properties).toMatchObject({width: 1414, height: 820})
    expect(file.messages.map((message) => message.ruleId)).toEqual(Array<string>(14).fill('image-alt'))
  })
})
