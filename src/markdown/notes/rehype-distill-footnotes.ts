import type {Element, ElementContent, Root} from 'hast'
import type {VFile} from 'vfile'
import {sourceMayHold} from '../source-check.js'
import {visit, SKIP} from '../walk.js'

/**
 * Distill's inline footnotes, `<d-footnote>text</d-footnote>`, as the
 * numbered footnotes GFM makes (a `<sup>` reference with a back link, the
 * text in the post's footnote section, made when the post has none), so
 * they look and behave like `[^n]` notes, sidenotes included. They number
 * on from the post's own footnotes. A post without `<d-footnote` is skipped.
 */
export function rehypeDistillFootnotes() {
  return function transform(tree: Root, file: VFile): void {
    if (!sourceMayHold(file, '<d-footnote')) return
    const found: Array<{node: Element; parent: Element | Root}> = []
    visit(tree, 'element', (node, _index, parent) => {
      if (node.tagName === 'code' || node.tagName === 'pre') return SKIP
      if (node.tagName === 'd-footnote' && parent) {
        found.push({node, parent})
        return SKIP
      }
      return undefined
    })
    if (found.length === 0) return
    let section = tree.children.find((child): child is Element => child.type === 'element' && child.tagName === 'section' && child.properties.dataFootnotes !== undefined)
    if (!section) {
      section = el('section', {dataFootnotes: '', className: ['footnotes']}, [el('h2', {className: ['sr-only'], id: 'footnote-label'}, [txt('Footnotes')]), txt('\n'), el('ol', {}, [])])
      tree.children.push(txt('\n') as never, section)
    }
    const list = section.children.find((child): child is Element => child.type === 'element' && child.tagName === 'ol') as Element
    let number = list.children.filter((child) => child.type === 'element' && child.tagName === 'li').length
    for (const {node, parent} of found) {
      number++
      const id = `d-footnote-${number}`
      const reference = el('sup', {}, [el('a', {href: `#user-content-fn-${id}`, id: `user-content-fnref-${id}`, dataFootnoteRef: '', ariaDescribedBy: ['footnote-label']}, [txt(String(number))])])
      if (node.position) reference.position = node.position
      const back = el('a', {href: `#user-content-fnref-${id}`, dataFootnoteBackref: '', ariaLabel: `Back to reference ${number}`, className: ['data-footnote-backref']}, [txt('↩')])
      list.children.push(txt('\n'), el('li', {id: `user-content-fn-${id}`}, [el('p', {}, [...node.children, txt(' '), back])]), txt('\n'))
      const at = parent.children.indexOf(node)
      parent.children.splice(at, 1, reference)
    }
  }
}

function el(tagName: string, properties: Element['properties'], children: ElementContent[]): Element {
  return {type: 'element', tagName, properties, children}
}

function txt(value: string): ElementContent {
  return {type: 'text', value}
}
