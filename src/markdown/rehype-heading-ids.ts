import type {Element, Root} from 'hast'
import {toString} from 'hast-util-to-string'
import GithubSlugger from 'github-slugger'
import {KramdownSlugger, kramdownSlug} from './kramdown/kramdown-slug.js'
import {visit} from './walk.js'
import type {VFile} from 'vfile'
import './data.js'

export interface HeadingIdsOptions {
  /**
   * Add a self-link (`<a class="heading-anchor" href="#id">`) at the end of
   * each heading, shown on hover by the theme. Default `true`.
   */
  readonly anchors?: boolean
  /**
   * How ids are made from the heading text: `github` (GitHub's slugger) or
   * `kramdown` (as Jekyll's kramdown makes them, for kramdown sites; see
   * `kramdownSlug`). Default `github`.
   */
  readonly slugs?: 'github' | 'kramdown'
}

const emptyOptions: HeadingIdsOptions = {}

/**
 * Give every heading a unique, stable id (GitHub-style slugs, unique within
 * the page) and a visible self-link; collect the headings on
 * `file.data.headings`. Ids the author wrote are kept and never reused.
 *
 * A fresh slugger per file: a shared one would number ids across pages.
 */
export function rehypeHeadingIds(options: HeadingIdsOptions = emptyOptions) {
  const anchors = options.anchors ?? true
  const kramdown = options.slugs === 'kramdown'
  return function transform(tree: Root, file: VFile): void {
    const slugger = kramdown ? new KramdownSlugger() : new GithubSlugger()
    const headings: Element[] = []
    const taken = new Set<string>()
    visit(tree, 'element', (node: Element) => {
      if (!/^h[1-6]$/.test(node.tagName)) return
      headings.push(node)
      if (typeof node.properties.id === 'string' && node.properties.id !== '') taken.add(node.properties.id)
    })
    file.data.headings = headings.map((node) => {
      const text = toString(node).replace(/\s+/g, ' ').trim()
      let id = typeof node.properties.id === 'string' && node.properties.id !== '' ? node.properties.id : undefined
      if (id === undefined) {
        // kramdown slugs the text as it is: two spaces (around a `<br>`, say) are two hyphens.
        const raw = kramdown ? toString(node).trim() : text
        const base = text === '' || (kramdown && kramdownSlug(raw) === '') ? 'section' : raw
        id = slugger.slug(base)
        while (taken.has(id)) id = slugger.slug(base)
        taken.add(id)
        node.properties.id = id
      }
      if (anchors) node.children.push(anchorFor(id, node))
      return {depth: Number(node.tagName.slice(1)), id, text}
    })
  }
}

function anchorFor(id: string, heading: Element): Element {
  return {
    type: 'element',
    tagName: 'a',
    // Like GitHub's: a pointer convenience for sighted readers, hidden from
    // assistive technology (which navigates by heading already) and from Tab.
    properties: {className: ['heading-anchor'], href: '#' + id, ariaHidden: 'true', tabIndex: -1},
    children: [],
    ...(heading.position ? {position: heading.position} : {})
  }
}
