import {closeSync, fstatSync, openSync, readFileSync, readSync} from 'node:fs'
import type {Element, Root} from 'hast'
import {imageSize} from 'image-size'
import type {VFile} from 'vfile'
import {report} from '../report.js'
import {isRootRelative, splitUrl} from './url-attributes.js'

/** The intrinsic size of an image, in CSS pixels. */
export interface Dimensions {
  readonly width: number
  readonly height: number
}

export interface ImagesOptions {
  /**
   * Size of a local image, for `width`/`height`. Called with the `src` of
   * every image whose URL is root-relative (`/assets/x.png`: the form
   * rehype-local-assets leaves, before rehype-base-url adds the baseurl),
   * without its `?query` or `#fragment` (percent-encoding kept as written);
   * returns undefined when the file is unknown or unreadable. See
   * `createDimensionReader`.
   * Default: none (local images get no size).
   */
  readonly readDimensions?: ((src: string) => Dimensions | undefined) | undefined
  /**
   * Add `loading="lazy"` to every content image but the first one of the
   * page, which is likely in view when the page opens. Default `true`.
   */
  readonly lazy?: boolean | undefined
}

const emptyOptions: ImagesOptions = Object.freeze({})

/**
 * Declarations an inline image `style` may hold and still repeat only what
 * the theme's content-image rule does (`assets/css/style.css`: `img` is
 * `display: block; max-width: 100%; height: auto; margin-inline: auto`).
 * Compared lower-cased with whitespace collapsed:
 *
 * - `width: 100%`, `max-width: 100%`: the theme fits images to the column
 *   (`width: 100%` would also stretch an image narrower than the column; we
 *   count it as redundant, as exported posts put it on every image),
 * - `height: 100%`, `height: auto`: the height follows the width,
 * - `object-fit: contain`: a no-op once the height follows the width,
 * - `display: block`, `margin: auto`, `margin: 0 auto`, `margin: 0px auto`,
 *   `margin-left: auto`, `margin-right: auto`, `margin-inline: auto`: the
 *   theme centres block images. Inside a paragraph the theme shows images
 *   inline (`p img`), so there `display` and `margin` declarations are not
 *   redundant and keep the style.
 */
const redundantDeclarations: ReadonlySet<string> = new Set([
  'width:100%',
  'max-width:100%',
  'height:100%',
  'height:auto',
  'object-fit:contain',
  'display:block',
  'margin:auto',
  'margin:0 auto',
  'margin:0px auto',
  'margin-left:auto',
  'margin-right:auto',
  'margin-inline:auto'
])

/** Hosts of Substack's image storage and CDN, whose file names end in `_WIDTHxHEIGHT.ext`. */
const substackHost = /(?:^|\.)(?:substack-post-media\.s3\.amazonaws\.com|substackcdn\.com|substack\.com)$|^bucketeer-[\w-]+\.s3\.amazonaws\.com$/i
const sizeInName = /_(\d{1,5})x(\d{1,5})\.(?:png|jpe?g|webp|gif)$/i

/**
 * Make content images cheap to load and stable in layout, and check their
 * alt text:
 *
 * - `decoding="async"` on every image, `loading="lazy"` on every image but
 *   the first (values the author wrote are kept);
 * - `alt=""` where the author wrote none, with an `image-alt` warning (an
 *   author's `alt=""` marks a decorative image and is kept silently; a
 *   markdown `![](x.png)` is warned about, as markdown has no other way to
 *   leave it out);
 * - `width`/`height` when neither is set: from the size Substack writes in
 *   its file names, or from `readDimensions` for local files;
 * - a `style` dropped when it only repeats the theme's image rule (see
 *   `redundantDeclarations`), else kept as written.
 *
 * Figures and captions are rehype-figures' job (`figures/`).
 *
 * Runs after rehype-local-assets (so local `src`s are root-relative URLs
 * without baseurl) and before rehype-base-url.
 */
export function rehypeImages(options: ImagesOptions = emptyOptions) {
  const readDimensions = options.readDimensions
  const lazy = options.lazy ?? true
  return function transform(tree: Root, file: VFile): void {
    const source = file.value === undefined ? undefined : String(file.value)
    let seen = 0
    eachImage(tree, false, (node, inParagraph) => {
      const properties = node.properties
      const first = seen === 0
      seen++

      const markdown = isMarkdownImage(node, source)
      if (properties.alt === undefined || properties.alt === null || (markdown && properties.alt === '')) {
        properties.alt = ''
        if (!isMarkedDecorative(node)) {
          report(file, {
            reason: markdown
              ? 'image has no alt text: describe it for readers who cannot see it, in the brackets of `![…](…)`'
              : 'image has no alt text: describe it for readers who cannot see it (alt="" marks it decorative)',
            ruleId: 'image-alt',
            severity: 'warning',
            place: node.position
          })
        }
      }

      if (isUnset(properties.width) && isUnset(properties.height)) {
        const src = typeof properties.src === 'string' ? properties.src : ''
        const size = sizeFromName(src) ?? (readDimensions && isRootRelative(src) ? readDimensions(splitUrl(src).path) : undefined)
        if (size) {
          properties.width = size.width
          properties.height = size.height
        }
      }

      if (typeof properties.style === 'string' && isRedundantStyle(properties.style, inParagraph)) {
        delete properties.style
      }

      if (lazy && !first && isUnset(properties.loading)) properties.loading = 'lazy'
      if (isUnset(properties.decoding)) properties.decoding = 'async'
    })

  }
}

