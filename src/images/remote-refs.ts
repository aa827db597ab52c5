import type {Element, Nodes as HastNodes} from 'hast'
import {fromHtml} from 'hast-util-from-html'
import type {Nodes as MdastNodes} from 'mdast'
import {fromMarkdown} from 'mdast-util-from-markdown'

/** A remote image a source refers to, and where (1-based line and column in the file). */
export interface RemoteRef {
  readonly url: string
  readonly line: number
  readonly column: number
}

/** `url(…)` in an inline style, quoted or not. */
const cssUrl = /url\(\s*(['"]?)((?:https?:)?\/\/[^'")\s]+)\1\s*\)/gi

/** An http(s) URL as fetched: protocol-relative ones (`//cdn/x.png`) are read as https. Undefined for anything else. */
export function remoteUrlOf(value: string): string | undefined {
  const trimmed = value.trim()
  if (/^https?:\/\/[^/\s]/i.test(trimmed)) return trimmed
  if (/^\/\/[^/\s]/.test(trimmed)) return 'https:' + trimmed
  return undefined
}

/**
 * Every remote image `text` (a post's file text, its front matter blanked so
 * positions hold) shows: markdown images and their reference definitions,
 * and in raw HTML `<img src>`, `srcset` of `<img>`/`<source>`, and `url()`
 * in inline styles; plus front-matter `image` at `imageLine`. In file order,
 * each URL once per place.
 */
export function findRemoteImages(text: string, format: 'markdown' | 'html', image?: {value: unknown; line: number}): RemoteRef[] {
  const found: RemoteRef[] = []
  const add = (value: string, line: number, column: number) => {
    const url = remoteUrlOf(value)
    if (url !== undefined) found.push({url, line, column})
  }
  if (image && typeof image.value === 'string') add(image.value, image.line, 1)
  if (!/(?:https?:)?\/\//i.test(text)) return found
  if (format === 'html') {
    fromHtmlRefs(text, 0, add)
  } else {
    const tree = fromMarkdown(text)
    const imageLabels = new Set<string>()
    walkMdast(tree, (node) => {
      if (node.type === 'imageReference') imageLabels.add(node.identifier)
    })
    walkMdast(tree, (node) => {
      const start = node.position?.start
      if (!start) return
      if (node.type === 'image') add(node.url, start.line, start.column)
      else if (node.type === 'definition' && imageLabels.has(node.identifier)) add(node.url, start.line, start.column)
      else if (node.type === 'html') fromHtmlRefs(node.value, start.line - 1, add)
    })
  }
  return found.sort((a, b) => a.line - b.line || a.column - b.column)
}

function fromHtmlRefs(html: string, lineOffset: number, add: (value: string, line: number, column: number) => void): void {
  if (!/(?:https?:)?\/\//i.test(html)) return
  const tree = fromHtml(html, {fragment: true})
  walkHast(tree, (node) => {
    const start = node.position?.start
    const line = (start?.line ?? 1) + lineOffset
    const column = start?.column ?? 1
    const properties = node.properties as Record<string, unknown>
    if (node.tagName === 'img' && typeof properties.src === 'string') add(properties.src, line, column)
    if (node.tagName === 'img' || node.tagName === 'source') {
      const srcset = properties.srcSet
      const candidates = Array.isArray(srcset) ? srcset.map(String) : typeof srcset === 'string' ? srcset.split(',') : []
      for (const candidate of candidates) add(candidate.trim().split(/\s+/)[0] ?? '', line, column)
    }
    if (typeof properties.style === 'string') for (const match of properties.style.matchAll(cssUrl)) add(match[2] ?? '', line, column)
  })
}

function walkMdast(node: MdastNodes, visit: (node: MdastNodes) => void): void {
  visit(node)
  if ('children' in node) for (const child of node.children) walkMdast(child, visit)
}

function walkHast(node: HastNodes, visit: (node: Element) => void): void {
  if (node.type === 'element') visit(node)
  if ('children' in node) for (const child of node.children) walkHast(child, visit)
  if (node.type === 'element' && node.tagName === 'template' && node.content) walkHast(node.content, visit)
}
