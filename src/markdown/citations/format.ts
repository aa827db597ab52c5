import type {Element, ElementContent} from 'hast'
import {fromHtml} from 'hast-util-from-html'
import {citationJs} from './parse-bibliography.js'
import type {CitationLibrary, CslItem} from './library.js'
import type {CiteItem} from './remark-citations.js'

/** A formatted bibliography: each cited entry's HTML (phrasing content), in the order the style lists them. */
export interface FormattedEntries {
  readonly order: readonly string[]
  readonly html: ReadonlyMap<string, ElementContent[]>
}

/** Formats citations and entries with citation-js (CSL), in the library's style. Loaded only for posts that cite. */
export interface CitationFormatter {
  /** The in-text label of one item: `Smith & Doe, 2020, p. 3` (author-year), or `Smith & Doe (2020)` when `narrative`. */
  label(item: CiteItem, narrative: boolean): string
  entries(): FormattedEntries
}

const LOCATOR = /^(p|pp|page|pages|chap|chapter|sec|section|§|fig|figure|vol|volume|para|paragraph|no|number|line|lines)\.?\s+(.+)$/i
const LABELS: Record<string, string> = {p: 'page', pp: 'page', page: 'page', pages: 'page', chap: 'chapter', chapter: 'chapter', sec: 'section', section: 'section', '§': 'section', fig: 'figure', figure: 'figure', vol: 'volume', volume: 'volume', para: 'paragraph', paragraph: 'paragraph', no: 'issue', number: 'issue', line: 'line', lines: 'line'}

/** A formatter for the items one post cites, in first-cite order (numeric styles number them so). */
export async function createFormatter(library: CitationLibrary, items: readonly CslItem[]): Promise<CitationFormatter> {
  const {Cite, plugins} = await citationJs()
  if (library.styleXml !== undefined) plugins.config.get('@csl').styles.add(library.style, library.styleXml)
  const cite = new Cite(items.map((item) => ({...item})))
  const template = library.style
  let entries: FormattedEntries | undefined
  return {
    label(item, narrative) {
      const locator = item.locator ? LOCATOR.exec(item.locator) : null
      const entry = {
        id: item.key,
        ...(item.locator ? (locator ? {locator: locator[2] as string, label: LABELS[(locator[1] as string).toLowerCase()] ?? 'page'} : {locator: item.locator, label: 'page'}) : {}),
        ...(item.suppressAuthor || narrative ? {'suppress-author': true} : {})
      }
      const text = cite.format('citation', {format: 'text', template, lang: 'en-US', entry: [entry]}).trim()
      const inner = text.replace(/^\((.*)\)$/s, '$1')
      if (!narrative) return inner
      return `${authorsOf(items.find((candidate) => candidate.id === item.key))} (${inner})`
    },
    entries() {
      if (entries) return entries
      const html = cite.format('bibliography', {format: 'html', template, lang: 'en-US'})
      const tree = fromHtml(html, {fragment: true})
      const order: string[] = []
      const map = new Map<string, ElementContent[]>()
      const visit = (node: ElementContent | Element) => {
        if (node.type !== 'element') return
        const id = node.properties.dataCslEntryId
        if (typeof id === 'string') {
          const inline = node.children.find((child): child is Element => child.type === 'element' && (child.properties.className as string[] | undefined)?.includes('csl-right-inline') === true)
          order.push(id)
          map.set(id, trim(inline ? inline.children : node.children))
          return
        }
        for (const child of node.children) visit(child)
      }
      for (const child of tree.children) visit(child as ElementContent)
      entries = {order, html: map}
      return entries
    }
  }
}

/** `Smith`, `Smith & Doe`, `Smith et al.` — the names a narrative citation starts with. */
function authorsOf(item: CslItem | undefined): string {
  const names = ((item?.author ?? item?.editor) as Array<{family?: string; literal?: string}> | undefined) ?? []
  const family = names.map((name) => name.family ?? name.literal ?? '').filter(Boolean)
  if (family.length === 0) return String(item?.title ?? item?.id ?? '')
  if (family.length === 1) return family[0] as string
  if (family.length === 2) return `${family[0]} & ${family[1]}`
  return `${family[0]} et al.`
}

function trim(nodes: ElementContent[]): ElementContent[] {
  const out = [...nodes]
  const first = out[0]
  if (first?.type === 'text') out[0] = {...first, value: first.value.replace(/^\s+/, '')}
  const last = out[out.length - 1]
  if (last?.type === 'text') out[out.length - 1] = {...last, value: last.value.replace(/\s+$/, '')}
  return out
}
