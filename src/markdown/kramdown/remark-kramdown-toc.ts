import type {List, Paragraph, Root, RootContent} from 'mdast'
import type {Properties} from 'hast'
import type {VFile} from 'vfile'
import {sourceMayHold} from '../source-check.js'
import {visit} from '../walk.js'
import './remark-kramdown-ial.js'

/** The attribute of the placeholder element that `rehypeKramdownToc` fills: `ul` or `ol`. */
export const TOC_PLACEHOLDER = 'dataKramdownToc'

/**
 * kramdown's table-of-contents markers on the mdast, turned into a
 * placeholder (`<div data-kramdown-toc="ul|ol">`) that `rehypeKramdownToc`
 * replaces once heading ids exist:
 * - a list marked `{:toc}` (kramdown's `* TOC` / `1. TOC` followed by
 *   `{:toc}`; `remarkKramdownIal` must run first and leaves the `toc`
 *   reference on `data.kramdownRefs`): the list's other attributes
 *   (`{:toc .class}`, or an IAL before the list) stay on the table, its
 *   kind (bulleted or numbered) too;
 * - a paragraph that is only `{::toc}`, or a one-item `TOC` list followed
 *   by it. No options; the placeholder keeps the marker's position.
 */
export function remarkKramdownToc() {
  return function transform(tree: Root, file: VFile): void {
    if (!sourceMayHold(file, /\{::?toc\b/)) return
    visit(tree, 'list', (node: List, index, parent) => {
      if (!parent || index === undefined) return
      const refs = node.data?.kramdownRefs
      if (refs?.includes('toc')) {
        parent.children.splice(index, 1, placeholder(node, node.ordered === true ? 'ol' : 'ul', node.data?.hProperties ?? {}))
        return index + 1
      }
      if (isTocListWithExtension(node)) {
        parent.children.splice(index, 1, placeholder(node, node.ordered === true ? 'ol' : 'ul', node.data?.hProperties ?? {}))
        return index + 1
      }
      return undefined
    })
    visit(tree, 'paragraph', (node: Paragraph, index, parent) => {
      if (!parent || index === undefined) return
      const only = node.children.length === 1 ? node.children[0] : undefined
      if (only?.type !== 'text' || only.value.trim() !== '{::toc}') return
      parent.children.splice(index, 1, placeholder(node, 'ul', node.data?.hProperties ?? {}))
    })
  }
}

/** `* TOC` with `{::toc}` on the next line: CommonMark reads both as the item's one paragraph. */
function isTocListWithExtension(list: List): boolean {
  const item = list.children.length === 1 ? list.children[0] : undefined
  const paragraph = item?.children.length === 1 ? item.children[0] : undefined
  if (paragraph?.type !== 'paragraph' || paragraph.children.length !== 1) return false
  const text = paragraph.children[0]
  return text?.type === 'text' && /^TOC[ \t]*\n[ \t]*\{::toc\}[ \t]*$/.test(text.value)
}

function placeholder(from: RootContent, tagName: 'ul' | 'ol', attributes: Properties): Paragraph {
  const node: Paragraph = {
    type: 'paragraph',
    children: [],
    data: {hName: 'div', hProperties: {...attributes, [TOC_PLACEHOLDER]: tagName}, hChildren: []}
  }
  if (from.position) node.position = from.position
  return node
}