/**
 * A reader for `ImagesOptions.readDimensions`: `resolve` maps an image URL to
 * an absolute file path (or undefined), and the file's header is read with
 * image-size (PNG, JPEG, GIF, WebP, SVG, AVIF, …). Results are cached by
 * path for the life of the reader, so make one per build. Missing files,
 * unreadable files and unknown formats give undefined, never an exception.
 * JPEGs rotated by their EXIF orientation report their displayed size.
 */
export function createDimensionReader(resolve: (src: string) => string | undefined): (src: string) => Dimensions | undefined {
  const cache = new Map<string, Dimensions | undefined>()
  return function readDimensions(src) {
    const file = resolve(src)
    if (file === undefined) return undefined
    if (cache.has(file)) return cache.get(file)
    const size = measure(file)
    cache.set(file, size)
    return size
  }
}

/** How much of a file image-size gets first (its own `fromFile` reads as much); the whole file only if that was not enough. */
const headBytes = 512 * 1024

function measure(file: string): Dimensions | undefined {
  let head: Uint8Array
  let total: number
  try {
    const descriptor = openSync(file, 'r')
    try {
      total = fstatSync(descriptor).size
      head = new Uint8Array(Math.min(total, headBytes))
      readSync(descriptor, head, 0, head.length, 0)
    } finally {
      closeSync(descriptor)
    }
  } catch {
    return undefined
  }
  if (total === 0) return undefined
  const size = sizeOf(head)
  if (size || total <= headBytes) return size
  try {
    return sizeOf(readFileSync(file))
  } catch {
    return undefined
  }
}

function sizeOf(bytes: Uint8Array): Dimensions | undefined {
  try {
    const result = imageSize(bytes)
    const {width, height} = result
    if (!isDimension(width) || !isDimension(height)) return undefined
    // EXIF orientations 5–8 turn the picture a quarter: browsers show it rotated.
    return result.orientation !== undefined && result.orientation >= 5 ? {width: height, height: width} : {width, height}
  } catch {
    return undefined
  }
}

/**
 * The size in a Substack image URL (`…/public/images/<uuid>_1414x820.png`,
 * also inside `substackcdn.com/image/fetch/<params>/<encoded url>`), scaled
 * down when the CDN parameters limit the width (`w_728,c_limit`); undefined
 * for other hosts and for crops, whose shape differs from the original.
 */
export function sizeFromName(src: string): Dimensions | undefined {
  let url: URL
  try {
    url = new URL(src)
  } catch {
    return undefined
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || !substackHost.test(url.hostname)) return undefined
  const match = sizeInName.exec(url.pathname)
  if (!match) return undefined
  let width = Number(match[1])
  let height = Number(match[2])
  if (!isDimension(width) || !isDimension(height)) return undefined
  const fetch = /\/image\/fetch\/([^/]+)\//.exec(url.pathname)
  if (fetch) {
    const parameters = (fetch[1] ?? '').split(',')
    if (parameters.some((parameter) => /^h_\d/.test(parameter) || /^c_(?!limit$|scale$)/.test(parameter))) return undefined
    const limit = parameters.find((parameter) => /^w_\d+$/.test(parameter))
    const maxWidth = limit ? Number(limit.slice(2)) : Number.POSITIVE_INFINITY
    if (maxWidth < width) {
      height = Math.round((height * maxWidth) / width)
      width = maxWidth
    }
  }
  return {width, height}
}

/** Whether every declaration of `style` is in `redundantDeclarations` (true for an empty style too). */
export function isRedundantStyle(style: string, inParagraph = false): boolean {
  const declarations = style
    .split(';')
    .map((declaration) => declaration.trim())
    .filter((declaration) => declaration !== '')
  return declarations.every((declaration) => {
    const colon = declaration.indexOf(':')
    if (colon === -1) return false
    const property = declaration.slice(0, colon).trim().toLowerCase()
    const value = declaration.slice(colon + 1).trim().toLowerCase().replace(/\s+/g, ' ')
    if (inParagraph && (property === 'display' || property.startsWith('margin'))) return false
    return redundantDeclarations.has(`${property}:${value}`)
  })
}

function isDimension(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0
}

function isUnset(value: unknown): boolean {
  return value === undefined || value === null
}

/** Whether the element was written as markdown (`![alt](src)`), judged from the source text. */
export function isMarkdownImage(node: Element, source: string | undefined): boolean {
  const offset = node.position?.start.offset
  if (source === undefined || offset === undefined) return false
  return source.startsWith('![', offset)
}

/** `role="presentation"`/`"none"` or `aria-hidden="true"`: the author already said it is decorative. */
function isMarkedDecorative(node: Element): boolean {
  const role = node.properties.role
  const roles = Array.isArray(role) ? role.map(String) : typeof role === 'string' ? role.split(/\s+/) : []
  return roles.includes('presentation') || roles.includes('none') || String(node.properties.ariaHidden) === 'true'
}

/** Call `each` on every `img` in document order, saying whether it sits in a `p` (where the theme's `p img` rule applies). */
function eachImage(node: Root | Element, inParagraph: boolean, each: (image: Element, inParagraph: boolean) => void): void {
  for (const child of node.children) {
    if (child.type !== 'element') continue
    if (child.tagName === 'img') each(child, inParagraph)
    else eachImage(child, inParagraph || child.tagName === 'p', each)
  }
}
