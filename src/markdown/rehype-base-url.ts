import type {Element, Root} from 'hast'
import {visit} from './walk.js'
import {isRootRelative, rewriteUrls, urlPropertiesOf} from './url-attributes.js'

export interface BaseUrlOptions {
  /** Path the site is served under, `''` or `/blog` (no trailing slash). Default `''`. */
  readonly baseurl?: string
}

const emptyOptions: BaseUrlOptions = {}

/**
 * Prefix root-relative URLs (`/assets/x.png`) with the site's baseurl, exactly
 * once: a URL that already starts with `baseurl/` is left alone, so content
 * written for the sub-path keeps working.
 */
export function rehypeBaseUrl(options: BaseUrlOptions = emptyOptions) {
  const baseurl = options.baseurl ?? ''
  return function transform(tree: Root): void {
    if (baseurl === '') return
    visit(tree, 'element', (node: Element) => {
      for (const name of urlPropertiesOf(node)) {
        rewriteUrls(node, name, (url) => (isRootRelative(url) ? withBase(baseurl, url) : undefined))
      }
    })
  }
}

/**
 * `/x` → `/blog/x`, unless it already starts with `/blog/` or is `/blog` itself
 * (or `/blog` and a space, `/blog%20/x`: a space typed after the baseurl in a
 * Liquid link, which kramdown keeps in the URL, as Jekyll shows it).
 */
export function withBase(baseurl: string, url: string): string {
  if (baseurl === '' || url === baseurl || url.startsWith(baseurl + '/') || url.startsWith(baseurl + '?') || url.startsWith(baseurl + '#') || url.startsWith(baseurl + '%20')) return url
  return baseurl + url
}
