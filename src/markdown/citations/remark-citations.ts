import type {Html, Parent, PhrasingContent, Root, Text} from 'mdast'
import type {VFile} from 'vfile'
import {sourceMayHold} from '../source-check.js'
import {entriesFor, type CitationLibrary} from './library.js'

export interface RemarkCitationsOptions {
  /** The build's bibliographies; without one (or with no entry for this post) nothing is read as a citation. */
  readonly library?: CitationLibrary | undefined
}

const emptyOptions: RemarkCitationsOptions = {}

/** One cited item: `[see @key, p. 3]` → prefix `see`, key, locator `p. 3`; `[-@key]` suppresses the author. */
export interface CiteItem {
  readonly key: string
  readonly prefix?: string
  readonly locator?: string
  readonly suppressAuthor?: boolean
}

const KEY = String.raw`[\p{L}\p{N}_][\p{L}\p{N}_:.#$%&+?<>~/-]*`
const GROUP = /\[((?:[^[\]]*?[\s;])?-?@[^[\]]*)\]/gu
const ITEM = new RegExp(String.raw`^\s*(.*?)(?:^|\s)(-?)@(${KEY}?)(?:,\s*(.*?))?\s*$`, 'su')
const BARE = new RegExp(String.raw`(?<![\p{L}\p{N}_@.\-/])@(${KEY})`, 'gu')

/**
 * Pandoc's (and Quarto's) citation syntax: `[@key]`, `[@key, p. 3]`,
 * `[see @a; @b]`, `[-@key]`, and `@key` in running text. Each becomes a
 * Distill `<d-cite key="…">` element (raw HTML, read by rehype-raw), so
 * rehype-citations formats both syntaxes the same way.
 *
 * A bare `@key` counts only when the key is in the post's bibliography, so
 * `@mentions` and e-mail addresses stay text; a bracketed one always counts
 * (an unknown key is then reported, with the closest ones). Code, links and
 * HTML are left alone. A post without a bibliography, or without an `@`, is
 * skipped.
 */
export function remarkCitations(options: RemarkCitationsOptions = emptyOptions) {
  const library = options.library
  return function transform(tree: Root, file: VFile): void {
    if (!library || !sourceMayHold(file, '@')) return
    const keys = entriesFor(library, file.data.matter ?? {}, file.path)
    if (keys.size === 0) return
    walk(tree, keys)
  }
}

function walk(parent: Parent, keys: ReadonlyMap<string, unknown>): void {
  for (let index = 0; index < parent.children.length; index++) {
    const child = parent.children[index] as Parent['children'][number]
    if (child.type === 'text') {
      const replaced = splitText(child, keys)
      if (replaced) {
        parent.children.splice(index, 1, ...(replaced as never[]))
        index += replaced.length - 1
      }
      continue
    }
    if (child.type === 'link' || child.type === 'linkReference' || child.type === 'inlineCode' || child.type === 'code' || child.type === 'html' || child.type === 'definition') continue
    if ('children' in child) walk(child as Parent, keys)
  }
}

interface Found {
  readonly start: number
  readonly end: number
  readonly items: CiteItem[]
  readonly bracketed: boolean
}

function splitText(node: Text, keys: ReadonlyMap<string, unknown>): PhrasingContent[] | undefined {
  const text = node.value
  if (!text.includes('@')) return undefined
  const found: Found[] = []
  for (const match of text.matchAll(GROUP)) {
    const items = (match[1] as string).split(';').map(parseItem)
    if (items.every((item): item is CiteItem => item !== undefined)) found.push({start: match.index, end: match.index + match[0].length, items, bracketed: true})
  }
  for (const match of text.matchAll(BARE)) {
    const key = (match[1] as string).replace(/[.:?]+$/, '')
    const start = match.index
    if (found.some((group) => start >= group.start && start < group.end) || !keys.has(key)) continue
    found.push({start, end: start + 1 + key.length, items: [{key}], bracketed: false})
  }
  if (found.length === 0) return undefined
  found.sort((a, b) => a.start - b.start)
  const out: PhrasingContent[] = []
  let at = 0
  for (const cite of found) {
    if (cite.start > at) out.push({type: 'text', value: text.slice(at, cite.start)})
    const html: Html = {type: 'html', value: citeElement(cite.items, cite.bracketed)}
    const position = positionAt(node, cite.start, cite.end)
    if (position) html.position = position
    out.push(html)
    at = cite.end
  }
  if (at < text.length) out.push({type: 'text', value: text.slice(at)})
  return out
}

function parseItem(raw: string): CiteItem | undefined {
  const match = ITEM.exec(raw)
  if (!match || !match[3]) return undefined
  const key = (match[3] as string).replace(/[.:?]+$/, '')
  const prefix = (match[1] as string).trim()
  const locator = match[4]?.trim()
  return {key, ...(prefix ? {prefix} : {}), ...(locator ? {locator} : {}), ...(match[2] === '-' ? {suppressAuthor: true} : {})}
}

function citeElement(items: readonly CiteItem[], bracketed: boolean): string {
  const key = items.map((item) => item.key).join(',')
  const extra = items.some((item) => item.prefix || item.locator || item.suppressAuthor) ? ` data-items="${attribute(JSON.stringify(items))}"` : ''
  return `<d-cite key="${attribute(key)}"${extra}${bracketed ? '' : ' data-in-text=""'}></d-cite>`
}

function attribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/** The position of `[start, end)` of a text node's value, counting the lines it spans. */
function positionAt(node: Text, start: number, end: number): Html['position'] {
  const from = node.position?.start
  if (!from || from.offset === undefined) return undefined
  const point = (offset: number) => {
    const before = node.value.slice(0, offset)
    const lines = before.split('\n')
    const line = from.line + lines.length - 1
    const column = lines.length === 1 ? from.column + offset : (lines[lines.length - 1] as string).length + 1
    return {line, column, offset: (from.offset as number) + offset}
  }
  return {start: point(start), end: point(end)}
}
