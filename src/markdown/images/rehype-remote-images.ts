import type {Element, Root} from 'hast'
import type {VFile} from 'vfile'
import {report} from '../../report.js'
import {withBase} from '../rehype-base-url.js'
import {sourceMayHold} from '../source-check.js'
import {rewriteUrls} from '../url-attributes.js'
import {visit} from '../walk.js'

export interface RemoteImagesOptions {
  /** Remote URL → the URL of its copy in the site (no baseurl), for the images `galley images pull` mirrored. */
  readonly mirrored: ReadonlyMap<string, string>
  /** Remote URLs the lock file records whose copy is missing from the site (warned about where they are used). */
  readonly missing?: ReadonlySet<string> | undefined
  /** For `url()` in inline styles, which the baseurl plugin does not see. */
  readonly baseurl?: string | undefined
}

/** `url(…)` in an inline style. */
const cssUrl = /url\(\s*(['"]?)([^'")\s]+)\1\s*\)/gi

/**
 * Show mirrored copies instead of remote images: every `<img src>`,
 * `srcset` of `<img>`/`<source>` and `url()` in an inline style whose URL
 * the lock file records becomes the copy's root-relative URL (the baseurl
 * is added later, and rehype-images then reads its size like any local
 * image's). A URL recorded but whose file is gone is left as written, with
 * a warning at its place. Runs before the local-asset and image plugins.
 */
export function rehypeRemoteImages(options: RemoteImagesOptions) {
  const {mirrored} = options
  const missing = options.missing ?? new Set<string>()
  return function transform(tree: Root, file: VFile): void {
    if (mirrored.size === 0 && missing.size === 0) return
    if (!sourceMayHold(file, '//')) return
    const lookup = (url: string, node: Element): string | undefined => {
      const key = url.startsWith('//') ? 'https:' + url : url
      const copy = mirrored.get(key)
      if (copy !== undefined) return copy
      if (missing.has(key)) {
        report(file, {
          reason: `\`${url}\` is in the lock file of mirrored images, but its copy is missing; run galley images pull to fetch it again (the remote URL is shown meanwhile)`,
          ruleId: 'remote-images',
          severity: 'warning',
          place: node.position
        })
      }
      return undefined
    }
    visit(tree, 'element', (node: Element) => {
      if (node.tagName === 'img' || node.tagName === 'source') {
        rewriteUrls(node, 'src', (url) => lookup(url, node))
        rewriteUrls(node, 'srcSet', (url) => lookup(url, node))
      }
      const properties = node.properties as Record<string, unknown>
      if (typeof properties.style === 'string' && /url\(/i.test(properties.style)) {
        properties.style = properties.style.replace(cssUrl, (whole, quote: string, url: string) => {
          const copy = lookup(url, node)
          return copy === undefined ? whole : `url(${quote}${withBase(options.baseurl ?? '', copy)}${quote})`
        })
      }
    })
  }
}
