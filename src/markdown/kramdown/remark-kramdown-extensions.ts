import type {Html, Nodes, Parent, Root, RootContent, Text} from 'mdast'
import type {Position} from 'unist'
import type {Processor} from 'unified'
import type {VFile} from 'vfile'
import {location} from 'vfile-location'
import {parseAttributeList} from './attribute-list.js'

declare module 'vfile' {
  interface DataMap {
    /**
     * kramdown options a post set with `{::options … /}` that later plugins
     * honour: `parseBlockHtml` is the offset from which HTML blocks are read
     * as if marked `markdown="1"` (undefined: never).
     */
    kramdownOptions: {parseBlockHtml?: number | undefined}
  }
}

/** One `{::name …}…{:/}` (or `{::name … /}`) found in the source, outside code. */
interface Extension {
  readonly name: 'comment' | 'nomarkdown' | 'options'
  readonly attributes: string
  readonly start: number
  readonly end: number
  /** What lies between the tags, as written ('' for the `/}` form). */
  readonly content: string
  /** Written on lines of its own (a block), else inside a line (a span). */
  readonly block: boolean
}

/** Stands in for every character of a span extension while CommonMark reads the line (private use, so it is plain text). */
const SPAN_MARK = '\uE000'

const opener = /\{::(comment|nomarkdown|options)((?:\\\}|[^}])*?)(\/)?\}/g
const closer = /\{:\/(comment|nomarkdown|options)?\}/g

/**
 * kramdown's extensions, read around the parser (a plugin that wraps
 * remark-parse's parser, so it must come after it; the wrapped parser is
 * also what re-parses `markdown="1"` content):
 * - `{::comment}…{:/}` is dropped;
 * - `{::nomarkdown}…{:/}` keeps its content as written (raw HTML, no
 *   markdown read in it), a block on lines of its own, else inline;
 * - `{::options key="value" /}` is dropped; `parse_block_html="true"` is
 *   honoured from there on (`file.data.kramdownOptions.parseBlockHtml`, read
 *   by remark-kramdown-html-markdown); `auto_ids` needs nothing (headings
 *   always get ids); any other option is ignored with a warning
 *   (`kramdown-extension`).
 * The extension's text is blanked before parsing (block: spaces, so a blank
 * line; span: a private-use mark) with every line kept, so all positions
 * stay those of the file. Fenced code and code spans are left alone; an
 * extension never closed stays text, with a warning. No options.
 */
export function remarkKramdownExtensions(this: Processor) {
  const parse = this.parser
  if (!parse) return
  this.parser = function (document: string, file: VFile): Root {
    if (!document.includes('{::')) return parse(document, file) as Root
    const extensions = findExtensions(document, file)
    if (extensions.length === 0) return parse(document, file) as Root
    let blanked = ''
    let at = 0
    for (const extension of extensions) {
      const region = document.slice(extension.start, extension.end)
      blanked += document.slice(at, extension.start) + region.replace(/[^\n]/g, extension.block ? ' ' : SPAN_MARK)
      at = extension.end
    }
    blanked += document.slice(at)
    const tree = parse(blanked, file) as Root
    const toPoint = location(document).toPoint
    const positionOf = (start: number, end: number): Position | undefined => {
      const from = toPoint(start)
      const to = toPoint(end)
      return from && to ? {start: from, end: to} : undefined
    }
    const spans: Extension[] = []
    for (const extension of extensions) {
      if (extension.name === 'options') readOptions(extension, file, positionOf(extension.start, extension.end))
      if (!extension.block) spans.push(extension)
      else if (extension.name === 'nomarkdown') insertBlock(tree, {type: 'html', value: extension.content.replace(/^[ \t]*\n/, '').replace(/\n[ \t]*$/, ''), position: positionOf(extension.start, extension.end)}, extension)
    }
    if (spans.length > 0) replaceSpans(tree, spans, document, positionOf)
    return tree
  }
}

/** The extensions in `document`, in order, outside fenced code and code spans. */
function findExtensions(document: string, file: VFile): Extension[] {
  const fences = fencedRanges(document)
  const found: Extension[] = []
  opener.lastIndex = 0
  let match: RegExpExecArray | null
  while ((match = opener.exec(document))) {
    const start = match.index
    if (fences.some(([from, to]) => start >= from && start < to) || document[start - 1] === '`') continue
    const name = match[1] as Extension['name']
    const attributes = match[2] ?? ''
    let end = opener.lastIndex
    let content = ''
    if (match[3] === undefined) {
      closer.lastIndex = end
      const close = closer.exec(document)
      if (!close || (close[1] !== undefined && close[1] !== name)) {
        const place = location(document).toPoint(start)
        const message = file.message(`\`{::${name}}\` is never closed with \`{:/}\`; kept as text`, {place, ruleId: 'kramdown-extension', source: 'galley'})
        message.fatal = false
        continue
      }
      content = document.slice(end, close.index)
      end = closer.lastIndex
    }
    const lineStart = document.lastIndexOf('\n', start - 1) + 1
    const lineEnd = document.indexOf('\n', end) === -1 ? document.length : document.indexOf('\n', end)
    const block = /^[ \t]{0,3}$/.test(document.slice(lineStart, start)) && document.slice(end, lineEnd).trim() === ''
    found.push({name, attributes, start, end, content, block})
    opener.lastIndex = end
  }
  return found
}

