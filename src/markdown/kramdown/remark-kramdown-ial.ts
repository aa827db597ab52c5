import type {Html, Nodes, Paragraph, Parent, PhrasingContent, Root, RootContent, Table, Text} from 'mdast'
import type {Point, Position} from 'unist'
import type {VFile} from 'vfile'
import {location} from 'vfile-location'
import {sourceMayHold} from '../source-check.js'
import {aldLine, applyAttributeList, blockIalLine, mergeAttributeLists, parseAttributeList, spanIalAnywhere, spanIalStart, type AttributeList} from './attribute-list.js'

declare module 'mdast' {
  interface Data {
    /** References an attribute list made that name no definition, for the plugins that read them (`toc`). */
    kramdownRefs?: string[]
  }
}

export interface KramdownIalOptions {
  /**
   * References that other kramdown plugins read (left on `data.kramdownRefs`
   * of the node, without a warning). Default `['toc']`.
   */
  readonly knownRefs?: readonly string[]
}

const emptyOptions: KramdownIalOptions = Object.freeze({})

/** A line of a paragraph (or a table's stray last row) that is one block IAL or ALD, while the tree is rearranged. */
interface Marker {
  readonly text: string
  readonly position: Position | undefined
  /** Set once attached to the block before it, so the next marker on the next line goes there too. */
  target?: Nodes
}

/**
 * kramdown's inline attribute lists on the mdast:
 * - a line that is only `{: .class #id key="value" ref}` (also `{:.class}`)
 *   gives its attributes to the block right before it (no blank line
 *   between), else to the block right after it: paragraph, heading, list,
 *   blockquote, table, code. CommonMark reads such a line as part of the
 *   paragraph above (or a lazy line of a list item or quote, or a table row);
 *   it is cut out, and the paragraph split there, as kramdown ends a
 *   paragraph at it;
 * - `{: .btn}` written right after a link, image, emphasis, strong or code
 *   span gives them to that span;
 * - `{:name: .class}` defines attributes that `{: name}` then adds.
 * An IAL that attaches to nothing (after plain text, between blank lines)
 * is dropped with a warning (`kramdown-ial`), never printed; so are names
 * that are no valid class or id. References named in `knownRefs` stay on
 * `data.kramdownRefs` for later plugins. Positions of split paragraphs are
 * their own lines'.
 */
