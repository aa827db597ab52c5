import type {Element, Parents, Root} from 'hast'
import type {VFile} from 'vfile'
import {SKIP, visit} from './walk.js'
import {removeNodes} from './hast-nodes.js'
import {parseAbsoluteUrl} from './url-attributes.js'
import {sourceMayHold} from './source-check.js'

/**
 * Hosts whose scripts serve only Twitter/X embeds. When a site opts out of
 * this plugin, the pipeline passes them to `rehypeThirdPartyScripts` as
 * `allowedHosts`, so the script the author kept is not reported.
 */
export const SCRIPT_HOSTS: readonly string[] = Object.freeze(['platform.twitter.com', 'platform.x.com'])

/**
 * Make embedded tweets static. A tweet's embed code is a
 * `blockquote.twitter-tweet` with the tweet's text, author and a link to it,
 * plus `<script src="https://platform.twitter.com/widgets.js">`, which swaps
 * the blockquote for an iframe. The blockquote is kept as written, text and
 * links included, and gets the class `embed-tweet`; every `widgets.js` script
 * in the post (from platform.twitter.com or platform.x.com) is removed.
 * Other widgets that script drives (timelines, follow buttons) are plain
 * links in the markup, so they stay readable without it.
 */
export function rehypeEmbedTwitter() {
  return function transform(tree: Root, file: VFile): void {
    if (!sourceMayHold(file, /twitter|x\.com/i)) return
    const scripts: Array<{node: Element; parent: Parents}> = []
    visit(tree, 'element', (node: Element, _index, parent) => {
      if (node.tagName === 'blockquote' && hasClass(node, 'twitter-tweet')) {
        addClass(node, 'embed-tweet')
        return undefined
      }
      if (parent !== undefined && isWidgetsScript(node)) {
        scripts.push({node, parent})
        return SKIP
      }
      return undefined
    })
    removeNodes(tree, scripts)
  }
}

/** `widgets.js` from Twitter's or X's platform host, `https:`, `http:` or protocol-relative. */
function isWidgetsScript(node: Element): boolean {
  if (node.tagName !== 'script') return false
  const src = node.properties.src
  const url = typeof src === 'string' ? parseAbsoluteUrl(src) : undefined
  return url !== undefined && SCRIPT_HOSTS.includes(url.hostname.toLowerCase()) && url.pathname === '/widgets.js'
}

function hasClass(node: Element, name: string): boolean {
  const value = node.properties.className
  return Array.isArray(value) && value.includes(name)
}

function addClass(node: Element, name: string): void {
  const value = node.properties.className
  const list = Array.isArray(value) ? value : []
  if (!list.includes(name)) node.properties.className = [...list, name]
}