/** Offsets `[start, end)` of fenced code blocks (``` or ~~~, closed by a fence as long), where extensions are code. */
function fencedRanges(document: string): Array<[number, number]> {
  const ranges: Array<[number, number]> = []
  const fence = /^[ \t]{0,3}(`{3,}|~{3,})/
  let open: {mark: string; start: number} | undefined
  let offset = 0
  for (const line of document.split('\n')) {
    const match = fence.exec(line)
    if (open) {
      if (match && (match[1] as string)[0] === open.mark[0] && (match[1] as string).length >= open.mark.length && line.trim() === match[1]) {
        ranges.push([open.start, offset + line.length])
        open = undefined
      }
    } else if (match) open = {mark: match[1] as string, start: offset}
    offset += line.length + 1
  }
  if (open) ranges.push([open.start, document.length])
  return ranges
}

function readOptions(extension: Extension, file: VFile, place: Position | undefined): void {
  const list = parseAttributeList(extension.attributes)
  const ignored: string[] = [...list.refs, ...list.classes.map((name) => '.' + name)]
  for (const [key, value] of list.attributes) {
    if (key === 'parse_block_html') {
      const options = (file.data.kramdownOptions ??= {})
      options.parseBlockHtml = value === 'true' ? (options.parseBlockHtml ?? extension.end) : undefined
    } else if (key !== 'auto_ids' || value !== 'true') ignored.push(`${key}="${value}"`)
  }
  if (ignored.length > 0) {
    const message = file.message(`kramdown option${ignored.length > 1 ? 's' : ''} ${ignored.map((name) => `\`${name}\``).join(', ')} ignored (Galley honours \`parse_block_html\` and \`auto_ids="true"\`)`, {place, ruleId: 'kramdown-extension', source: 'galley'})
    message.fatal = false
  }
}

/** Put a block where the blank lines are: into the innermost node around it, before the first child after it. */
function insertBlock(tree: Root, node: Html, extension: Extension): void {
  if (node.value === '') return
  const around = (parent: Parent) =>
    (parent.children as RootContent[]).find((child): child is Extract<RootContent, Parent> => 'children' in child && (child.position?.start.offset ?? Infinity) < extension.start && (child.position?.end.offset ?? -1) > extension.end)
  let parent: Parent = tree
  let inner = around(parent)
  while (inner) {
    parent = inner
    inner = around(parent)
  }
  const children = parent.children as RootContent[]
  const index = children.findIndex((child) => (child.position?.start.offset ?? -1) >= extension.end)
  children.splice(index === -1 ? children.length : index, 0, node)
}

/**
 * Put back what the marks of span extensions stand for, the k-th mark run of
 * a node being the k-th span extension inside it: in text, nothing for
 * comments and options, the content as inline HTML for nomarkdown; in raw
 * HTML, the same as text; in code (which extensions do not touch), the
 * extension as written.
 */
function replaceSpans(tree: Root, spans: Extension[], document: string, positionOf: (start: number, end: number) => Position | undefined): void {
  const run = /\uE000[\uE000\n]*\uE000|\uE000/g
  const inside = (node: Nodes) => {
    const from = node.position?.start.offset ?? -1
    const to = node.position?.end.offset ?? -1
    return spans.filter((span) => span.start >= from && span.end <= to)
  }
  const walk = (node: Nodes) => {
    if (!('children' in node)) return
    const children = node.children as Nodes[]
    for (let index = 0; index < children.length; index++) {
      const child = children[index] as Nodes
      if ('children' in child) {
        walk(child)
        continue
      }
      if (!('value' in child) || !child.value.includes(SPAN_MARK)) continue
      const own = inside(child)
      let k = 0
      if (child.type !== 'text') {
        child.value = child.value.replace(run, () => {
          const span = own[k++]
          if (!span) return ''
          if (child.type !== 'html') return document.slice(span.start, span.end)
          return span.name === 'nomarkdown' ? span.content : ''
        })
        continue
      }
      const parts: Nodes[] = []
      // The marks stand for as many characters as they replace: a text read as written keeps exact positions.
      const from = child.position?.start.offset
      const exact = from !== undefined && child.position?.end.offset === from + child.value.length
      const text = (start: number, end: number): Text => {
        const part: Text = {type: 'text', value: child.value.slice(start, end)}
        const position = exact ? positionOf(from + start, from + end) : undefined
        if (position) part.position = position
        return part
      }
      let last = 0
      for (const match of child.value.matchAll(run)) {
        const span = own[k++]
        if (match.index > last) parts.push(text(last, match.index))
        if (span?.name === 'nomarkdown') parts.push({type: 'html', value: span.content, position: positionOf(span.start, span.end)} as Html)
        last = match.index + match[0].length
      }
      if (last < child.value.length) parts.push(text(last, child.value.length))
      children.splice(index, 1, ...parts)
      index += parts.length - 1
    }
  }
  walk(tree)
}
