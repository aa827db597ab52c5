import type {Element, ElementContent, Root} from 'hast'
import type {VFile} from 'vfile'
import './data.js'
import {excerptEnd, separatorFor} from './rehype-excerpt.js'

export interface TocOptions {
  /** Insert a table of contents when the post's front matter does not say (`toc: true|false`). Default `false`. */
  readonly enabled?: boolean
  /** The excerpt separator; the table goes right after it. Default `<!--more-->`. */
  readonly separator?: string
}

const emptyOptions: TocOptions = {}

/**
 * Insert a table of contents of the h2/h3 headings after the excerpt (after
 * the separator, else after the first paragraph) when `toc: true` is in the
 * front matter (`file.data.matter`) or the site enables it. Needs
 * `file.data.headings` from rehype-heading-ids. The inserted nav has no
 * position, so the excerpt never includes it.
 */
export function rehypeToc(options: TocOptions = emptyOptions) {
  return function transform(tree: Root, file: VFile): void {
    const separator = separatorFor(file, options.separator)
    const wanted = file.data.matter?.toc
    if (!(wanted === undefined ? options.enabled === true : wanted === true)) return
    const headings = (file.data.headings ?? []).filter((heading) => heading.id !== undefined && (heading.depth === 2 || heading.depth === 3))
    if (headings.length === 0) return
    const list: Element = {type: 'element', tagName: 'ol', properties: {}, children: []}
    let current: Element | undefined
    for (const heading of headings) {
      const item: Element = {type: 'element', tagName: 'li', properties: {}, children: [link(heading.id ?? '', heading.text)]}
      if (heading.depth === 3 && current) {
        let sub = current.children.find((child): child is Element => child.type === 'element' && child.tagName === 'ol')
        if (!sub) {
          sub = {type: 'element', tagName: 'ol', properties: {}, children: []}
          current.children.push(sub)
        }
        sub.children.push(item)
      } else {
        list.children.push(item)
        if (heading.depth === 2) current = item
      }
    }
    const nav: Element = {
      type: 'element',
      tagName: 'nav',
      properties: {className: ['toc'], ariaLabel: 'Table of contents'},
      children: [{type: 'element', tagName: 'p', properties: {className: ['toc-title']}, children: [{type: 'text', value: 'Contents'}]}, list]
    }
    tree.children.splice(excerptEnd(tree, String(file.value ?? ''), separator), 0, nav)
  }
}

function link(id: string, text: string): ElementContent {
  return {type: 'element', tagName: 'a', properties: {href: '#' + id}, children: [{type: 'text', value: text}]}
}
