import {imageSize} from 'image-size'

/** What the bytes of a downloaded file say it is. */
export interface ImageKind {
  /** File extension, without the dot: `png`, `jpg`, `gif`, `webp`, `avif`, `svg`. */
  readonly ext: string
  /** The media type that extension stands for. */
  readonly mime: string
}

const kinds: Readonly<Record<string, ImageKind>> = {
  png: {ext: 'png', mime: 'image/png'},
  jpg: {ext: 'jpg', mime: 'image/jpeg'},
  gif: {ext: 'gif', mime: 'image/gif'},
  webp: {ext: 'webp', mime: 'image/webp'},
  avif: {ext: 'avif', mime: 'image/avif'},
  heif: {ext: 'avif', mime: 'image/avif'},
  svg: {ext: 'svg', mime: 'image/svg+xml'},
  ico: {ext: 'ico', mime: 'image/x-icon'},
  bmp: {ext: 'bmp', mime: 'image/bmp'},
  tiff: {ext: 'tiff', mime: 'image/tiff'}
}

/**
 * The image format of `bytes`, from their magic numbers (image-size reads
 * the header of every format a page can show), or undefined when they are
 * no image — an HTML error page a CDN answered with `200 image/png` among them.
 */
export function sniffImage(bytes: Uint8Array): ImageKind | undefined {
  if (bytes.length === 0) return undefined
  try {
    const found = imageSize(bytes)
    return found.type === undefined ? undefined : kinds[found.type]
  } catch {
    return undefined
  }
}
