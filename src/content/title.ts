import type {Element, Root, RootContent} from 'hast'
import {fromHtml} from 'hast-util-from-html'
import {sanitize, type Schema} from 'hast-util-sanitize'
import {toHtml} from 'hast-util-to-html'

/** A title as the author wrote it (it may hold inline HTML), in the two forms pages need. */
export interface Title {
  /** Safe inline HTML for headings: `<br>`, emphasis, code… kept; scripts, handlers and block tags gone. */
  readonly html: string
  /** Plain text, whitespace collapsed, for `<title>`, meta tags and feeds. */
  readonly text: string
}

/** Inline elements a title may keep; everything else is unwrapped to its text. */
const inlineTags = ['a', 'abbr', 'b', 'br', 'cite', 'code', 'del', 'em', 'i', 'ins', 'kbd', 'mark', 'q', 's', 'small', 'span', 'strong', 'sub', 'sup', 'u', 'wbr']

const schema: Schema = {
  tagNames: inlineTags,
  attributes: {a: ['href', 'title'], abbr: ['title'], '*': ['lang', 'dir']},
  protocols: {href: ['http', 'https', 'mailto']},
  strip: ['script', 'style', 'template', 'iframe', 'object', 'embed', 'noscript', 'textarea', 'title'],
  ancestors: {},
  clobber: [],
  clobberPrefix: '',
  required: {}
}

/** Turn a front-matter title (text that may hold inline HTML) into safe HTML and plain text. */
export function parseTitle(raw: string): Title {
  const tree = sanitize(fromHtml(raw, {fragment: true}), schema) as Root
  return {html: toHtml(tree).trim(), text: collapse(plainText(tree))}
}

/** Plain text of an HTML fragment; `<br>` and block boundaries become spaces. */
export function htmlToText(html: string): string {
  return collapse(plainText(fromHtml(html, {fragment: true})))
}

function plainText(node: Root | RootContent): string {
  if (node.type === 'text') return node.value
  if (node.type === 'element' && isBreak(node)) return ' '
  if (node.type === 'element' && (node.tagName === 'script' || node.tagName === 'style')) return ''
  if ('children' in node) {
    const inner = node.children.map((child) => plainText(child)).join('')
    return node.type === 'element' && blockTags.has(node.tagName) ? ` ${inner} ` : inner
  }
  return ''
}

const blockTags = new Set(['p', 'div', 'li', 'ul', 'ol', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'figure', 'figcaption', 'pre', 'table', 'tr', 'td', 'th', 'section', 'article'])

function isBreak(node: Element): boolean {
  return node.tagName === 'br' || node.tagName === 'hr'
}

/** Collapse runs of whitespace into single spaces and trim. */
export function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}
