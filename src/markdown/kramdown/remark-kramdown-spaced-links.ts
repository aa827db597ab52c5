import type {Image, Link, Parent, PhrasingContent, Root, Text} from 'mdast'
import type {Point, Position} from 'unist'
import type {VFile} from 'vfile'
import {sourceMayHold} from '../source-check.js'
import {visit} from '../walk.js'

/**
 * kramdown's inline links whose URL holds a space: `[text](/blog /a/b/)`.
 * CommonMark ends a link destination at the first space (what follows must
 * be a title), so such a link stays text; kramdown reads everything up to
 * the closing parenthesis as the URL (link.rb: the URL is the text up to the
 * `)`, stripped), and the link shows its text. A space typed in a Liquid
 * link (`{{ site.baseurl}} {% post_url x %}`) gives exactly this. Here a
 * plain-text `[text](url with spaces "title")` (or `![alt](…)`) left as text
 * becomes a link (an image) with that URL and title, as kramdown makes it:
 * brackets may nest in the text and parentheses in the URL. A link whose
 * text holds markup (`[**a**](b c)`: several nodes, not one text) is left
 * as it is. Runs on kramdown sites only; skips a post without `](`. No options.
 */
export function remarkKramdownSpacedLinks() {
  return function transform(tree: Root, file: VFile): void {
    if (!sourceMayHold(file, '](')) return
    visit(tree, 'text', (node: Text, index, parent) => {
      if (!parent || index === undefined || !node.value.includes('](')) return
      const parts = split(node)
      if (!parts) return
      ;(parent as Parent).children.splice(index, 1, ...parts)
      return index + parts.length
    })
  }
}

/** A title at the end of the parentheses: `url "title"` or `url 'title'` (kramdown's LINK_INLINE_TITLE_RE). */
const TITLE = /^([\s\S]*?)\s+(["'])([\s\S]*)\2$/

/** One `!?[text](url "title")` found in a text node: where it is and what it says. */
interface Found {
  readonly start: number
  readonly end: number
  readonly image: boolean
  /** Where the link text starts and ends. */
  readonly textFrom: number
  readonly textTo: number
  readonly url: string
  readonly title: string | null
}

function split(node: Text): PhrasingContent[] | undefined {
  const out: PhrasingContent[] = []
  let last = 0
  let from = 0
  for (let found = next(node.value, from); found; found = next(node.value, from)) {
    from = found.end
    if (found.start > last) out.push(textNode(node, last, found.start))
    const text = node.value.slice(found.textFrom, found.textTo)
    const position = slice(node, found.start, found.end)
    const labelPosition = slice(node, found.textFrom, found.textTo)
    const label: Text = {type: 'text', value: text, ...(labelPosition ? {position: labelPosition} : {})}
    const made: Link | Image = found.image ? {type: 'image', url: found.url, alt: text, title: found.title} : {type: 'link', url: found.url, title: found.title, children: [label]}
    out.push(position ? {...made, position} : made)
    last = found.end
  }
  if (out.length === 0) return undefined
  if (last < node.value.length) out.push(textNode(node, last, node.value.length))
  return out
}

/**
 * The next link from `from` on that CommonMark could not read: kramdown's
 * scan (link.rb) — brackets nest in the text, the URL runs to the `)` that
 * balances the `(`, a quoted title may end it — kept only when the URL holds
 * a space (any other such link CommonMark has already made).
 */
function next(value: string, from: number): Found | undefined {
  for (let open = value.indexOf('[', from); open !== -1; open = value.indexOf('[', open + 1)) {
    const close = balanced(value, open, '[', ']')
    if (close === -1 || value[close + 1] !== '(') continue
    const end = balanced(value, close + 1, '(', ')')
    if (end === -1) continue
    const inside = value.slice(close + 2, end).trim()
    if (inside.startsWith('<') || inside.includes('\n')) continue
    const titled = TITLE.exec(inside)
    const url = (titled ? (titled[1] ?? '') : inside).trim()
    if (!/\s/.test(url)) continue
    const image = open > 0 && value[open - 1] === '!'
    return {start: image ? open - 1 : open, end: end + 1, image, textFrom: open + 1, textTo: close, url, title: titled ? (titled[3] ?? '') : null}
  }
  return undefined
}

/** The index of the bracket that closes the one at `at` (nesting counted), or -1 (none on this line). */
function balanced(value: string, at: number, opening: string, closing: string): number {
  let depth = 0
  for (let index = at; index < value.length; index++) {
    const char = value[index]
    if (char === '\n') return -1
    if (char === '\\') index++
    else if (char === opening) depth++
    else if (char === closing && --depth === 0) return index
  }
  return -1
}

function textNode(node: Text, from: number, to: number): Text {
  const position = slice(node, from, to)
  return {type: 'text', value: node.value.slice(from, to), ...(position ? {position} : {})}
}

/** The position of `node.value.slice(from, to)`, when the text maps one to one onto its source (no escapes, one line). */
function slice(node: Text, from: number, to: number): Position | undefined {
  const start = node.position?.start
  const end = node.position?.end
  if (!start || !end || start.line !== end.line || end.column - start.column !== node.value.length) return undefined
  const at = (offset: number): Point => ({line: start.line, column: start.column + offset, ...(start.offset === undefined ? {} : {offset: start.offset + offset})})
  return {start: at(from), end: at(to)}
}
