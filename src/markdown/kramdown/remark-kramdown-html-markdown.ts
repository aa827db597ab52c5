import {fromHtml} from 'hast-util-from-html'
import {shiftPositions} from './shift-positions.js'
import type {Html, Paragraph, Parent, PhrasingContent, Root, RootContent} from 'mdast'
import type {Processor} from 'unified'
import type {VFile} from 'vfile'
import {location} from 'vfile-location'
import {sourceMayHold} from '../source-check.js'
import './remark-kramdown-extensions.js'

/** Elements whose content kramdown reads as span-level markdown (its HTML_CONTENT_MODEL_SPAN); the rest as blocks. */
const spanElements = new Set('a abbr acronym b bdo big button cite caption del dfn dt em font h1 h2 h3 h4 h5 h6 i ins label legend optgroup p q rb rbc rp rt rtc ruby select small span strong sub sup th tt'.split(' '))
/** Elements kramdown reads as blocks when `parse_block_html` is on (its HTML_CONTENT_MODEL_BLOCK). */
const blockElements = new Set('address applet article aside blockquote body dd details div dl fieldset figure figcaption footer form header hgroup iframe li main map menu nav noscript object section summary td'.split(' '))

const openTag = /^(\s*)<([A-Za-z][\w-]*)((?:\s+[^\s=>/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*)\s*(\/?)>/
/** A start tag with a `markdown` attribute, anywhere in a text. */
const markedTag = /<([A-Za-z][\w-]*)(?=\s)(?:"[^"]*"|'[^']*'|[^'">])*?\smarkdown\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))(?:"[^"]*"|'[^']*'|[^'">])*>/gi
const markdownAttribute = /\s+markdown\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/i

type Mode = 'block' | 'span' | 'raw'

export interface KramdownHtmlMarkdownOptions {
  /** kramdown's `parse_block_html` for the whole site: every HTML block of a block element reads as `markdown="1"`. Default `false`. */
  readonly parseBlockHtml?: boolean
}

const emptyOptions: KramdownHtmlMarkdownOptions = Object.freeze({})

/**
 * kramdown's `markdown` attribute on an HTML block: `markdown="1"` reads the
 * element's content as markdown (blocks, or spans for elements such as `p`
 * and `h2`, as kramdown's content models say), `"block"` and `"span"` say
 * which, `"0"` keeps it raw; the attribute itself is never written out.
 * CommonMark ends an HTML block at a blank line, so content written without
 * blank lines sits inside the HTML node: it is re-parsed with the
 * processor's own parser (micromark extensions included; nested
 * `markdown="1"` elements are read in turn) and its positions moved to
 * where it is in the file. Content after blank lines is markdown already.
 * When `{::options parse_block_html="true" /}` came before
 * (`file.data.kramdownOptions`), kramdown's block elements read as
 * `markdown="1"`; with `parseBlockHtml` (the site's setting) they all do.
 */
