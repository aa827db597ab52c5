import type {Element, ElementContent, Root} from 'hast'
import type {VFile} from 'vfile'
import type {ImageSettings} from '../../config.js'
import {planImage, rasterFormatOf, type ImageVariant} from '../../images/variants.js'
import type {Dimensions} from '../rehype-images.js'
import {sourceMayHold} from '../source-check.js'
import {isRootRelative, splitUrl} from '../url-attributes.js'
import {SKIP, visit} from '../walk.js'

declare module 'vfile' {
  interface DataMap {
    /** The encoded copies of local images this page's `<picture>`s offer (made by the build, not the plugin). */
    imageVariants: ImageVariant[]
  }
}

export interface ResponsiveImagesOptions {
  readonly settings: Pick<ImageSettings, 'responsive' | 'widths' | 'formats' | 'sizes'>
  /** The intrinsic size of a local image by its root-relative URL (no baseurl). */
  readonly readDimensions?: ((src: string) => Dimensions | undefined) | undefined
}

/**
 * Offer every local raster image at the widths and in the formats the site
 * asks for: `<img src="/assets/x.png">` becomes
 * `<picture><source type="image/avif" srcset="… 480w, …">…<img srcset sizes></picture>`,
 * keeping the `<img>` (its alt, width, height, loading) as the fallback.
 * Records the files to make in `file.data.imageVariants`; the build encodes
 * them (rendering stays a pure function of the text).
 *
 * Left alone: images that already have a `srcset` or sit in a `<picture>`,
 * remote images, SVG and GIF, and images whose size cannot be read. Runs
 * after rehype-images (which reads sizes) and before the baseurl prefix.
 */
export function rehypeResponsiveImages(options: ResponsiveImagesOptions) {
  const {settings, readDimensions} = options
  return function transform(tree: Root, file: VFile): void {
    if (!settings.responsive || readDimensions === undefined) return
    if (!sourceMayHold(file, /<img|!\[|\.(?:png|jpe?g|webp|avif)\b/i)) return
    const variants: ImageVariant[] = []
    visit(tree, 'element', (node: Element, index, parent) => {
      if (node.tagName === 'picture') return SKIP
      if (node.tagName !== 'img' || parent === undefined || index === undefined) return undefined
      const properties = node.properties as Record<string, unknown>
      const src = properties.src
      if (typeof src !== 'string' || !isRootRelative(src) || properties.srcSet !== undefined) return undefined
      const {path: url} = splitUrl(src)
      if (rasterFormatOf(url) === undefined) return undefined
      const size = readDimensions(url)
      if (!size) return undefined
      const plan = planImage(url, size.width, settings)
      if (!plan) return undefined
      variants.push(...plan.variants)
      // An image shown narrower than the smallest width (a small original, or `width` written smaller) is
      // offered for its own width, so the browser picks by pixel density; the others for the text column.
      const shown = Math.min(size.width, Number(properties.width) || size.width)
      const sizes = shown < (settings.widths[0] ?? 0) ? `${shown}px` : settings.sizes
      properties.srcSet = plan.srcset
      properties.sizes = sizes
      const sources: ElementContent[] = plan.sources.map((source) => ({type: 'element', tagName: 'source', properties: {type: source.type, srcSet: source.srcset, sizes}, children: []}))
      const picture: Element = {type: 'element', tagName: 'picture', properties: {}, children: [...sources, node], position: node.position}
      ;(parent as {children: ElementContent[]}).children[index] = picture
      return SKIP
    })
    if (variants.length > 0) file.data.imageVariants = [...(file.data.imageVariants ?? []), ...variants]
  }
}
