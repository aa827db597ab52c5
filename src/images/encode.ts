import {createHash, randomBytes} from 'node:crypto'
import {promises as fs} from 'node:fs'
import path from 'node:path'
import pLimit from 'p-limit'
import type {ImageVariant, VariantFormat} from './variants.js'

/**
 * Bumped when the encoder settings below change, so copies cached under the
 * old settings are not reused.
 */
export const ENCODE_FORMAT = '1'

/** Encoder settings per format: sizes close to what a careful hand export gives, at speeds a build can afford. */
const settings: Readonly<Record<VariantFormat, Record<string, unknown>>> = {
  avif: {quality: 55, effort: 2},
  webp: {quality: 78, effort: 4},
  png: {compressionLevel: 9, effort: 7},
  jpeg: {quality: 80, mozjpeg: true}
}

export interface Encoder {
  /** The bytes of `variant`, made from `from` (absolute path of the original): from the cache when it holds them. */
  encode(variant: ImageVariant, from: string): Promise<Uint8Array>
  /** How many variants were encoded (not found in the cache) so far. */
  readonly encoded: number
}

/**
 * Encode image variants with sharp (libvips), at most two at a time (each
 * uses several of libvips' threads), keeping every result in
 * `<cacheDir>/images/` under the hash of the original's bytes, the width,
 * the format and the settings: a build that finds the file there, even
 * into an empty output folder or after the original was touched without
 * being changed, encodes nothing. sharp loads on the first encode.
 */
export function createEncoder(cacheDir: string | undefined): Encoder {
  const limit = pLimit(2)
  const folder = cacheDir === undefined ? undefined : path.join(cacheDir, 'images')
  const hashes = new Map<string, Promise<{bytes: Buffer; hash: string}>>()
  let encoded = 0
  const original = (from: string) => {
    let read = hashes.get(from)
    if (!read) {
      read = fs.readFile(from).then((bytes) => ({bytes, hash: createHash('sha256').update(bytes).digest('hex')}))
      hashes.set(from, read)
    }
    return read
  }
  return {
    get encoded() {
      return encoded
    },
    encode: (variant, from) =>
      limit(async () => {
        const {bytes, hash} = await original(from)
        const name = `${hash.slice(0, 32)}-${variant.width}-${ENCODE_FORMAT}.${variant.format}`
        if (folder) {
          const cached = await fs.readFile(path.join(folder, name)).catch(() => undefined)
          if (cached) return cached
        }
        const sharp = (await import('sharp')).default
        const output = await sharp(bytes, {failOn: 'error'})
          .rotate()
          .resize({width: variant.width, withoutEnlargement: true})
          .toFormat(variant.format, settings[variant.format])
          .toBuffer()
        encoded++
        if (folder) {
          await fs.mkdir(folder, {recursive: true})
          const temporary = path.join(folder, `${name}.${randomBytes(4).toString('hex')}.tmp`)
          await fs.writeFile(temporary, output)
          await fs.rename(temporary, path.join(folder, name))
        }
        return output
      })
  }
}
