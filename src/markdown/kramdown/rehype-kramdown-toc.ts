import type {Element, Root} from 'hast'
import type {VFile} from 'vfile'
import '../data.js'
import {headingList} from '../rehype-toc.js'
import {visit} from '../walk.js'

export interface KramdownTocOptions {
  /** Heading depths the table lists (kramdown's `toc_levels`). Default 1 to 6. */
  readonly levels?: readonly number[]
}

const emptyOptions: KramdownTocOptions = Object.freeze({})

/**
 * Fill the table-of-contents placeholders `remarkKramdownToc` left
 * (`<div data-kramdown-toc="ul|ol">`) with nested lists of links to every
 * heading of the post, as kramdown does: `<ul id="markdown-toc">` (or the id
 * the author gave), the author's classes kept, each link with its own id
 * `markdown-toc-<heading id>`. Needs `file.data.headings` from
 * rehype-heading-ids, so it runs after it. A post without such headings loses
 * the placeholder. `levels` chooses the depths listed. The list has no position (as rehype-toc's nav), so an
 * excerpt never holds it. 
 */
export function rehypeKramdownToc(options: KramdownTocOptions = emptyOptions) {
  const levels = new Set(options.levels ?? [1, 2, 3, 4, 5, 6])
  return function transform(tree: Root, file: VFile): void {
    // A post without a placeholder has nothing to fill: cheap check on the markers' source first.
    if (file.value !== undefined && !/\{::?toc\b/.test(String(file.value))) return
    const headings = (file.data.headings ?? []).filter((heading) => heading.id !== undefined && levels.has(heading.depth))
    visit(tree, 'element', (node: Element, index, parent) => {
      const kind = node.properties.dataKramdownToc
      if (kind === undefined || !parent || index === undefined) return
      if (headings.length === 0) {
        parent.children.splice(index, 1)
        return index
      }
      const {dataKramdownToc: _kind, ...properties} = node.properties
      const list = headingList(headings, kind === 'ol' ? 'ol' : 'ul', 'markdown-toc-')
      list.properties = {...properties, id: typeof properties.id === 'string' ? properties.id : 'markdown-toc'}
      parent.children[index] = list
      return index + 1
    })
  }
}
