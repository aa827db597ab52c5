import type {Element, Parents, Root, RootContent} from 'hast'
import {SKIP, visit} from 'unist-util-visit'

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
  return function transform(tree: Root): void {
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
    for (const {node, parent} of scripts) remove(node, parent)
    if (scripts.length > 0) removeEmptiedParagraphs(tree, new Set(scripts.map((entry) => entry.parent)))
  }
}

/** `widgets.js` from Twitter's or X's platform host, `https:`, `http:` or protocol-relative. */
function isWidgetsScript(node: Element): boolean {
  if (node.tagName !== 'script') return false
  const src = node.properties.src
  if (typeof src !== 'string' || !/^(https?:)?\/\//i.test(src.trim())) return false
  try {
    const url = new URL(src.trim().startsWith('//') ? 'https:' + src.trim() : src.trim())
    return SCRIPT_HOSTS.includes(url.hostname.toLowerCase()) && url.pathname === '/widgets.js'
  } catch {
    return false
  }
}

/** Remove `node` from `parent`, with the line break before it when that would otherwise leave two in a row. */
function remove(node: Element, parent: Parents): void {
  const at = parent.children.indexOf(node)
  if (at === -1) return
  const dropBefore = isBlank(parent.children[at - 1]) && (at + 1 >= parent.children.length || isBlank(parent.children[at + 1]))
  parent.children.splice(dropBefore ? at - 1 : at, dropBefore ? 2 : 1)
}

/** Remove paragraphs that held only a removed script (one written inline in a line of its own). */
function removeEmptiedParagraphs(tree: Root, emptied: ReadonlySet<Parents>): void {
  visit(tree, 'element', (node: Element, index, parent) => {
    if (parent === undefined || index === undefined || node.tagName !== 'p' || !emptied.has(node) || !node.children.every(isBlank)) return undefined
    parent.children.splice(index, 1)
    return index
  })
}

function isBlank(node: RootContent | undefined): boolean {
  return node !== undefined && node.type === 'text' && node.value.trim() === ''
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
