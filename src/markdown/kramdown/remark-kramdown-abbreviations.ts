import type {Emphasis, Paragraph, Parent, PhrasingContent, Root, Text} from 'mdast'
import {shiftPositions} from './shift-positions.js'
import type {Processor} from 'unified'
import type {VFile} from 'vfile'
import {sourceMayHold} from '../source-check.js'
import {visit} from '../walk.js'

/**
 * kramdown's abbreviations: a paragraph made only of definition lines
 * (`*[HTML]: Hyper Text Markup Language`, anywhere in the post) is removed
 * (definition lines that open a paragraph are, and the lines after them
 * are read again as a paragraph of their own),
 * and every occurrence of a defined word in the post's text becomes
 * `<abbr title="…">HTML</abbr>`, as kramdown does: a whole-word match (no
 * letter, digit or `_` either side), longest abbreviation first, in any
 * text, link texts and headings included, never in code, inline code, math,
 * raw HTML or a URL (which are not text). A later definition of the same
 * word wins, as in kramdown; an empty one gives an `<abbr>` without title.
 * The `abbr` is an mdast node named by `data.hName`. No options; skips a post
 * without `*[`.
 */
export function remarkKramdownAbbreviations(this: Processor) {
  const processor = this
  return function transform(tree: Root, file: VFile): void {
    if (!sourceMayHold(file, '*[')) return
    const titles = new Map<string, string>()
    visit(tree, 'paragraph', (node: Paragraph, index, parent) => {
      if (!parent || index === undefined) return
      const source = sourceOf(node, file)
      if (source === undefined) return
      const lines = source.split(/\r?\n/)
      const found = lines.map((line) => DEFINITION.exec(line))
      const leading = found.findIndex((match) => !match)
      if (leading === 0) return
      for (const match of leading === -1 ? found : found.slice(0, leading)) titles.set(match![1]!, match![2]!.trim())
      if (leading === -1) {
        parent.children.splice(index, 1)
        return index
      }
      // Definitions, then lines of text: kramdown reads the text as a paragraph of its own.
      let from = 0
      for (let line = 0; line < leading; line++) from = source.indexOf('\n', from) + 1
      const rest = processor.parse(source.slice(from)) as Root
      const at = node.position!.start
      shiftPositions(rest, {line: at.line + leading, column: 1, offset: at.offset! + from})
      parent.children.splice(index, 1, ...(rest.children as Paragraph[]))
      return index + rest.children.length
    })
    if (titles.size === 0) return
    const words = [...titles.keys()].sort((a, b) => b.length - a.length || (a < b ? -1 : 1))
    const pattern = new RegExp(`(?<![A-Za-z0-9_])(?:${words.map(escapeRegExp).join('|')})(?![A-Za-z0-9_])`, 'g')
    visit(tree, 'text', (node: Text, index, parent) => {
      if (!parent || index === undefined) return
      const parts = split(node, pattern, titles)
      if (!parts) return
      ;(parent as Parent).children.splice(index, 1, ...(parts as PhrasingContent[]))
      // Past the new nodes: the text inside an `abbr` is not looked at again.
      return index + parts.length
    })
  }
}

/** kramdown's `ABBREV_DEFINITION_START`: up to three spaces, `*[word]:`, the title. */
const DEFINITION = /^ {0,3}\*\[(.+?)\]:(.*)$/

/** The paragraph as written (definitions are read from the source: `*` and `[…]` may have been parsed as emphasis or links). */
function sourceOf(node: Paragraph, file: VFile): string | undefined {
  const start = node.position?.start.offset
  const end = node.position?.end.offset
  if (start === undefined || end === undefined || file.value === undefined) return undefined
  return String(file.value).slice(start, end)
}

function split(node: Text, pattern: RegExp, titles: ReadonlyMap<string, string>): Array<Text | Emphasis> | undefined {
  pattern.lastIndex = 0
  if (!pattern.test(node.value)) return undefined
  pattern.lastIndex = 0
  const parts: Array<Text | Emphasis> = []
  let last = 0
  for (const match of node.value.matchAll(pattern)) {
    if (match.index > last) parts.push({type: 'text', value: node.value.slice(last, match.index)})
    const title = titles.get(match[0]) ?? ''
    const abbr: Emphasis = {type: 'emphasis', children: [{type: 'text', value: match[0]}], data: {hName: 'abbr', hProperties: title === '' ? {} : {title}}}
    if (node.position) abbr.position = node.position
    parts.push(abbr)
    last = match.index + match[0].length
  }
  if (last < node.value.length) parts.push({type: 'text', value: node.value.slice(last)})
  return parts
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
