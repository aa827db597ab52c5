import type {Blockquote, Paragraph, Parent, PhrasingContent, Root, RootContent} from 'mdast'
import type {Position} from 'unist'
import type {VFile} from 'vfile'
import {sourceMayHold} from '../source-check.js'

/**
 * kramdown's definition lists, read from the paragraphs CommonMark makes of
 * them (it has no such syntax, so `term` and `: definition` lines end up in
 * one paragraph):
 *
 *     term            <dl><dt>term</dt>
 *     : definition  →     <dd>definition</dd>
 *     : another           <dd>another</dd>
 *
 * - every line before the first `: ` line is a term of its own (`<dt>`);
 *   each `: ` line starts a definition, later lines without one continue it;
 * - a paragraph that starts with `: ` after a blank line is a definition of
 *   the paragraph (or list) just before it, and keeps its `<p>`, as kramdown
 *   wraps a definition that follows a blank line;
 * - consecutive term groups make one list.
 * The list and its parts are mdast nodes named by `data.hName` (`dl` and a
 * `dd` holding paragraphs are block quotes, `dt` and a plain `dd` are
 * paragraphs), with the positions of the lines they came from. No options;
 * skips a post with no line that starts with `:` and a space.
 */
export function remarkKramdownDefinitionLists() {
  return function transform(tree: Root, file: VFile): void {
    if (!sourceMayHold(file, /^[ \t]{0,3}:[ \t]/m)) return
    rewriteAll(tree)
  }
}

/** Every container of blocks, innermost first (list items, block quotes, `markdown="1"` HTML, the root). */
function rewriteAll(parent: Parent): void {
  for (const child of parent.children) if ('children' in child && child.type !== 'paragraph' && child.type !== 'heading') rewriteAll(child as Parent)
  rewrite(parent)
}

/** The definition lists among `parent`'s children. */
function rewrite(parent: Parent): void {
  const children = parent.children as RootContent[]
  for (let index = 0; index < children.length; index++) {
    const node = children[index]
    if (node?.type !== 'paragraph') continue
    const lines = splitLines(node)
    const first = lines.findIndex(isDefinitionLine)
    if (first === -1) continue
    const previous = children[index - 1]
    if (first === 0) {
      // `: definition` after a blank line: of the list before, or of the paragraph before (its lines are the terms).
      if (isOurList(previous)) {
        previous.children.push(...definitions(lines, true))
        stretch(previous, node.position)
        children.splice(index, 1)
        index--
      } else if (previous?.type === 'paragraph' && splitLines(previous).every((line) => !isDefinitionLine(line))) {
        const items = [...terms(splitLines(previous)), ...definitions(lines, true)]
        const before = children[index - 2]
        if (isOurList(before)) {
          // A term after a blank line continues the list above it, as in kramdown.
          before.children.push(...items)
          stretch(before, node.position)
          children.splice(index - 1, 2)
          index -= 2
        } else {
          children.splice(index - 1, 2, newList(items, previous.position, node.position))
          index--
        }
      }
      continue
    }
    const items = [...terms(lines.slice(0, first)), ...definitions(lines.slice(first), false)]
    if (isOurList(previous)) {
      previous.children.push(...items)
      stretch(previous, node.position)
      children.splice(index, 1)
      index--
    } else children[index] = newList(items, node.position, node.position)
  }
}

interface Line {
  readonly nodes: PhrasingContent[]
}

/** The paragraph's content cut at its line breaks (in text; a break inside code or a link stays). */
function splitLines(paragraph: Paragraph): Line[] {
  const lines: Line[] = [{nodes: []}]
  for (const child of paragraph.children) {
    if (child.type !== 'text' || !child.value.includes('\n')) {
      lines.at(-1)!.nodes.push(child)
      continue
    }
    const parts = child.value.split('\n')
    parts.forEach((value, partIndex) => {
      if (partIndex > 0) lines.push({nodes: []})
      if (value !== '') lines.at(-1)!.nodes.push({type: 'text', value})
    })
  }
  return lines.filter((line) => line.nodes.length > 0)
}

function isDefinitionLine(line: Line): boolean {
  const first = line.nodes[0]
  return first?.type === 'text' && /^:[ \t]+\S/.test(first.value)
}

function terms(lines: readonly Line[]): Paragraph[] {
  return lines.map((line) => ({type: 'paragraph', children: trimEnd(line.nodes), data: {hName: 'dt'}, ...spanOf(line.nodes)}))
}

/** Each `: ` line starts a definition; the lines after it, up to the next, continue it. */
function definitions(lines: readonly Line[], wrapped: boolean): Array<Paragraph | Blockquote> {
  const groups: PhrasingContent[][] = []
  for (const line of lines) {
    if (isDefinitionLine(line) || groups.length === 0) {
      const [first, ...rest] = line.nodes
      const stripped = first?.type === 'text' ? [{...first, value: first.value.replace(/^:[ \t]+/, '')}, ...rest] : line.nodes
      groups.push([...stripped])
    } else groups.at(-1)!.push({type: 'text', value: '\n'}, ...line.nodes)
  }
  return groups.map((nodes) => {
    const paragraph: Paragraph = {type: 'paragraph', children: trimEnd(nodes), ...spanOf(nodes)}
    if (!wrapped) return {...paragraph, data: {hName: 'dd'}}
    return {type: 'blockquote', children: [paragraph], data: {hName: 'dd'}, ...spanOf(nodes)}
  })
}

function trimEnd(nodes: PhrasingContent[]): PhrasingContent[] {
  const last = nodes.at(-1)
  if (last?.type !== 'text') return nodes
  return [...nodes.slice(0, -1), {...last, value: last.value.replace(/[ \t]+$/, '')}]
}

function spanOf(nodes: readonly PhrasingContent[]): {position?: Position} {
  const start = nodes.find((node) => node.position)?.position?.start
  const end = [...nodes].reverse().find((node) => node.position)?.position?.end
  return start && end ? {position: {start, end}} : {}
}

function newList(items: Array<Paragraph | Blockquote>, from: Position | undefined, to: Position | undefined): Blockquote {
  const list: Blockquote = {type: 'blockquote', children: items, data: {hName: 'dl'}}
  if (from && to) list.position = {start: from.start, end: to.end}
  return list
}

function isOurList(node: RootContent | undefined): node is Blockquote {
  return node?.type === 'blockquote' && node.data?.hName === 'dl'
}

function stretch(list: Blockquote, to: Position | undefined): void {
  if (list.position && to) list.position = {start: list.position.start, end: to.end}
}
