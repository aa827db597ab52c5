import type {BlockContent, Blockquote, DefinitionContent, Emphasis, FootnoteDefinition, FootnoteReference, Link, Paragraph, PhrasingContent, Root, RootContent, Text} from 'mdast'
import type {Position} from 'unist'
import type {VFile} from 'vfile'
import {sourceMayHold} from '../source-check.js'
import {SKIP, visit} from '../walk.js'

/**
 * Footnotes as kramdown numbers, places and marks them up, on the footnote
 * calls and definitions GFM's parser reads (`[^name]`, definitions anywhere,
 * before their first use too):
 * - numbered 1, 2, … in the order of their first call; a call is
 *   `<sup id="fnref:name" role="doc-noteref"><a href="#fn:name"
 *   class="footnote" rel="footnote">1</a></sup>`, a second call of the same
 *   note `id="fnref:name:1"`, and so on;
 * - the notes go, in that order, into `<div class="footnotes"
 *   role="doc-endnotes"><ol><li id="fn:name" role="doc-endnote">` at the end
 *   of the post, each ending with one back link per call (`<a
 *   href="#fnref:name" class="reversefootnote" role="doc-backlink">↩</a>`,
 *   the later ones `↩<sup>2</sup>`, …) inside its last paragraph, or in a
 *   paragraph of their own when it ends with something else;
 * - a definition nothing calls is left out, as in kramdown.
 * This is kramdown 2.4's markup (checked against Debian's kramdown with
 * Jekyll's options), so Jekyll themes' footnote CSS applies. The nodes made
 * are mdast nodes named by `data.hName` (a `sup` around a link, `div`/`ol`/
 * `li` as block quotes), so remark-rehype turns them into these elements and
 * its own GFM footer is never made. No options; skips a post without `[^`.
 */
export function remarkKramdownFootnotes() {
  return function transform(tree: Root, file: VFile): void {
    if (!sourceMayHold(file, '[^')) return
    const definitions = new Map<string, FootnoteDefinition>()
    visit(tree, 'footnoteDefinition', (node: FootnoteDefinition, index, parent) => {
      if (!definitions.has(node.identifier)) definitions.set(node.identifier, node)
      if (parent && index !== undefined) {
        parent.children.splice(index, 1)
        return index
      }
      return SKIP
    })
    const notes: Note[] = []
    const byId = new Map<string, Note>()
    const call = (node: FootnoteReference): Emphasis | undefined => {
      const definition = definitions.get(node.identifier)
      if (!definition) return undefined
      let note = byId.get(node.identifier)
      if (!note) {
        note = {name: definition.label ?? node.label ?? node.identifier, number: notes.length + 1, definition, calls: 0}
        notes.push(note)
        byId.set(node.identifier, note)
      }
      const id = note.calls === 0 ? `fnref:${note.name}` : `fnref:${note.name}:${note.calls}`
      note.calls++
      return marker(note, id, node.position)
    }
    const replaceCalls = (parent: Root | FootnoteDefinition) =>
      visit(parent, 'footnoteReference', (node: FootnoteReference, index, container) => {
        if (!container || index === undefined) return
        const replacement = call(node)
        if (replacement) (container.children as PhrasingContent[])[index] = replacement
        return SKIP
      })
    replaceCalls(tree)
    // Notes may call other notes: they are numbered after the body's, in the order the notes are read.
    for (let done = 0; done < notes.length; done++) replaceCalls(notes[done]!.definition)
    if (notes.length === 0) return
    tree.children.push(footer(notes))
  }
}

interface Note {
  readonly name: string
  readonly number: number
  readonly definition: FootnoteDefinition
  calls: number
}

function marker(note: Note, id: string, position: Position | undefined): Emphasis {
  const link: Link = {
    type: 'link',
    url: `#fn:${note.name}`,
    children: [withPosition({type: 'text', value: String(note.number)}, position)],
    data: {hProperties: {className: ['footnote'], rel: ['footnote']}}
  }
  return withPosition({type: 'emphasis', children: [withPosition(link, position)], data: {hName: 'sup', hProperties: {id, role: 'doc-noteref'}}}, position)
}

function footer(notes: readonly Note[]): Blockquote {
  const items: Blockquote[] = notes.map((note) => {
    const children = [...note.definition.children] as Array<BlockContent | DefinitionContent>
    const links = backLinks(note)
    const last = children.at(-1)
    if (last?.type === 'paragraph') children[children.length - 1] = {...last, children: [...last.children, ...links]}
    else children.push({type: 'paragraph', children: links.slice(1)})
    return withPosition({type: 'blockquote', children, data: {hName: 'li', hProperties: {id: `fn:${note.name}`, role: 'doc-endnote'}}}, note.definition.position)
  })
  const list: Blockquote = {type: 'blockquote', children: items, data: {hName: 'ol'}}
  return {type: 'blockquote', children: [list], data: {hName: 'div', hProperties: {className: ['footnotes'], role: 'doc-endnotes'}}}
}

/** A space, then a back link per call, each after a space: `↩`, `↩<sup>2</sup>`, … */
function backLinks(note: Note): PhrasingContent[] {
  const links: PhrasingContent[] = []
  for (let call = 0; call < note.calls; call++) {
    const children: PhrasingContent[] = [{type: 'text', value: '↩'}]
    if (call > 0) children.push({type: 'emphasis', children: [{type: 'text', value: String(call + 1)}], data: {hName: 'sup'}})
    links.push({type: 'text', value: ' '})
    links.push({
      type: 'link',
      url: call === 0 ? `#fnref:${note.name}` : `#fnref:${note.name}:${call}`,
      children,
      data: {hProperties: {className: ['reversefootnote'], role: 'doc-backlink'}}
    })
  }
  return links
}

function withPosition<T extends RootContent | Paragraph | Text>(node: T, position: Position | undefined): T {
  if (position) node.position = position
  return node
}