export function remarkKramdownIal(options: KramdownIalOptions = emptyOptions) {
  const knownRefs = new Set(options.knownRefs ?? ['toc'])
  return function transform(tree: Root, file: VFile): void {
    if (!sourceMayHold(file, '{:')) return
    const source = String(file.value ?? '')
    const toPoint = location(source).toPoint
    const markers = new WeakMap<Nodes, Marker>()
    const definitions = new Map<string, AttributeList>()

    const warn = (reason: string, place: Position | Point | undefined) => {
      const message = file.message(reason, {place, ruleId: 'kramdown-ial', source: 'galley'})
      message.fatal = false
    }

    /** Resolve references and report problems, then put the result on `node`. */
    const attach = (node: Nodes, list: AttributeList, place: Position | undefined) => {
      let resolved: AttributeList = {...list, refs: []}
      const kept: string[] = []
      for (const ref of list.refs) {
        const definition = definitions.get(ref)
        if (definition) resolved = mergeAttributeLists(definition, resolved)
        else if (knownRefs.has(ref)) kept.push(ref)
        else warn(`\`${ref}\` names no attribute list definition (\`{:${ref}: …}\`); ignored`, place)
      }
      for (const problem of resolved.problems) warn(problem + '; ignored', place)
      applyAttributeList(node, resolved)
      if (kept.length > 0) {
        const data = (node.data ??= {})
        data.kramdownRefs = [...(data.kramdownRefs ?? []), ...kept]
      }
    }

    // 1. Cut IAL lines out of paragraphs and tables into markers, and lift
    //    the ones CommonMark read as lazy lines out of their list or quote.
    cutMarkers(tree)

    // 2. Definitions first, wherever they are: kramdown reads them before it converts.
    collectDefinitions(tree)

    // 3. Attach each marker to its block, then spans.
    attachMarkers(tree)
    attachSpans(tree)

    /**
     * Replace IAL lines by marker nodes, depth first. Returns the marker
     * nodes `parent` lets go of: for a list item or a quote, those at its end
     * written as lazy lines (not indented into it, no `>`); for a list, what
     * its items let go of. They belong after it, as in kramdown, where such a
     * line ends the list or quote.
     */
    function cutMarkers(parent: Parent): Paragraph[] {
      const children = parent.children as RootContent[]
      const fromItems: Paragraph[] = []
      for (let index = 0; index < children.length; index++) {
        const child = children[index] as RootContent
        if (child.type === 'paragraph') {
          const parts = splitParagraph(child)
          if (parts) {
            children.splice(index, 1, ...parts)
            index += parts.length - 1
          }
          continue
        }
        if (child.type === 'html') {
          stripFromHtml(child)
          continue
        }
        if (child.type === 'table') {
          const marker = tableMarker(child)
          if (marker) children.splice(++index, 0, marker)
          continue
        }
        if (!('children' in child) || child.type === 'heading') continue
        const lifted = cutMarkers(child)
        if (lifted.length === 0) continue
        if (parent.type === 'list') fromItems.push(...lifted)
        else {
          children.splice(index + 1, 0, ...lifted)
          index += lifted.length
        }
      }
      if (parent.type === 'list') return fromItems
      if (parent.type !== 'listItem' && parent.type !== 'blockquote') return []
      const out: Paragraph[] = []
      while (children.length > 0) {
        const last = children[children.length - 1] as RootContent
        const marker = markers.get(last)
        if (!marker || !isLazy(parent, marker)) break
        children.pop()
        out.unshift(last as Paragraph)
      }
      return out
    }

    function isLazy(parent: Parent, marker: Marker): boolean {
      const start = marker.position?.start
      const container = parent.position?.start
      if (!start || !container || start.offset === undefined) return false
      if (parent.type === 'listItem') return start.column <= container.column
      const lineStart = start.offset - (start.column - 1)
      return !source.slice(lineStart, start.offset).includes('>')
    }

    function markerNode(marker: Marker): Paragraph {
      const node: Paragraph = {type: 'paragraph', children: [{type: 'text', value: marker.text}]}
      if (marker.position) node.position = marker.position
      markers.set(node, marker)
      return node
    }

    /** The paragraph cut at its IAL lines, or undefined when it has none. */
    function splitParagraph(paragraph: Paragraph): Paragraph[] | undefined {
      const kids = paragraph.children
      if (!kids.some((child) => child.type === 'text' && child.value.includes('{:'))) return undefined
      const out: Paragraph[] = []
      let current: PhrasingContent[] = []
      let found = false
      const flush = () => {
        current = current.filter((child) => child.type !== 'text' || child.value !== '')
        while (current.length > 0 && current[0]?.type === 'break') current.shift()
        while (current.length > 0 && current[current.length - 1]?.type === 'break') current.pop()
        if (current.some((child) => child.type !== 'text' || child.value.trim() !== '')) {
          const part: Paragraph = {type: 'paragraph', children: current}
          const position = spanOf(current)
          if (position) part.position = position
          out.push(part)
        }
        current = []
      }
      kids.forEach((child, index) => {
        if (child.type !== 'text' || !child.value.includes('{:')) {
          current.push(child)
          return
        }
        const lines = child.value.split('\n')
        let offset = 0
        let pending: {start: number; end: number} | undefined
        const push = () => {
          if (pending) current.push(slice(child, pending.start, pending.end))
          pending = undefined
        }
        lines.forEach((line, k) => {
          const wholeStart = k > 0 || index === 0 || kids[index - 1]?.type === 'break'
          const wholeEnd = k < lines.length - 1 || index === kids.length - 1 || kids[index + 1]?.type === 'break'
          if (wholeStart && wholeEnd && (blockIalLine.test(line) || aldLine.test(line))) {
            found = true
            push()
            flush()
            out.push(markerNode({text: line.trim(), position: linePosition(child, offset, line)}))
          } else if (pending) pending.end = offset + line.length
          else pending = {start: offset, end: offset + line.length}
          offset += line.length + 1
        })
        push()
      })
      if (!found) return undefined
      flush()
      return out
    }

    /**
     * CommonMark runs an HTML block on to the next blank line, so an IAL
     * written after one is inside it: those last lines are cut off (they
     * would be printed) with a warning, since they are not applied to raw
     * HTML (kramdown applies them to an element it parsed itself).
     */
    function stripFromHtml(node: Html): void {
      if (!node.value.includes('{:')) return
      const lines = node.value.split('\n')
      let keep = lines.length
      while (keep > 1 && (blockIalLine.test(lines[keep - 1] as string) || aldLine.test(lines[keep - 1] as string))) keep--
      if (keep === lines.length) return
      const start = node.position?.start
      const place = start ? {line: start.line + keep, column: 1} : node.position
      warn('attributes after raw HTML are not applied (write them on the HTML tag); dropped', place)
      node.value = lines.slice(0, keep).join('\n')
    }

    /** A table whose last row is a lone IAL line (GFM reads a line without pipes after a table as a row): the row cut off, as a marker. */
    function tableMarker(table: Table): Paragraph | undefined {
      const row = table.children[table.children.length - 1]
      if (!row || table.children.length < 2) return undefined
      const [first, ...rest] = row.children
      const only = first?.children.length === 1 ? first.children[0] : undefined
      if (!only || only.type !== 'text' || rest.some((cell) => cell.children.length > 0)) return undefined
      if (!blockIalLine.test(only.value) && !aldLine.test(only.value)) return undefined
      table.children.pop()
      const last = table.children[table.children.length - 1]
      if (table.position && last?.position) table.position = {start: table.position.start, end: last.position.end}
      return markerNode({text: only.value.trim(), position: only.position})
    }

    function collectDefinitions(parent: Parent): void {
      for (const child of parent.children as RootContent[]) {
        const marker = markers.get(child)
        if (marker) {
          const match = aldLine.exec(marker.text)
          if (match) {
            definitions.set(match[1] as string, parseAttributeList(match[2] as string))
            marker.target = child // a definition attaches to nothing
          }
        } else if ('children' in child) collectDefinitions(child)
      }
    }

    function attachMarkers(parent: Parent): void {
      const children = parent.children as RootContent[]
      let previous: Nodes | undefined
      let previousEnd: number | undefined
      let previousMarker: Marker | undefined
      for (let index = 0; index < children.length; index++) {
        const child = children[index] as RootContent
        const marker = markers.get(child)
        if (!marker) {
          if ('children' in child) attachMarkers(child)
          previous = child
          previousEnd = child.position?.end.line
          previousMarker = undefined
          continue
        }
        if (marker.target === child) {
          // A definition: it leaves no trace and does not end what comes before.
          children.splice(index--, 1)
          continue
        }
        const line = marker.position?.start.line
        const list = parseAttributeList(blockIalLine.exec(marker.text)?.[1] ?? '')
        const next = nextBlock(children, index)
        if (previousMarker?.target && adjacent(previousMarker.position?.end.line, line)) marker.target = previousMarker.target
        else if (previous && adjacent(previousEnd, line)) marker.target = previous
        else if (next && adjacent(marker.position?.end.line, next.position?.start.line)) marker.target = next
        // A tight item's paragraph is no element of its own: its attributes go to the item.
        const container = parent as Nodes
        if (marker.target?.type === 'paragraph' && container.type === 'listItem' && container.spread !== true) marker.target = container
        if (marker.target) attach(marker.target, list, marker.position)
        else warn('this attribute list attaches to no block (write it on the line right after the block, or right before it); dropped', marker.position)
        previousMarker = marker
        previousEnd = marker.position?.end.line
        children.splice(index--, 1)
      }
    }

    function nextBlock(children: RootContent[], index: number): RootContent | undefined {
      for (let k = index + 1; k < children.length; k++) {
        const child = children[k] as RootContent
        if (!markers.has(child)) return child
        if (!adjacent(children[k - 1]?.position?.end.line, child.position?.start.line)) return undefined
      }
      return undefined
    }

    function attachSpans(node: Nodes): void {
      if (!('children' in node)) return
      const children = node.children as Nodes[]
      for (let index = 0; index < children.length; index++) {
        const child = children[index] as Nodes
        if (child.type !== 'text') {
          attachSpans(child)
          continue
        }
        if (!child.value.includes('{:')) continue
        const before = children[index - 1]
        const match = spanIalStart.exec(child.value)
        if (match && before && isSpan(before)) {
          attach(before, parseAttributeList(match[1] as string), textPosition(child, 0, match[0].length))
          const rest = slice(child, match[0].length, child.value.length)
          if (rest.value === '') children.splice(index, 1)
          else children[index] = rest
          index-- // look at the rest again
          continue
        }
        dropStray(child)
      }
    }

    /** Span IALs after plain text: kramdown drops them with a warning, and so do we. */
    function dropStray(text: Text): void {
      spanIalAnywhere.lastIndex = 0
      if (!spanIalAnywhere.test(text.value)) return
      spanIalAnywhere.lastIndex = 0
      text.value = text.value.replace(spanIalAnywhere, (found, at: number) => {
        warn('this attribute list follows plain text, so it attaches to nothing (kramdown gives span attributes only to a link, image, emphasis or code span right before them); dropped', textPosition(text, at, at + found.length))
        return ''
      })
    }

    /** A text node's characters `[start, end)` as a new text node, with their position when the text is the source as written. */
    function slice(text: Text, start: number, end: number): Text {
      const out: Text = {type: 'text', value: text.value.slice(start, end)}
      const position = textPosition(text, start, end)
      if (position) out.position = position
      return out
    }

    function textPosition(text: Text, start: number, end: number): Position | undefined {
      const from = text.position?.start.offset
      const to = text.position?.end.offset
      if (from === undefined || to === undefined) return undefined
      if (source.slice(from, to) === text.value) return between(from + start, from + end)
      return text.position
    }

    function linePosition(text: Text, start: number, line: string): Position | undefined {
      const exact = textPosition(text, start, start + line.length)
      if (exact !== text.position) return exact
      const from = text.position?.start.offset
      const to = text.position?.end.offset
      if (from === undefined || to === undefined) return text.position
      const at = source.indexOf(line.trim(), from)
      return at >= 0 && at < to ? between(at, at + line.trim().length) : text.position
    }

    function between(start: number, end: number): Position | undefined {
      const a = toPoint(start)
      const b = toPoint(end)
      return a && b ? {start: a as Point, end: b as Point} : undefined
    }
  }
}

/** Whether two lines touch: no blank line between. */
function adjacent(end: number | undefined, start: number | undefined): boolean {
  return end !== undefined && start !== undefined && start - end <= 1
}

function isSpan(node: Nodes): boolean {
  return ['link', 'image', 'emphasis', 'strong', 'inlineCode', 'delete', 'linkReference', 'imageReference'].includes(node.type)
}

function spanOf(children: PhrasingContent[]): Position | undefined {
  const start = children[0]?.position?.start
  const end = children[children.length - 1]?.position?.end
  return start && end ? {start, end} : undefined
}