export function remarkKramdownHtmlMarkdown(this: Processor, options: KramdownHtmlMarkdownOptions = emptyOptions) {
  const processor = this
  return function transform(tree: Root, file: VFile): void {
    const parseFrom = options.parseBlockHtml === true ? 0 : file.data.kramdownOptions?.parseBlockHtml
    if (!sourceMayHold(file, /markdown\s*=/i) && parseFrom === undefined) return
    const source = String(file.value ?? '')
    const toPoint = location(source).toPoint

    const walk = (parent: Parent) => {
      const children = parent.children as RootContent[]
      for (let index = 0; index < children.length; index++) {
        const child = children[index] as RootContent
        if (child.type !== 'html') {
          if ('children' in child) walk(child)
          continue
        }
        const replaced = expand(child, children, index)
        if (replaced) index += replaced - 1
      }
    }

    /** Rewrite the HTML node at `index` (and, for `markdown="0"`, siblings up to its end tag); returns how many nodes now stand for it. */
    const expand = (node: Html, siblings: RootContent[], index: number): number | undefined => {
      const tag = openTag.exec(node.value)
      if (!tag || tag[4] === '/') return splitAtMarked(node, siblings, index)
      const name = (tag[2] as string).toLowerCase()
      const attribute = markdownAttribute.exec(tag[3] ?? '')
      const start = node.position?.start.offset
      let mode: Mode | undefined
      if (attribute) mode = modeOf(attribute[1] ?? attribute[2] ?? attribute[3] ?? '', name)
      else if (parseFrom !== undefined && start !== undefined && start >= parseFrom && blockElements.has(name)) mode = modeOf('1', name)
      if (!mode) return splitAtMarked(node, siblings, index)
      const cleanTag = (tag[1] ?? '') + `<${tag[2]}${(tag[3] ?? '').replace(markdownAttribute, '')}>`
      const exact = start !== undefined && node.position?.end.offset !== undefined && source.slice(start, node.position.end.offset) === node.value
      const innerStart = tag[0].length
      const close = closingTag(node.value, name, innerStart, 1)
      const inner = node.value.slice(innerStart, close.index ?? node.value.length)
      const after = close.index === undefined ? '' : node.value.slice(close.index)

      if (mode === 'raw') {
        // Already raw inside this node; when blank lines split it, join the pieces back as written.
        node.value = cleanTag + node.value.slice(innerStart)
        if (close.index !== undefined || !exact) return 1
        let depth = close.depth
        for (let k = index + 1; k < siblings.length; k++) {
          const sibling = siblings[k] as RootContent
          if (sibling.type !== 'html') continue
          const found = closingTag(sibling.value, name, 0, depth)
          depth = found.depth
          if (found.index === undefined) continue
          const end = sibling.position?.end.offset
          if (end === undefined) return 1
          node.value = cleanTag + source.slice((start as number) + innerStart, end)
          if (node.position && sibling.position) node.position = {start: node.position.start, end: sibling.position.end}
          siblings.splice(index + 1, k - index)
          return 1
        }
        return 1
      }

      const parsed = inner.trim() === '' ? [] : parseInner(inner, mode, exact ? (start as number) + innerStart : undefined)
      // Spans closed in the same node: the element itself, holding them, so nothing is put between its spans
      // (an element HTML parses only in context, such as `th`, stays raw around them).
      const element = mode === 'span' && close.index !== undefined ? fromHtml(cleanTag, {fragment: true}).children.find((child) => child.type === 'element') : undefined
      if (element?.type === 'element' && close.index !== undefined) {
        const end = close.index + (/^<\/[^>]*>/.exec(after)?.[0].length ?? 0)
        const own: Paragraph = {type: 'paragraph', children: parsed as unknown as PhrasingContent[], data: {hName: name, hProperties: element.properties}}
        if (node.position && exact) own.position = {start: node.position.start, end: toPoint((start as number) + end) ?? node.position.end}
        const rest = node.value.slice(end)
        const parts: RootContent[] = [own]
        if (rest.trim() !== '') {
          const tail: Html = {type: 'html', value: rest}
          if (node.position && exact) tail.position = {start: toPoint((start as number) + end) ?? node.position.start, end: node.position.end}
          parts.push(tail)
        }
        siblings.splice(index, 1, ...parts)
        const more = parts.length > 1 ? expand(parts[1] as Html, siblings, index + 1) : undefined
        return parts.length - 1 + (more ?? 1)
      }
      const opening: Html = {type: 'html', value: cleanTag}
      const parts: RootContent[] = [opening, ...parsed]
      if (node.position && exact) opening.position = {start: node.position.start, end: toPoint((start as number) + innerStart) ?? node.position.end}
      if (after !== '') {
        const closing: Html = {type: 'html', value: after}
        if (node.position && exact) closing.position = {start: toPoint((start as number) + (close.index as number)) ?? node.position.start, end: node.position.end}
        parts.push(closing)
      }
      siblings.splice(index, 1, ...parts)
      // The closing part may open another marked element: look at it too.
      const last = parts[parts.length - 1] as RootContent
      const more = last !== opening && last.type === 'html' ? expand(last, siblings, index + parts.length - 1) : undefined
      return parts.length - 1 + (more ?? 1)
    }

    /**
     * kramdown reads a marked element inside a raw one (`<div>` … `<div markdown="1">`) as marked too: the
     * node is cut before the marked start tag, and the part from there is expanded in turn.
     */
    const splitAtMarked = (node: Html, siblings: RootContent[], index: number): number | undefined => {
      if (!/markdown\s*=/i.test(node.value)) return undefined
      // Tags in comments, scripts and styles are no tags.
      const masked = node.value.replace(/<!--[\s\S]*?(?:-->|$)|<(script|style|textarea)\b[\s\S]*?(?:<\/\1\s*>|$)/gi, (text) => ' '.repeat(text.length))
      markedTag.lastIndex = 1
      let found: RegExpExecArray | null
      while ((found = markedTag.exec(masked))) {
        if (modeOf(found[2] ?? found[3] ?? found[4] ?? '', (found[1] as string).toLowerCase())) break
      }
      if (!found) return undefined
      const start = node.position?.start.offset
      const exact = start !== undefined && node.position?.end.offset !== undefined && source.slice(start, node.position.end.offset) === node.value
      const rest: Html = {type: 'html', value: node.value.slice(found.index)}
      if (exact && node.position) {
        const cut = toPoint(start + found.index)
        if (cut) rest.position = {start: cut, end: node.position.end}
        node.position = cut ? {start: node.position.start, end: cut} : node.position
      } else delete node.position
      node.value = node.value.slice(0, found.index)
      siblings.splice(index + 1, 0, rest)
      return 1 + (expand(rest, siblings, index + 1) ?? 1)
    }

    /** The inner text as mdast, positions moved to `offset` in the file (dropped when the text is not the file's as written). */
    const parseInner = (inner: string, mode: 'block' | 'span', offset: number | undefined): RootContent[] => {
      const root = processor.parse(inner) as Root
      const base = offset === undefined ? undefined : toPoint(offset)
      shiftPositions(root, base)
      walk(root)
      if (mode === 'span') {
        return root.children.flatMap((child) => (child.type === 'paragraph' ? (child.children as unknown as RootContent[]) : [child]))
      }
      return root.children
    }

    walk(tree)
  }
}

function modeOf(value: string, element: string): Mode | undefined {
  switch (value.toLowerCase()) {
    case '1':
      return spanElements.has(element) ? 'span' : 'block'
    case 'block':
      return 'block'
    case 'span':
      return 'span'
    case '0':
      return 'raw'
    default:
      return undefined
  }
}

/** Where the end tag of `name` that closes the element open `depth` deep is, in `text` from `from`; else the depth reached. */
function closingTag(text: string, name: string, from: number, depth: number): {index: number | undefined; depth: number} {
  const tags = new RegExp(`<(/?)${name}(?=[\\s/>])[^>]*?(/?)>`, 'gi')
  tags.lastIndex = from
  let match: RegExpExecArray | null
  while ((match = tags.exec(text))) {
    if (match[1] === '/') {
      depth--
      if (depth === 0) return {index: match.index, depth}
    } else if (match[2] !== '/') depth++
  }
  return {index: undefined, depth}
}

