import type {Element, ElementContent, Root, RootContent, Text} from 'hast'
import {toHtml} from 'hast-util-to-html'
import {htmlTagNames} from 'html-tag-names'
import type {Point, Position} from 'unist'
import type {VFile} from 'vfile'

/** Every HTML element name, obsolete ones included (`center`, `font`, `marquee`). */
const htmlElements: ReadonlySet<string> = new Set(htmlTagNames)

/**
 * Elements that may hold text directly where markdown would write paragraphs
 * (the root and `blockquote`): text shown there is put in a `<p>` of its own.
 */
const paragraphContainers: ReadonlySet<string> = new Set(['blockquote'])

/** Phrasing content (HTML spec), which may go inside that `<p>`. */
const phrasing: ReadonlySet<string> = new Set([
  'a', 'abbr', 'b', 'bdi', 'bdo', 'br', 'cite', 'code', 'data', 'del', 'dfn', 'em', 'i', 'img', 'input', 'ins', 'kbd',
  'label', 'mark', 'q', 'ruby', 's', 'samp', 'small', 'span', 'strong', 'sub', 'sup', 'time', 'u', 'var', 'wbr'
])

/**
 * Show words in angle brackets that are not HTML (`a special token <RET>
 * when`, `<eos>`, `<think>…</think>`, `foo<T>`) as the author typed them.
 *
 * Markdown passes `<RET>` through as raw HTML, and the HTML parser makes it
 * an unknown element `ret` that hides the word and swallows the text after
 * it, up to the end of its paragraph (or of the post, when it stands alone
 * on a line). Here each such element becomes the text of its opening tag,
 * taken from the source so it keeps its case (`<RET>`, not `<ret>`), then
 * its content in its place, then the text of its closing tag if the source
 * has one. It is prose, not a mistake: no message.
 *
 * Left as elements: HTML elements (`s`, `center`, `font` too), everything
 * inside `<svg>` and `<math>`, custom elements (`<my-widget>`, names with a
 * hyphen), and unknown elements used as block markup: the opening tag
 * starts a line outside any paragraph and the closing tag starts a line too
 * (`<appendix>` … `</appendix>` that a theme's script styles); with
 * `inlineAsElements` (kramdown sites), also those written inside a line,
 * which kramdown keeps as elements.
 */
export interface StrayTagsOptions {
  /**
   * Leave unknown elements written inside a line (`the <expr> token`) as
   * elements, as kramdown (Jekyll) does: the tag is not shown, what follows
   * it is. For kramdown sites. Default `false`.
   */
  readonly inlineAsElements?: boolean
}

const emptyOptions: StrayTagsOptions = Object.freeze({})

export function rehypeStrayTags(options: StrayTagsOptions = emptyOptions) {
  return function transform(tree: Root, file: VFile): void {
    const source = file.value === undefined ? undefined : String(file.value)
    walk(tree, source, options.inlineAsElements === true)
  }
}

function walk(parent: Root | Element, source: string | undefined, inlineAsElements: boolean): void {
  const children: Array<RootContent | ElementContent> = parent.children
  let index = 0
  while (index < children.length) {
    const child = children[index]
    if (child === undefined || child.type !== 'element') {
      index++
      continue
    }
    if (child.tagName === 'svg' || child.tagName === 'math') {
      index++
      continue
    }
    if (isStray(child, parent, source) && !(inlineAsElements && isInline(child, source))) {
      const replacement = unwrap(child, parent, source)
      children.splice(index, 1, ...replacement)
      // Go on from the first new node: the hoisted content may hold stray tags too.
      continue
    }
    walk(child, source, inlineAsElements)
    index++
  }
}

/** Whether `node` is an unknown element to show as text. */
function isStray(node: Element, parent: Root | Element, source: string | undefined): boolean {
  const name = node.tagName
  if (htmlElements.has(name) || name.includes('-')) return false
  return !isBlockMarkup(node, parent, source)
}

/** Whether the element's opening tag stands inside a line of the source (known only with the source). */
function isInline(node: Element, source: string | undefined): boolean {
  const start = (node.position?.start as Point | undefined)?.offset
  return source !== undefined && start !== undefined && !startsLine(source, start)
}

/**
 * An unknown element written as block markup: outside any paragraph, its
 * opening tag starts a line and it has a closing tag that starts a line.
 */
function isBlockMarkup(node: Element, parent: Root | Element, source: string | undefined): boolean {
  if (source === undefined || !isFlowParent(parent)) return false
  const span = offsets(node.position)
  if (!span) return false
  const [start, end] = span
  const closing = closingTag(node, source)
  if (closing === undefined) return false
  return startsLine(source, start) && startsLine(source, end - closing.length)
}

/** The root, or an element that holds blocks (not `p` or any phrasing element). */
function isFlowParent(parent: Root | Element): boolean {
  return parent.type === 'root' || (parent.tagName !== 'p' && !phrasing.has(parent.tagName) && htmlElements.has(parent.tagName) && !/^h[1-6]$/.test(parent.tagName))
}

/**
 * The text of the opening tag, the content, and the closing tag's text when
 * the source had one. At the root or in a blockquote, the opening tag and
 * the phrasing content after it are wrapped in a `<p>`, as markdown would
 * have made a paragraph of them.
 */
