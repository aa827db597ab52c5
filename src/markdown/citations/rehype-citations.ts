import type {Element, ElementContent, Parents, Root, RootContent} from 'hast'
import {distance} from '../closest.js'
import type {VFile} from 'vfile'
import {report} from '../../report.js'
import {sourceMayHold} from '../source-check.js'
import {visit, SKIP} from '../walk.js'
import {entriesFor, type CitationLibrary, type CslItem} from './library.js'
import type {CiteItem} from './remark-citations.js'
import {CITATION_HINT} from './source-hint.js'

export interface RehypeCitationsOptions {
  /** The build's bibliographies; without one, `<d-cite>` is left as written. */
  readonly library?: CitationLibrary | undefined
}

const emptyOptions: RehypeCitationsOptions = {}

interface Found {
  readonly node: Element
  readonly parent: Parents
}

/**
 * Format the post's citations — Distill's `<d-cite key="a,b">` as written,
 * and pandoc's `[@key]` that remark-citations turned into it — with
 * citation-js in the site's CSL style (author-year or numeric). Each cited
 * item becomes a link (`role="doc-biblioref"`) to its entry in the post's
 * bibliography, followed by a card with the formatted reference that CSS
 * shows on hover and focus (no script). The bibliography, an
 * `<ol role="doc-bibliography">` in a References section, goes where
 * `<d-bibliography>` or a `[^refs]` paragraph stands, else at the end.
 *
 * An unknown key is an error at the citation, naming the closest keys. A
 * post with no citation is skipped by a check of its source, and the
 * formatter (citation-js with citeproc) is only loaded for posts that cite.
 */
