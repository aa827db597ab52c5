import {promises as fs} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import sharp from 'sharp'
import {describe, expect, it} from 'vitest'
import {createEncoder} from '../../src/images/encode.js'
import type {ImageVariant} from '../../src/images/variants.js'
import {makeJpeg, makePng} from './image-server.js'

describe('the image encoder', () => {
  it('gives byte-identical output for the same input, in every format, at the width asked for', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'galley-encode-'))
    const from = path.join(dir, 'a.png')
    // Not one flat colour: a gradient, so the encoders have real work.
    const gradient = Buffer.alloc(900 * 500 * 3)
    for (let index = 0; index < gradient.length; index++) gradient[index] = (index * 7) % 251
    await fs.writeFile(from, await sharp(gradient, {raw: {width: 900, height: 500, channels: 3}}).png().toBuffer())
    for (const format of ['avif', 'webp', 'png', 'jpeg'] as const) {
      const variant: ImageVariant = {path: `a.480w.${format}`, source: '/a.png', width: 480, format}
      const first = await createEncoder(undefined).encode(variant, from)
      const second = await createEncoder(undefined).encode(variant, from)
      expect(Buffer.compare(Buffer.from(first), Buffer.from(second)), format).toBe(0)
      const meta = await sharp(first).metadata()
      expect(meta.width).toBe(480)
      expect(meta.height).toBe(267)
      expect(meta.format).toBe(format === 'avif' ? 'heif' : format)
    }
  })

  it('keeps what it encoded in its cache folder, by the bytes of the original, and reuses it', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'galley-encode-'))
    const from = path.join(dir, 'b.jpg')
    await fs.writeFile(from, await makeJpeg(700, 400))
    const variant: ImageVariant = {path: 'b.480w.webp', source: '/b.jpg', width: 480, format: 'webp'}
    const encoder = createEncoder(path.join(dir, 'cache'))
    const made = await encoder.encode(variant, from)
    expect(encoder.encoded).toBe(1)
    const again = createEncoder(path.join(dir, 'cache'))
    // Touched, not changed: still a cache hit.
    await fs.utimes(from, new Date(), new Date(Date.now() + 5000))
    expect(Buffer.compare(Buffer.from(await again.encode(variant, from)), Buffer.from(made))).toBe(0)
    expect(again.encoded).toBe(0)
    await fs.writeFile(from, await makePng(700, 400))
    await createEncoder(path.join(dir, 'cache')).encode(variant, from)
    expect((await fs.readdir(path.join(dir, 'cache/images'))).length).toBe(2)
  })
})
