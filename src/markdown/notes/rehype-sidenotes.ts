import type {Element, ElementContent, Root} from 'hast'
import type {VFile} from 'vfile'
import {sourceMayHold} from '../source-check.js'
import {visit} from '../walk.js'

/**
 * Footnotes as sidenotes, without script: after each footnote reference
 * (GFM's `a[data-footnote-ref]`, or kramdown's `a.footnote` with
 * `role="doc-noteref"`) a copy of its note, `<span class="sidenote">`, that
 * the stylesheet shows in the margin beside the reference on wide screens
 * and hides on narrow ones, where the notes stay at the end. The copy keeps
 * the note's inline content (paragraphs become spans), loses its back link
 * and ids, and is hidden from assistive technology (which reads the notes at
 * the end). A post whose source has no `[^`, `<d-footnote` or `<sup` is
 * skipped, and so is every post with `{enabled: false}` (`sidenotes: false`;
 * the default on kramdown sites).
 */
export function rehypeSidenotes(options: {readonly enabled?: boolean} = {}) {
  return function transform(tree: Root, file: VFile): void {
    if (options.enabled === false || !sourceMayHold(file, /\[\^|<d-footnote|<sup/)) return
    const references: Array<{sup: Element; parent: Element | Root; target: string; label: string}> = []
    const notes = new Map<string, Element>()
    visit(tree, 'element', (node, _index, parent) => {
      if (node.tagName === 'li' && typeof node.properties.id === 'string') notes.set(node.properties.id, node)
      if (node.tagName !== 'sup' || !parent) return undefined
      const link = node.children.find((child): child is Element => child.type === 'element' && child.tagName === 'a')
      if (!link || typeof link.properties.href !== 'string' || !link.properties.href.startsWith('#')) return undefined
      const isRef = link.properties.dataFootnoteRef !== undefined || link.properties.role === 'doc-noteref' || (link.properties.className as string[] | undefined)?.includes('footnote') === true
      if (isRef) references.push({sup: node, parent, target: decodeURIComponent(link.properties.href.slice(1)), label: textOf(link)})
      return undefined
    })
    for (const {sup, parent, target, label} of references) {
      const note = notes.get(target)
      if (!note) continue
      const body = inline(structuredClone(note.children))
      const sidenote: Element = {type: 'element', tagName: 'span', properties: {className: ['sidenote'], ariaHidden: 'true'}, children: [{type: 'element', tagName: 'span', properties: {className: ['sidenote-number']}, children: [{type: 'text', value: label}]}, {type: 'text', value: ' '}, ...body]}
      const at = parent.children.indexOf(sup)
      if (at !== -1) parent.children.splice(at + 1, 0, sidenote)
    }
  }
}

const BLOCKS = new Set(['p', 'div', 'ul', 'ol', 'li', 'blockquote', 'pre', 'table', 'figure', 'section', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'dl', 'dt', 'dd', 'hr', 'thead', 'tbody', 'tr', 'td', 'th', 'figcaption'])

/** Note content as phrasing content: blocks become spans (display: block), back links and ids go, links stop taking focus. */
function inline(nodes: ElementContent[]): ElementContent[] {
  const out: ElementContent[] = []
  for (const node of nodes) {
    if (node.type === 'text') {
      if (node.value.trim() !== '' || out.length > 0) out.push(node)
      continue
    }
    if (node.type !== 'element') continue
    const props = node.properties
    if (node.tagName === 'a' && (props.dataFootnoteBackref !== undefined || (props.className as string[] | undefined)?.includes('reversefootnote') || props.role === 'doc-backlink')) continue
    delete props.id
    if (node.tagName === 'a') props.tabIndex = -1
    if (BLOCKS.has(node.tagName)) out.push({type: 'element', tagName: 'span', properties: {className: ['sidenote-block']}, children: inline(node.children)})
    else out.push({...node, children: inline(node.children)})
  }
  while (out.length > 0 && out[out.length - 1]?.type === 'text' && (out[out.length - 1] as {value: string}).value.trim() === '') out.pop()
  const last = out[out.length - 1]
  if (last?.type === 'text') out[out.length - 1] = {...last, value: last.value.replace(/\s+$/, '')}
  return out
}

function textOf(node: ElementContent): string {
  if (node.type === 'text') return node.value
  if (node.type === 'element') return node.children.map(textOf).join('')
  return ''
}
