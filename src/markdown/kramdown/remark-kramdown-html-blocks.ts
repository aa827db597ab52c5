import {fromMarkdown} from 'mdast-util-from-markdown'
import {shiftPositions} from './shift-positions.js'
import type {Nodes, Root, RootContent} from 'mdast'
import type {Point} from 'unist'
import type {Processor} from 'unified'
import type {VFile} from 'vfile'
import {location} from 'vfile-location'

/** kramdown's HTML_SPAN_ELEMENTS: a line starting with one of these starts a paragraph, not an HTML block. */
const spanElements: ReadonlySet<string> = new Set(
  'a abbr acronym b big bdo br button cite code del dfn em i img input ins kbd label mark option q rb rbc rp rt rtc ruby samp select small span strong sub sup tt u var'.split(' ')
)
/** kramdown's HTML_ELEMENTS_WITHOUT_BODY: their start tag is the whole element. */
const voidElements: ReadonlySet<string> = new Set('area base br col command embed hr img input keygen link meta param source track wbr'.split(' '))

/** kramdown's HTML_TAG_RE at the start of a line (up to 3 spaces before it); the attributes may span lines. */
const startTag = /^ {0,3}<([A-Za-z_:][\w:.-]*)((?:\s+[A-Za-z_:][\w:.-]*(?:\s*=\s*(?:[\p{L}\p{N}_]+|"[^"]*"|'[^']*'))?)*)\s*(\/)?>/u
/** kramdown's HTML_TAG_CLOSE_RE at the start of a line. */
const endTag = /^ {0,3}<\/([A-Za-z_:][\w:.-]*)\s*>/
/** A line that ends a kramdown paragraph because it starts with HTML (LAZY_END_HTML_START / _STOP): a tag of an element that is not a span element. */
const htmlLine = /^ {0,3}<\/?([A-Za-z_:][\w:.-]*)/

/**
 * kramdown's HTML blocks, where they differ from CommonMark's (kramdown
 * sites only). A parser wrapper (so it must come right after remark-parse,
 * before the plugins that wrap the parser in turn; what they re-parse,
 * `markdown="1"` content included, gets the same rules):
 * - a line that starts with the start tag of an element that is not a span
 *   element (`<div>`, `<figure>`, `<details>`, `<table>`, an unknown
 *   `<expr>`) starts an HTML block that ends with the element's own end tag
 *   (nested elements of the same name counted), across blank lines and
 *   lines indented as code, and not before it: what follows the end tag
 *   (the rest of its line, a `## heading` on the next line) is read as
 *   markdown again. CommonMark ends the block at the first blank line. An
 *   element that is never closed, which kramdown would let run to the end
 *   of the post as raw HTML, ends where CommonMark ends it (the markdown
 *   after it is read), with a warning (`kramdown-html`);
 * - a line that starts with a span element's tag (`<img>`, `<i>`, `<a>`,
 *   `<span>`, `<br>`) or with an end tag starts a paragraph, whose markdown
 *   is read: CommonMark would keep the lines up to the next blank line as
 *   raw HTML. The paragraph ends at a line that starts with a tag of
 *   another element, as kramdown's does. So does a line that starts with a
 *   start tag kramdown cannot read (`<div class=a/b>`: an unquoted value of
 *   more than word characters), which kramdown shows as text.
 * - a paragraph ends at a line that starts with a tag of an element that
 *   is not a span element (`text` then `<font size="-1">`): CommonMark
 *   lets a tag that cannot interrupt a paragraph run on in it.
 * Only top-level blocks are regrouped (inside lists and quotes CommonMark's
 * blocks stay). Re-read parts keep their positions in the file and see the
 * post's link definitions. No options.
 */
export function remarkKramdownHtmlBlocks(this: Processor) {
  const processor = this
  const parse = this.parser
  if (!parse) return

  /** CommonMark without HTML blocks: the lines of a kramdown paragraph that starts with a tag. */
  const parseParagraph = (text: string): Root =>
    fromMarkdown(text, {
      extensions: [...((processor.data('micromarkExtensions') ?? []) as never[]), {disable: {null: ['htmlFlow', 'kramdownLazyHtmlFlow']}}],
      mdastExtensions: (processor.data('fromMarkdownExtensions') ?? []) as never[]
    })

  const parser = (document: string, file: VFile): Root => {
    const tree = parse(document, file) as Root
    if (!document.includes('<')) return tree
    regroup(tree, document, file, (text) => parse(text, file) as Root, parseParagraph)
    return tree
  }
  this.parser = parser
}

type Parse = (text: string) => Root

function regroup(tree: Root, document: string, file: VFile, parseBlocks: Parse, parseParagraph: Parse): void {
  const children = tree.children
  let toPoint: ((offset: number) => Point | undefined) | undefined
  const pointAt = (offset: number): Point | undefined => (toPoint ??= location(document).toPoint)(offset)
  let definitions: string | undefined
  // The tags of each name, found in one pass over the document when first needed: an unclosed `<p>` costs a walk over `<p>` tags, not over the text.
  const tagsByName = new Map<string, NameTag[]>()
  const endTagOf = (name: string, from: number): number | undefined => {
    let list = tagsByName.get(name)
    if (!list) tagsByName.set(name, (list = tagsOf(document, name)))
    return matchingEndTag(list, from)
  }
  const definitionsText = (): string => (definitions ??= collectDefinitions(tree, document))

  /** `document[from, to)` read as markdown on its own, positions those of the document, with the post's definitions (links' and footnotes') known. */
  const reread = (from: number, to: number, read: Parse): RootContent[] => {
    const text = document.slice(from, to)
    if (text.trim() === '') return []
    const extra = text.includes('[') ? definitionsText() : ''
    const root = read(extra === '' ? text : text + '\n\n' + extra)
    const own = root.children.filter((child) => (child.position?.start.offset ?? 0) < text.length)
    shiftPositions(root, pointAt(from))
    return own
  }

  for (let index = 0; index < children.length; index++) {
    const node = children[index] as RootContent
    if (node.type === 'paragraph') {
      // kramdown ends a paragraph at a line that starts with a tag of an element that is not a span element (`<font>`, `<video>`), which CommonMark lets run on.
      const from = node.position?.start.offset
      const to = node.position?.end.offset
      const cut = from === undefined || to === undefined ? undefined : lazyHtmlEnd(document, from, to)
      if (cut === undefined) continue
      const paragraph = reread(from as number, cut, parseParagraph)
      children.splice(index, 1, ...paragraph, ...reread(cut, to as number, parseBlocks))
      index += paragraph.length - 1
      continue
    }
    if (node.type !== 'html') continue
    const start = node.position?.start.offset
    const nodeEnd = node.position?.end.offset
    if (start === undefined || nodeEnd === undefined || document.slice(start, nodeEnd) !== node.value) continue
    const rest = document.slice(start)
    const open = startTag.exec(rest)
    const close = open ? undefined : endTag.exec(rest)
    const name = (open?.[1] ?? close?.[1])?.toLowerCase()
    // A start tag kramdown cannot read (`<div class=a/b>`) is text in a paragraph to kramdown.
    const unreadable = name === undefined && /^ {0,3}<[A-Za-z]/.test(rest)
    if (name === undefined && !unreadable) continue

    if (close || unreadable || spanElements.has(name as string)) {
      // A paragraph, up to a line that starts with another element's tag.
      const firstLineEnd = nodeEnd > start ? document.indexOf('\n', start) : -1
      let paragraphEnd = nodeEnd
      if (firstLineEnd !== -1 && firstLineEnd < nodeEnd) {
        let at = firstLineEnd + 1
        while (at < nodeEnd) {
          const lineEnd = document.indexOf('\n', at)
          const line = document.slice(at, lineEnd === -1 || lineEnd > nodeEnd ? nodeEnd : lineEnd)
          const tag = htmlLine.exec(line)?.[1]?.toLowerCase()
          if (tag !== undefined && !spanElements.has(tag) && tag !== 'script') {
            paragraphEnd = at
            break
          }
          if (lineEnd === -1) break
          at = lineEnd + 1
        }
      }
      const paragraph = reread(start, paragraphEnd, parseParagraph)
      // What follows the paragraph is looked at in turn (it may open a block that runs past this node).
      children.splice(index, 1, ...paragraph, ...reread(paragraphEnd, nodeEnd, parseBlocks))
      index += paragraph.length - 1
      continue
    }

    const tagEnd = start + (open as RegExpExecArray)[0].length
    let end: number
    if (open?.[3] === '/' || voidElements.has(name as string)) end = tagEnd
    else {
      const found = endTagOf(name as string, tagEnd)
      if (found === undefined) {
        if (nodeEnd < document.length && document.slice(nodeEnd).trim() !== '') {
          const message = file.message(`\`<${open?.[1]}>\` is never closed: kramdown (Jekyll) would show the rest of the post as raw HTML; Galley reads the markdown after it, as CommonMark does (close it with \`</${open?.[1]}>\`)`, {
            place: node.position,
            ruleId: 'kramdown-html',
            source: 'galley'
          })
          message.fatal = false
        }
        continue
      }
      end = found
    }
    // The end tag's trailing spaces belong to the block; a line break and what follows are markdown again.
    while (document[end] === ' ' || document[end] === '\t') end++
    if (end === nodeEnd) continue
    let last = index
    let lastEnd = nodeEnd
    while (last + 1 < children.length && (children[last + 1]?.position?.start.offset ?? Infinity) < end) {
      last++
      lastEnd = Math.max(lastEnd, children[last]?.position?.end.offset ?? lastEnd)
    }
    if (end > lastEnd) end = lastEnd
    const html: RootContent = {type: 'html', value: document.slice(start, end)}
    const from = pointAt(start)
    const to = pointAt(end)
    if (from && to) html.position = {start: from, end: to}
    // What follows the end tag is looked at in turn: it may open a block that runs further.
    children.splice(index, last - index + 1, html, ...reread(end, lastEnd, parseBlocks))
  }
}

/** The offset of the first line after the first in `document[from, to)` that starts with a tag of an element that is not a span element (kramdown's LAZY_END_HTML_START and _STOP), if any. */
function lazyHtmlEnd(document: string, from: number, to: number): number | undefined {
  let at = document.indexOf('\n', from)
  while (at !== -1 && at + 1 < to) {
    const lineStart = at + 1
    const next = document.indexOf('\n', lineStart)
    const line = document.slice(lineStart, next === -1 || next > to ? to : next)
    const tag = htmlLine.exec(line)?.[1]?.toLowerCase()
    if (tag !== undefined && !spanElements.has(tag) && tag !== 'script') return lineStart
    at = next
  }
  return undefined
}

/** A tag of one name: where it starts and ends, and whether it closes, or opens an element with content. */
interface NameTag {
  readonly start: number
  readonly end: number
  readonly kind: 'open' | 'close' | 'self'
}

/** Every start and end tag of `name` in `document`, in order. */
function tagsOf(document: string, name: string): NameTag[] {
  const pattern = new RegExp(`<(/?)${name.replace(/[.]/g, '\\.')}(?=[\\s/>])(?:"[^"]*"|'[^']*'|[^'">])*?(/?)>`, 'gi')
  const found: NameTag[] = []
  for (const match of document.matchAll(pattern)) {
    found.push({start: match.index, end: match.index + match[0].length, kind: match[1] === '/' ? 'close' : match[2] === '/' ? 'self' : 'open'})
  }
  return found
}

/** Offset just past the end tag that closes the element whose start tag ends at `from` (same-name elements nest); undefined when there is none. */
function matchingEndTag(tags: readonly NameTag[], from: number): number | undefined {
  let low = 0
  let high = tags.length
  while (low < high) {
    const middle = (low + high) >> 1
    if ((tags[middle] as NameTag).start < from) low = middle + 1
    else high = middle
  }
  let depth = 1
  for (let index = low; index < tags.length; index++) {
    const tag = tags[index] as NameTag
    if (tag.kind === 'close') {
      depth--
      if (depth === 0) return tag.end
    } else if (tag.kind === 'open') depth++
  }
  return undefined
}

/** The source of every link definition in the tree, one a line, so a part read on its own resolves `[text][ref]` as the whole post does. */
function collectDefinitions(tree: Root, document: string): string {
  const found: string[] = []
  const visit = (node: Nodes) => {
    if (node.type === 'definition') {
      const start = node.position?.start.offset
      const end = node.position?.end.offset
      if (start !== undefined && end !== undefined) found.push(document.slice(start, end).replace(/^[ \t>]*/gm, ''))
    }
    // A footnote call is one only when its note is defined: a stand-in note is enough (it is dropped with the other definitions).
    if (node.type === 'footnoteDefinition') found.push(`\n[^${node.label ?? node.identifier}]: .\n`)
    if ('children' in node) for (const child of node.children) visit(child)
  }
  visit(tree)
  return found.join('\n')
}

