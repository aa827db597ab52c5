import type {PhrasingContent, Root, Text} from 'mdast'
import type {} from 'remark-math'
import {visit} from './walk.js'
import type {Point, Position} from 'unist'
import type {VFile} from 'vfile'
import {location} from 'vfile-location'

export interface EscapedMathOptions {
  /**
   * Also turn `\[…\]` into display math (a math block when it is alone in its
   * paragraph; see `remarkDisplayMath`).
   * Default: true.
   */
  readonly display?: boolean
}

const emptyOptions: EscapedMathOptions = Object.freeze({})

type InlineMath = Extract<PhrasingContent, {type: 'inlineMath'}>

/**
 * Math written with MathJax's delimiters in text: `\(…\)` becomes inline math
 * and `\[…\]` display math. Jekyll sites write them `\\(x^2\\)` in markdown
 * (a backslash has to be escaped there), so the text of the tree holds
 * `\(x^2\)`; this is the text MathJax would see in the page, so the TeX is
 * taken from the text as it is, within one text node (emphasis inside, which
 * would break MathJax too, is not mended). Code, inline code and raw HTML are
 * not text and stay untouched.
 *
 * The new nodes get the shape remark-math gives its own (`code.language-math`
 * with `math-inline` or `math-display`), so rehype-katex renders them, and
 * positions mapped back through the markdown escapes.
 */
export function remarkEscapedMath(options: EscapedMathOptions = emptyOptions) {
  const display = options.display ?? true
  return function transform(tree: Root, file: VFile): void {
    const source = String(file.value ?? '')
    // Most posts have no `\(` or `\[` at all: then there is nothing to find (and no line index to build).
    if (file.value !== undefined && !/\\[([]/.test(source)) return
    const place = location(source)
    visit(tree, 'text', (node: Text, index, parent) => {
      if (!parent || index === undefined) return
      const parts = split(node, display, source, place)
      if (!parts) return
      parent.children.splice(index, 1, ...parts)
      return index + parts.length
    })
  }
}

interface Found {
  readonly start: number
  readonly end: number
  readonly tex: string
  readonly display: boolean
}

/** The text node cut into text and math nodes, or undefined when it holds no delimited math. */
function split(node: Text, display: boolean, source: string, place: ReturnType<typeof location>): Array<Text | InlineMath> | undefined {
  const found = findMath(node.value, display)
  if (found.length === 0) return undefined
  const offsets = sourceOffsets(node, source)
  const positionOf = (start: number, end: number): Position | undefined => {
    if (!offsets) return node.position
    const from = place.toPoint(offsets[start] ?? -1)
    const to = place.toPoint((offsets[end - 1] ?? -2) + 1)
    return from && to ? {start: from as Point, end: to as Point} : node.position
  }
  const parts: Array<Text | InlineMath> = []
  let last = 0
  for (const math of found) {
    if (math.start > last) parts.push(withPosition({type: 'text', value: node.value.slice(last, math.start)}, positionOf(last, math.start)))
    const className = ['language-math', math.display ? 'math-display' : 'math-inline']
    parts.push(
      withPosition(
        {type: 'inlineMath', value: math.tex, data: {hName: 'code', hProperties: {className}, hChildren: [{type: 'text', value: math.tex}]}},
        positionOf(math.start, math.end)
      )
    )
    last = math.end
  }
  if (last < node.value.length) parts.push(withPosition({type: 'text', value: node.value.slice(last)}, positionOf(last, node.value.length)))
  return parts
}

/** `\(…\)` (and `\[…\]` when `display`) spans in `value`, left to right, not nested; an opener without a closer is text. */
function findMath(value: string, display: boolean): Found[] {
  const found: Found[] = []
  const opener = display ? /\\[([]/g : /\\\(/g
  let match: RegExpExecArray | null
  while ((match = opener.exec(value))) {
    const isDisplay = match[0] === '\\['
    const close = value.indexOf(isDisplay ? '\\]' : '\\)', match.index + 2)
    if (close === -1) continue
    const tex = value.slice(match.index + 2, close)
    if (tex.trim() === '') continue
    found.push({start: match.index, end: close + 2, tex: tex.trim(), display: isDisplay})
    opener.lastIndex = close + 2
  }
  return found
}

/**
 * For each character of the node's value, its offset in the file: the value
 * is the source less markdown escapes (`\\` → `\`) and the indentation of
 * continuation lines, so walk both. Undefined when they do not line up
 * (entities, or no source), and the node's own position is used instead.
 */
function sourceOffsets(node: Text, source: string): number[] | undefined {
  const from = node.position?.start.offset
  const to = node.position?.end.offset
  if (from === undefined || to === undefined) return undefined
  const raw = source.slice(from, to)
  if (raw.includes('&')) return undefined
  const offsets: number[] = []
  let j = 0
  for (const char of node.value) {
    while (j < raw.length && !raw.startsWith(char, j)) {
      if (raw[j] === '\\' && raw.startsWith(char, j + 1)) {
        j++
        break
      }
      j++
    }
    if (j >= raw.length) return undefined
    // One offset per UTF-16 unit, as `node.value` indexes them.
    for (let unit = 0; unit < char.length; unit++) offsets.push(from + j + unit)
    j += char.length
  }
  return offsets
}

function withPosition<T extends Text | InlineMath>(node: T, position: Position | undefined): T {
  if (position) node.position = position
  return node
}
