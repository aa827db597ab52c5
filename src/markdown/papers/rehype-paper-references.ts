import type {Element, ElementContent, Root, Text} from 'hast'
import type {VFile} from 'vfile'
import {sourceMayHold} from '../source-check.js'
import {visit, SKIP} from '../walk.js'
import {PAPER_HOSTS, paperLinkOf, type PaperLink} from './paper-id.js'
import {readReference, type Span} from './reference-line.js'

/** One link to a paper in a post, as plain data (it crosses the worker boundary and feeds the papers index). */
export interface PaperMention {
  readonly id: string
  readonly href: string
  readonly form: PaperLink['form']
  readonly pdf: string
  readonly month: string | undefined
  readonly invalid: string | undefined
  /** The title the post gives: the reference line's, or the link's own text when it is no URL. */
  readonly title: string | undefined
  /** Whether the title comes from a reference line (`Title by Authors (date), URL`). */
  readonly reference: boolean
  readonly line: number | undefined
  readonly column: number | undefined
}

declare module 'vfile' {
  interface DataMap {
    /** Every link to a paper, in document order. */
    papers: PaperMention[]
  }
}

/**
 * Recognise links to papers anywhere in a post (see paper-id.ts) and record
 * them on `file.data.papers`; and mark up reading-list lines
 * (`Title by Authors (date), URL`, `Title, Authors (date), URL`,
 * `Authors. Title. URL`) without changing their text: the title in `<cite>`
 * linked to the paper, authors and date in their own spans, and a badge
 * (an empty link whose label the stylesheet shows) to the PDF. A post whose
 * source names no paper host is skipped.
 */
export function rehypePaperReferences() {
  return function transform(tree: Root, file: VFile): void {
    if (!sourceMayHold(file, PAPER_HOSTS)) return
    const papers: PaperMention[] = []
    const marked = new Set<Element>()
    visit(tree, 'element', (node) => {
      if (node.tagName === 'code' || node.tagName === 'pre') return SKIP
      if (node.tagName === 'p' || node.tagName === 'li') markLines(node, papers, marked)
      if (node.tagName === 'a' && !marked.has(node)) {
        const mention = mentionOf(node, undefined)
        if (mention) papers.push(mention)
      }
      return undefined
    })
    papers.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0))
    if (papers.length > 0) file.data.papers = papers
  }
}

function mentionOf(link: Element, title: string | undefined): PaperMention | undefined {
  const href = link.properties.href
  if (typeof href !== 'string') return undefined
  const paper = paperLinkOf(href)
  if (!paper) return undefined
  const text = textOf(link).trim()
  const own = title ?? (text !== '' && !/^(?:https?:\/\/|www\.)/i.test(text) ? text : undefined)
  const start = link.position?.start
  return {id: paper.id, href, form: paper.form, pdf: paper.pdf, month: paper.month, invalid: paper.invalid, title: own, reference: title !== undefined, line: start?.line, column: start?.column}
}

/**
 * Split a block's children into lines (at `\n` in text) and mark up each
 * line that is one text node followed by a paper link (and nothing but
 * punctuation after it).
 */
function markLines(block: Element, papers: PaperMention[], marked: Set<Element>): void {
  if (!block.children.some((child) => child.type === 'element' && child.tagName === 'a')) return
  const out: ElementContent[] = []
  let line: ElementContent[] = []
  const flush = () => {
    out.push(...markLine(line, papers, marked))
    line = []
  }
  for (const child of block.children) {
    if (child.type === 'text' && child.value.includes('\n')) {
      const pieces = child.value.split('\n')
      pieces.forEach((piece, index) => {
        if (index > 0) {
          flush()
          out.push({type: 'text', value: '\n'})
        }
        if (piece !== '') line.push({type: 'text', value: piece, ...(child.position ? {position: child.position} : {})})
      })
    } else line.push(child)
  }
  flush()
  if (marked.size > 0) block.children = mergeTexts(out)
}

function markLine(line: ElementContent[], papers: PaperMention[], marked: Set<Element>): ElementContent[] {
  const linkAt = line.findIndex((node) => node.type === 'element' && node.tagName === 'a')
  if (linkAt !== 1 || line[0]?.type !== 'text') return line
  const trailing = line.slice(2)
  if (!trailing.every((node) => node.type === 'text' && /^[\s.;]*$/.test(node.value))) return line
  const link = line[1] as Element
  const href = link.properties.href
  const paper = typeof href === 'string' ? paperLinkOf(href) : undefined
  if (!paper || typeof href !== 'string') return line
  const text = (line[0] as Text).value
  const parts = readReference(text)
  if (!parts) return line
  const title = slice(text, parts.title)
  const mention = mentionOf(link, title)
  if (!mention) return line
  papers.push(mention)
  marked.add(link)
  // Links made here are this mention's, not links of their own.
  const own = (made: Element): Element => {
    marked.add(made)
    return made
  }
  // The pieces of the text in order, each either plain or wrapped; together they are `text` exactly.
  const wrapped = [
    {span: parts.title, make: (value: string) => el('cite', {}, [own(el('a', {href}, [txt(value)]))])},
    {span: parts.authors, make: (value: string) => el('span', {className: ['paper-authors']}, [txt(value)])},
    ...(parts.date ? [{span: parts.date, make: (value: string) => el('span', {className: ['paper-date']}, [txt(value)])}] : [])
  ].sort((a, b) => a.span.start - b.span.start)
  const children: ElementContent[] = []
  let at = 0
  for (const {span, make} of wrapped) {
    if (span.start > at) children.push(txt(text.slice(at, span.start)))
    children.push(make(slice(text, span)))
    at = span.end
  }
  if (at < text.length) children.push(txt(text.slice(at)))
  const badge = own(el('a', {className: ['paper-badge'], href: paper.pdf, 'aria-label': `${paper.id} (PDF)`, dataLabel: paper.id}, []))
  const ref = el('span', {className: ['paper-ref'], dataPaperId: paper.id}, [...children, link, badge])
  if (link.position) ref.position = link.position
  return [ref, ...trailing]
}

function slice(text: string, span: Span): string {
  return text.slice(span.start, span.end)
}

function el(tagName: string, properties: Element['properties'], children: ElementContent[]): Element {
  return {type: 'element', tagName, properties, children}
}

function txt(value: string): Text {
  return {type: 'text', value}
}

/** Adjacent text nodes joined again (the line split made them). */
function mergeTexts(nodes: ElementContent[]): ElementContent[] {
  const out: ElementContent[] = []
  for (const node of nodes) {
    const last = out[out.length - 1]
    if (node.type === 'text' && last?.type === 'text') out[out.length - 1] = {...last, value: last.value + node.value}
    else out.push(node)
  }
  return out
}

function textOf(node: ElementContent): string {
  if (node.type === 'text') return node.value
  if (node.type === 'element') return node.children.map(textOf).join('')
  return ''
}
