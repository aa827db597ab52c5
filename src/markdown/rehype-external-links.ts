import type {Element, Root} from 'hast'
import {visit} from './walk.js'
import {parseAbsoluteUrl} from './url-attributes.js'

export interface ExternalLinksOptions {
  /** `target` for links that leave the site, e.g. `_blank`. Default: none (links are left as they are). */
  readonly target?: string | undefined
  /** The site's own origin (`https://example.com`); links to it are internal. Default `''`. */
  readonly siteUrl?: string
}

const emptyOptions: ExternalLinksOptions = {}

/**
 * Optionally open links that leave the site in a new tab. With a `target`,
 * every `http(s)` link to another host gets it, together with
 * `rel="noopener noreferrer"` (keeping any rel the author wrote). The href is
 * never changed.
 */
export function rehypeExternalLinks(options: ExternalLinksOptions = emptyOptions) {
  const target = options.target
  const ownHost = hostOf(options.siteUrl ?? '')
  return function transform(tree: Root): void {
    if (!target) return
    visit(tree, 'element', (node: Element) => {
      if (node.tagName !== 'a' || typeof node.properties.href !== 'string') return
      const host = hostOf(node.properties.href)
      if (host === undefined || host === ownHost) return
      node.properties.target = target
      const rel = new Set([...toList(node.properties.rel), 'noopener', 'noreferrer'])
      node.properties.rel = [...rel]
    })
  }
}

function hostOf(url: string): string | undefined {
  return parseAbsoluteUrl(url)?.host.toLowerCase()
}

function toList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String)
  return typeof value === 'string' ? value.split(/\s+/).filter(Boolean) : []
}
