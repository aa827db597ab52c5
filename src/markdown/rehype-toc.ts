import type {Element, ElementContent, Root} from 'hast'
import type {VFile} from 'vfile'
import './data.js'
import type {Heading} from './data.js'
import {excerptEnd, separatorFor} from './rehype-excerpt.js'

export interface TocOptions {
  /**
   * When the post's front matter does not say (`toc: true|false`): `true`
   * inserts a table of contents, `'auto'` inserts one when the post has at
   * least `minHeadings` section headings (h2/h3), `false` none. Default `false`.
   */
  readonly enabled?: boolean | 'auto' | undefined
  /** How many h2/h3 headings make a post long enough for an automatic table (`enabled: 'auto'`). Default 4. */
  readonly minHeadings?: number | undefined
  /** The excerpt separator; the table goes right after it. Default `<!--more-->`. */
  readonly separator?: string
}

const emptyOptions: TocOptions = {}

/**
 * Insert a table of contents of the h2/h3 headings after the excerpt (after
 * the separator, else after the first paragraph) when `toc: true` is in the
 * front matter (`file.data.matter`), or the site enables it (always, or
 * for posts with `minHeadings` section headings); `toc: false` in the front
 * matter turns it off. Needs
 * `file.data.headings` from rehype-heading-ids. The inserted nav has no
 * position, so the excerpt never includes it.
 */
export function rehypeToc(options: TocOptions = emptyOptions) {
  return function transform(tree: Root, file: VFile): void {
    const separator = separatorFor(file, options.separator)
    const wanted = file.data.matter?.toc
    const mode = wanted === true || wanted === false ? wanted : (options.enabled ?? false)
    if (mode === false) return
    const headings = (file.data.headings ?? []).filter((heading) => heading.id !== undefined && (heading.depth === 2 || heading.depth === 3))
    if (headings.length === 0 || (mode === 'auto' && headings.length < (options.minHeadings ?? 4))) return
    const list = headingList(headings, 'ol')
    const nav: Element = {
      type: 'element',
      tagName: 'nav',
      properties: {className: ['toc'], ariaLabel: 'Table of contents'},
      children: [{type: 'element', tagName: 'p', properties: {className: ['toc-title']}, children: [{type: 'text', value: 'Contents'}]}, list]
    }
    tree.children.splice(excerptEnd(tree, String(file.value ?? ''), separator), 0, nav)
  }
}

/**
 * Nested lists of links to `headings` (each needs an id), as a table of
 * contents: a heading goes into the list of the nearest heading before it
 * of a smaller depth, else into the top list. `linkIds` gives each link an
 * id of its own (`linkIds + heading id`), as kramdown's `markdown-toc-`.
 */
export function headingList(headings: readonly Heading[], tagName: 'ol' | 'ul', linkIds?: string): Element {
  const list: Element = {type: 'element', tagName, properties: {}, children: []}
  const open: Array<{depth: number; item: Element}> = []
  for (const heading of headings) {
    const item: Element = {type: 'element', tagName: 'li', properties: {}, children: [link(heading.id ?? '', heading.text, linkIds)]}
    while (open.length > 0 && (open[open.length - 1] as {depth: number}).depth >= heading.depth) open.pop()
    const parent = open[open.length - 1]?.item
    if (parent) {
      let sub = parent.children.find((child): child is Element => child.type === 'element' && child.tagName === tagName)
      if (!sub) {
        sub = {type: 'element', tagName, properties: {}, children: []}
        parent.children.push(sub)
      }
      sub.children.push(item)
    } else list.children.push(item)
    open.push({depth: heading.depth, item})
  }
  return list
}

function link(id: string, text: string, linkIds: string | undefined): ElementContent {
  const properties: Element['properties'] = {href: '#' + id}
  if (linkIds !== undefined) properties.id = linkIds + id
  return {type: 'element', tagName: 'a', properties, children: [{type: 'text', value: text}]}
}
