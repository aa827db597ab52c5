import path from 'node:path'
import type {ImageSettings} from '../config.js'

/** One encoded copy of a local image: where it goes in the output, what it is made from, at what width, in what format. */
export interface ImageVariant {
  /** Output path, POSIX, no leading slash (`assets/x.480w.avif`). */
  readonly path: string
  /** The original's URL without baseurl (`/assets/x.png`), as the page refers to it. */
  readonly source: string
  readonly width: number
  readonly format: VariantFormat
}

export type VariantFormat = 'avif' | 'webp' | 'png' | 'jpeg'

/** What a responsive image offers: per modern format a `srcset`, and the original format's `srcset`. */
export interface ImagePlan {
  /** `<source type srcset>` entries, in order of preference. */
  readonly sources: ReadonlyArray<{readonly type: string; readonly srcset: string}>
  /** The `<img srcset>`: the original format at each width (the original file itself at its own width). */
  readonly srcset: string
  /** The files to make for it. */
  readonly variants: readonly ImageVariant[]
}

/** Raster formats worth re-encoding; SVG (vector) and GIF (maybe animated) pass through as they are. */
const rasterFormats: Readonly<Record<string, VariantFormat>> = {'.png': 'png', '.jpg': 'jpeg', '.jpeg': 'jpeg', '.webp': 'webp', '.avif': 'avif'}

const mimeOf: Readonly<Record<VariantFormat, string>> = {avif: 'image/avif', webp: 'image/webp', png: 'image/png', jpeg: 'image/jpeg'}

const extensionOf: Readonly<Record<VariantFormat, string>> = {avif: 'avif', webp: 'webp', png: 'png', jpeg: 'jpg'}

/** The format of a local image by its extension, when it is one responsive images are made of. */
export function rasterFormatOf(url: string): VariantFormat | undefined {
  return rasterFormats[path.posix.extname(url.split(/[?#]/)[0] ?? '').toLowerCase()]
}

/**
 * The responsive versions of the local image at `url` (root-relative, no
 * query), `width` pixels wide: each configured width below its own, plus its
 * own width when that is not above the largest configured one; each in the
 * modern formats and in its own format. The original file stands for its
 * own width in its own format. Undefined for formats that pass through.
 *
 * Variant files sit beside the original (`/assets/x.png` →
 * `/assets/x.800w.avif`), so a site under a base URL or moved to another
 * host keeps them together, and their names are known without reading the
 * image's bytes.
 */
export function planImage(url: string, width: number, settings: Pick<ImageSettings, 'widths' | 'formats'>): ImagePlan | undefined {
  const own = rasterFormatOf(url)
  if (own === undefined || !Number.isFinite(width) || width < 1) return undefined
  const largest = settings.widths[settings.widths.length - 1] ?? width
  const widths = settings.widths.filter((candidate) => candidate < width)
  if (width <= largest) widths.push(width)
  if (widths.length === 0) return undefined
  const base = url.slice(0, url.length - path.posix.extname(url).length)
  const variantUrl = (at: number, format: VariantFormat) => `${base}.${at}w.${extensionOf[format]}`
  const variants: ImageVariant[] = []
  const add = (at: number, format: VariantFormat): string => {
    const variant = variantUrl(at, format)
    variants.push({path: decodePath(variant.slice(1)), source: url, width: at, format})
    return `${variant} ${at}w`
  }
  const sources = settings.formats.filter((format) => format !== own).map((format) => ({type: mimeOf[format], srcset: widths.map((at) => add(at, format)).join(', ')}))
  const fallback = widths.map((at) => (at === width ? `${url} ${at}w` : add(at, own)))
  if (width > largest) fallback.push(`${url} ${width}w`)
  return {sources, srcset: fallback.join(', '), variants}
}

function decodePath(value: string): string {
  try {
    return decodeURIComponent(value)
  } catch {
    return value
  }
}
