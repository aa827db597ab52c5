import type {Element, Root, RootContent} from 'hast'
import {excerptSafe} from './citations/excerpt-safe.js'
import {toHtml} from 'hast-util-to-html'
import type {VFile} from 'vfile'
import {htmlToText} from '../content/title.js'
import './data.js'

export interface ExcerptOptions {
  /**
   * Text that ends the excerpt where it first occurs in the source, outside
   * code (Jekyll's `excerpt_separator`). Default `<!--more-->`.
   */
  readonly separator?: string
}

const emptyOptions: ExcerptOptions = {}

/**
 * Put the post's excerpt on `file.data.excerpt`: every top-level block that
 * ends before the separator, else the first paragraph. Headings are dropped
 * (a listing shows the post title already). Runs last, so the excerpt holds
 * the final URLs and attributes of the page.
 *
 * Works on positions: the tree must carry offsets into `file.value`.
 */
export function rehypeExcerpt(options: ExcerptOptions = emptyOptions) {
  return function transform(tree: Root, file: VFile): void {
    const separator = separatorFor(file, options.separator)
    const cut = findSeparator(tree, String(file.value ?? ''), separator)
    const blocks =
      cut === undefined
        ? firstParagraph(tree)
        : tree.children.filter((node) => {
            const end = range(node)?.[1]
            return end !== undefined && end <= cut
          })
    // Without citation cards, footnote references and links to ids of the page itself (excerpt-safe.ts).
    const kept = excerptSafe(blocks.filter((node) => !isHeading(node) && node.type !== 'comment'))
    const html = toHtml({type: 'root', children: trimText(kept)}).trim()
    file.data.excerpt = {html, text: htmlToText(html), marked: cut !== undefined}
  }
}

/** The post's own `excerpt_separator` (front matter), else the site's, else `<!--more-->`. */
export function separatorFor(file: VFile, fallback: string | undefined): string {
  const own = file.data.matter?.excerpt_separator
  return typeof own === 'string' ? own : (fallback ?? '<!--more-->')
}

/**
 * Offset of the first occurrence of `separator` that is not inside a
 * top-level block (so a separator quoted in code does not count), or
 * undefined.
 */
function findSeparator(tree: Root, text: string, separator: string): number | undefined {
  if (separator === '') return undefined
  const start = text.search(/\S/)
  if (start === -1) return undefined
  let at = text.indexOf(separator, start)
  while (at !== -1) {
    const end = at + separator.length
    const inside = tree.children.some((node) => {
      const span = range(node)
      if (!span) return false
      const [from, to] = span
      const isMarker = node.type === 'comment' && from === at
      return !isMarker && from < end && to > at && !(from >= at && to <= end)
    })
    if (!inside) return at
    at = text.indexOf(separator, at + 1)
  }
  return undefined
}

/**
 * Index in `tree.children` right after the excerpt: after the separator when
 * the source has one, else after the first paragraph (0 when there is none).
 */
export function excerptEnd(tree: Root, text: string, separator: string): number {
  const cut = findSeparator(tree, text, separator)
  if (cut !== undefined) {
    const index = tree.children.findIndex((node) => (range(node)?.[0] ?? -1) >= cut)
    if (index === -1) return tree.children.length
    const at = tree.children[index]
    return at?.type === 'comment' && range(at)?.[0] === cut ? index + 1 : index
  }
  const paragraph = tree.children.findIndex((node) => node.type === 'element' && node.tagName === 'p')
  return paragraph + 1
}

function firstParagraph(tree: Root): RootContent[] {
  const paragraph = tree.children.find((node) => node.type === 'element' && node.tagName === 'p')
  return paragraph ? [paragraph] : []
}

function isHeading(node: RootContent): node is Element {
  return node.type === 'element' && /^h[1-6]$/.test(node.tagName)
}

/** Drop whitespace-only text between the kept blocks, then re-join with newlines. */
function trimText(nodes: RootContent[]): RootContent[] {
  const out: RootContent[] = []
  for (const node of nodes) {
    if (node.type === 'text' && node.value.trim() === '') continue
    if (out.length > 0) out.push({type: 'text', value: '\n'})
    out.push(node)
  }
  return out
}

/** Start and end offsets of a node, when both are known (nodes made by plugins may have none). */
function range(node: RootContent): [number, number] | undefined {
  const from = node.position?.start?.offset
  const to = node.position?.end?.offset
  return from === undefined || to === undefined ? undefined : [from, to]
}
