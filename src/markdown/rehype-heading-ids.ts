import type {Element, Root} from 'hast'
import {toString} from 'hast-util-to-string'
import GithubSlugger from 'github-slugger'
import {KramdownSlugger, kramdownSlug} from './kramdown/kramdown-slug.js'
import {visit} from './walk.js'
import type {VFile} from 'vfile'
import './data.js'

export interface HeadingIdsOptions {
  /**
   * Add a self-link (`<a class="heading-anchor" href="#id" aria-label="Link
   * to this section: TEXT">`) at the end of each heading: the theme draws it
   * as `#`, shown on hover and on keyboard focus. Default `true`.
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
      const text = headingText(node).replace(/\s+/g, ' ').trim()
      let id = typeof node.properties.id === 'string' && node.properties.id !== '' ? node.properties.id : undefined
      if (id === undefined) {
        // kramdown slugs the text as it is: two spaces (around a `<br>`, say) are two hyphens.
        const raw = kramdown ? headingText(node).trim() : text
        const base = text === '' || (kramdown && kramdownSlug(raw) === '') ? 'section' : raw
        id = slugger.slug(base)
        while (taken.has(id)) id = slugger.slug(base)
        taken.add(id)
        node.properties.id = id
      }
      if (anchors) node.children.push(anchorFor(id, text, node))
      return {depth: Number(node.tagName.slice(1)), id, text}
    })
  }
}

/**
 * A heading's text, with typeset math as its TeX (`L_t`, as kramdown ids and
 * a table of contents read it), not the three copies KaTeX's markup holds
 * (MathML, TeX annotation, HTML).
 */
function headingText(node: Element | Root): string {
  let text = ''
  for (const child of node.children) {
    if (child.type === 'text') text += child.value
    else if (child.type === 'element') {
      const classes = child.properties.className
      if (Array.isArray(classes) && classes.includes('katex')) text += mathSource(child) ?? toString(child)
      else text += headingText(child)
    }
  }
  return text
}

/** The TeX annotation inside KaTeX's markup. */
function mathSource(node: Element): string | undefined {
  for (const child of node.children) {
    if (child.type !== 'element') continue
    if (child.tagName === 'annotation' && child.properties.encoding === 'application/x-tex') return toString(child)
    const found = mathSource(child)
    if (found !== undefined) return found
  }
  return undefined
}

function anchorFor(id: string, text: string, heading: Element): Element {
  return {
    type: 'element',
    tagName: 'a',
    // Reachable with Tab and named for screen readers (like GitHub's
    // "Permalink: …"); the `#` is drawn by the stylesheet, so the link adds
    // no text to feeds, excerpts or the heading's copied text.
    properties: {className: ['heading-anchor'], href: '#' + id, ariaLabel: text === '' ? 'Link to this section' : `Link to this section: ${text}`},
    children: [],
    ...(heading.position ? {position: heading.position} : {})
  }
}