function unwrap(node: Element, parent: Root | Element, source: string | undefined): ElementContent[] {
  // Typed as required, but hast-util-raw leaves some points out.
  const start = node.position?.start as Point | undefined
  const end = node.position?.end as Point | undefined
  const written = source !== undefined && start?.offset !== undefined ? openingTag(node, source, start.offset) : undefined
  const opening = written ?? serializeOpening(node)
  const openingText: Text = {type: 'text', value: opening}
  if (written !== undefined && start) openingText.position = {start, end: advance(start, written)}
  const closing = source === undefined ? undefined : closingTag(node, source)
  const after: Text[] = []
  if (closing !== undefined) {
    const closingText: Text = {type: 'text', value: closing}
    if (end?.offset !== undefined && !closing.includes('\n')) {
      closingText.position = {start: {line: end.line, column: end.column - closing.length, offset: end.offset - closing.length}, end}
    }
    after.push(closingText)
  }
  const content = [...node.children]
  if (parent.type !== 'root' && !paragraphContainers.has(parent.tagName)) return [openingText, ...content, ...after]

  // Wrap the opening tag's text and the phrasing run after it in a paragraph;
  // the closing tag's text joins it when only phrasing content comes between.
  let run = 0
  while (run < content.length && isPhrasing(content[run])) run++
  const closed = run === content.length && after.length > 0
  let kept = run
  while (!closed && kept > 0 && isWhitespace(content[kept - 1])) kept--
  const wrapped: ElementContent[] = [openingText, ...content.slice(0, kept), ...(closed ? after.splice(0) : [])]
  const rest = content.slice(kept)
  // A line break that ended the HTML block goes after the paragraph, not in it.
  const tail = wrapped[wrapped.length - 1]
  if (tail?.type === 'text' && tail !== openingText && /\s$/.test(tail.value) && tail.value.trim() !== '') {
    const trimmed = tail.value.trimEnd()
    wrapped[wrapped.length - 1] = {...tail, value: trimmed, ...(tail.position?.start ? {position: {start: tail.position.start, end: advance(tail.position.start, trimmed)}} : {})}
    rest.unshift({type: 'text', value: tail.value.slice(trimmed.length)})
  }
  const last = wrapped[wrapped.length - 1]
  const paragraph: Element = {
    type: 'element',
    tagName: 'p',
    properties: {},
    children: wrapped,
    ...(start && last?.position?.end ? {position: {start, end: last.position.end}} : {})
  }
  return [paragraph, ...rest, ...after]
}

function isPhrasing(node: ElementContent | undefined): boolean {
  if (node === undefined) return false
  if (node.type === 'text' || node.type === 'comment') return true
  return node.type === 'element' && (phrasing.has(node.tagName) || !htmlElements.has(node.tagName))
}

function isWhitespace(node: ElementContent | undefined): boolean {
  return node !== undefined && node.type === 'text' && node.value.trim() === ''
}

/**
 * The opening tag as written in the source (`<RET>`, `<T extends U>`), or
 * undefined when the source there does not start with it.
 */
function openingTag(node: Element, source: string, start: number): string | undefined {
  if (source.charAt(start) !== '<' || source.slice(start + 1, start + 1 + node.tagName.length).toLowerCase() !== node.tagName) return undefined
  let quote = ''
  for (let at = start + 1 + node.tagName.length; at < source.length; at++) {
    const char = source.charAt(at)
    if (quote !== '') {
      if (char === quote) quote = ''
    } else if (char === '"' || char === "'") {
      quote = char
    } else if (char === '>') {
      return source.slice(start, at + 1)
    }
  }
  return undefined
}

/**
 * The closing tag as written (`</think>`), when the element's source ends
 * with one after its last child (an element closed implicitly ends where
 * its content does, which may be a nested element of the same name).
 */
function closingTag(node: Element, source: string): string | undefined {
  const span = offsets(node.position)
  if (!span) return undefined
  let from = span[0]
  for (const child of node.children) {
    const end = offsets(child.position)?.[1]
    if (end !== undefined && end > from) from = end
  }
  const rest = source.slice(from, span[1])
  const match = new RegExp(`</${escape(node.tagName)}\\s*>$`, 'i').exec(rest)
  if (!match) return undefined
  // Content after the last child (unpositioned whitespace) may come first.
  return /^\s*$/.test(rest.slice(0, match.index)) ? match[0] : undefined
}

/** `<name attr="…">` from the tree, for when the source is not at hand. */
function serializeOpening(node: Element): string {
  const html = toHtml({...node, children: []})
  const end = html.lastIndexOf('</')
  return end === -1 ? html : html.slice(0, end)
}

/**
 * Start and end offsets of a node, when both are known and in order (hast-util-raw
 * leaves some nodes of raw HTML with no end, or an end before the start).
 */
function offsets(position: Position | undefined): [number, number] | undefined {
  const start = (position?.start as Point | undefined)?.offset
  const end = (position?.end as Point | undefined)?.offset
  return start === undefined || end === undefined || end < start ? undefined : [start, end]
}

/** The point just after `text` when it starts at `point`. */
function advance(point: Point, text: string): Point {
  const lines = text.split('\n')
  const last = lines[lines.length - 1] ?? ''
  return {
    line: point.line + lines.length - 1,
    column: lines.length === 1 ? point.column + text.length : last.length + 1,
    ...(point.offset === undefined ? {} : {offset: point.offset + text.length})
  }
}

/** Whether only spaces and tabs stand between the previous line break (or the file start) and `offset`. */
function startsLine(source: string, offset: number): boolean {
  const lineStart = source.lastIndexOf('\n', offset - 1) + 1
  return /^[ \t]*$/.test(source.slice(lineStart, offset))
}

function escape(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