export function rehypeCitations(options: RehypeCitationsOptions = emptyOptions) {
  const library = options.library
  return async function transform(tree: Root, file: VFile): Promise<void> {
    if (!library || !sourceMayHold(file, CITATION_HINT)) return
    const cites: Found[] = []
    const places: Found[] = []
    visit(tree, 'element', (node, _index, parent) => {
      if (node.tagName === 'code' || node.tagName === 'pre') return SKIP
      if (!parent) return undefined
      // `<d-bibliography></d-bibliography>` alone on a line is a paragraph of inline HTML in markdown: the paragraph is the place.
      const solid = node.tagName === 'p' ? node.children.filter((child) => !(child.type === 'text' && child.value.trim() === '')) : []
      if (solid.length === 1 && solid[0]?.type === 'element' && solid[0].tagName === 'd-bibliography') {
        places.push({node, parent})
        return SKIP
      }
      if (node.tagName === 'd-cite') cites.push({node, parent})
      else if (node.tagName === 'd-bibliography' || (node.tagName === 'p' && node.children.length === 1 && node.children[0]?.type === 'text' && node.children[0].value.trim() === '[^refs]')) places.push({node, parent})
      return undefined
    })
    if (cites.length === 0) return
    const entries = entriesFor(library, file.data.matter ?? {}, file.path)
    const parsed = cites.map(({node}) => itemsOf(node))
    const cited: string[] = []
    for (const [index, items] of parsed.entries()) {
      for (const item of items) {
        if (entries.has(item.key)) {
          if (!cited.includes(item.key)) cited.push(item.key)
          continue
        }
        const start = (cites[index] as Found).node.position?.start
        const closest = [...entries.keys()].sort((a, b) => distance(item.key, a) - distance(item.key, b) || a.localeCompare(b)).slice(0, 3)
        report(file, {
          reason: `unknown citation key \`${item.key}\`${closest.length > 0 ? ` (closest: ${closest.join(', ')})` : ' (the bibliography has no entries)'}`,
          ruleId: 'citation',
          severity: 'error',
          place: start ? {line: start.line, column: start.column} : undefined
        })
      }
    }
    const {createFormatter} = await import('./format.js')
    const formatter = await createFormatter(library, cited.map((key) => entries.get(key) as CslItem))
    const formatted = formatter.entries()
    const ids = new Map(cited.map((key, index) => [key, `ref-${slug(key) || index + 1}`]))
    const order = library.numeric ? cited : formatted.order.filter((key) => ids.has(key))
    let cards = 0
    for (const [index, {node, parent}] of cites.entries()) {
      const items = parsed[index] as CiteItem[]
      const narrative = node.properties.dataInText !== undefined
      const parts: ElementContent[] = []
      items.forEach((item, at) => {
        if (at > 0) parts.push(text(library.numeric ? ', ' : '; '))
        if (item.prefix) parts.push(text(item.prefix + ' '))
        if (!entries.has(item.key)) {
          parts.push(text(`@${item.key}`))
          return
        }
        const label = library.numeric ? String(cited.indexOf(item.key) + 1) + (item.locator ? `, ${item.locator}` : '') : formatter.label(item, narrative)
        const card = `cite-card-${++cards}`
        const link = element('a', {className: ['citation-link'], href: `#${ids.get(item.key)}`, role: 'doc-biblioref', ariaDescribedBy: [card]}, [text(label)])
        const body = structuredClone(formatted.html.get(item.key) ?? [text(item.key)])
        parts.push(element('span', {className: ['citation']}, [link, element('span', {className: ['citation-card'], role: 'tooltip', id: card}, body)]))
      })
      const [open, close] = narrative && !library.numeric ? ['', ''] : library.numeric ? ['[', ']'] : ['(', ')']
      const lead: ElementContent[] = narrative && library.numeric ? items.map((item) => text(`${authorsText(entries.get(item.key))} `)).slice(0, 1) : []
      const group = element('span', {className: ['citation-group']}, [...lead, text(open), ...parts, text(close)])
      if (node.position) group.position = node.position
      replace(parent, node, [group])
    }
    const section = element('section', {className: ['references'], ariaLabelledBy: ['references']}, [
      element('h2', {id: 'references'}, [text('References')]),
      element(
        'ol',
        {className: ['bibliography'], role: 'doc-bibliography'},
        order.map((key) => element('li', {id: ids.get(key) as string, className: ['bibliography-entry']}, structuredClone(formatted.html.get(key) ?? [text(key)])))
      )
    ])
    const [place, ...rest] = places
    if (place) replace(place.parent, place.node, [section])
    else tree.children.push(text('\n') as RootContent, section)
    for (const other of rest) replace(other.parent, other.node, [])
  }
}

function itemsOf(node: Element): CiteItem[] {
  const written = node.properties.dataItems
  if (typeof written === 'string') {
    try {
      const items = JSON.parse(written) as unknown
      if (Array.isArray(items) && items.every((item) => typeof item === 'object' && item !== null && typeof (item as CiteItem).key === 'string')) return items as CiteItem[]
    } catch {
      // Written by hand and not JSON: read the keys alone.
    }
  }
  const key = node.properties.key
  return String(Array.isArray(key) ? key.join(',') : (key ?? ''))
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => ({key: part}))
}

function authorsText(item: CslItem | undefined): string {
  const names = (item?.author as Array<{family?: string; literal?: string}> | undefined) ?? []
  const family = names.map((name) => name.family ?? name.literal ?? '').filter(Boolean)
  if (family.length === 0) return String(item?.title ?? '')
  return family.length === 1 ? (family[0] as string) : family.length === 2 ? `${family[0]} & ${family[1]}` : `${family[0]} et al.`
}

function replace(parent: Parents, node: Element, nodes: ElementContent[]): void {
  const at = parent.children.indexOf(node as never)
  if (at !== -1) parent.children.splice(at, 1, ...(nodes as never[]))
}

function element(tagName: string, properties: Element['properties'], children: ElementContent[]): Element {
  return {type: 'element', tagName, properties, children}
}

function text(value: string): ElementContent {
  return {type: 'text', value}
}

/** A key as an id fragment: letters, digits, `-` and `_`. */
function slug(key: string): string {
  return key.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '')
}
