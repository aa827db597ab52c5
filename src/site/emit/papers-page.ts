import {hashOf} from '../build-cache.js'
import type {LiquidPage} from '../liquid-scope.js'
import type {Output} from '../outputs.js'
import {outputPathOf} from '../paths.js'
import {wrap} from '../wrap.js'
import type {Emitter} from './types.js'

/** One paper as the index lists it. */
export interface IndexedPaper {
  readonly id: string
  /** The first link a post gave it (newest post first), and the title that post gave. */
  readonly url: string
  readonly title: string | undefined
  /** Each post that links it, with the title as that post gives it. */
  readonly posts: ReadonlyArray<{readonly title: string; readonly url: string; readonly given: string | undefined}>
}

export interface PaperMonth {
  /** `2024-04`, or `undated` for ids that carry no date (DOIs, OpenReview…). */
  readonly month: string
  /** `April 2024`, or `Other papers`. */
  readonly label: string
  readonly papers: readonly IndexedPaper[]
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']

/**
 * Every paper the blog's posts link (see markdown/papers/), newest month of
 * its id first, as plain data: the model of `/papers/`. Posts come newest
 * first; a paper's title is the first a reading-list line gives it, else the
 * first link text.
 */
export function papersByMonth(postViews: readonly LiquidPage[]): PaperMonth[] {
  const papers = new Map<string, {id: string; url: string; title: string | undefined; reference: boolean; month: string; posts: Array<{title: string; url: string; given: string | undefined}>}>()
  for (const view of postViews) {
    for (const paper of (view.papers as Array<{id: string; title: string | undefined; url: string; month: string | undefined; reference: boolean}> | undefined) ?? []) {
      const entry = papers.get(paper.id) ?? {id: paper.id, url: paper.url, title: paper.title, reference: paper.reference, month: paper.month ?? 'undated', posts: []}
      if (paper.title !== undefined && (entry.title === undefined || (paper.reference && !entry.reference))) Object.assign(entry, {title: paper.title, reference: true})
      entry.posts.push({title: String(view.title ?? ''), url: String(view.url ?? ''), given: paper.title})
      papers.set(paper.id, entry)
    }
  }
  const months = new Map<string, IndexedPaper[]>()
  for (const {month, reference: _reference, ...paper} of papers.values()) {
    const list = months.get(month)
    if (list) list.push(paper)
    else months.set(month, [paper])
  }
  return [...months]
    .sort(([a], [b]) => (a === 'undated' ? 1 : b === 'undated' ? -1 : b.localeCompare(a)))
    .map(([month, list]) => ({month, label: labelOf(month), papers: list.sort((a, b) => b.id.localeCompare(a.id))}))
}

function labelOf(month: string): string {
  const match = /^(\d{4})-(\d{2})$/.exec(month)
  return match ? `${MONTHS[Number(match[2]) - 1]} ${match[1]}` : 'Other papers'
}

/**
 * `/papers/`: every paper the blog links, grouped by the month of its id,
 * each with the posts that discuss it (the `papers` layout). Made when some
 * post links a paper, unless the site has its own page there or says
 * `papers_page: false`.
 */
export const papersPage: Emitter = {
  name: 'papers page',
  emit(model, context) {
    if (model.config.site.papers_page === false) return []
    const layout = context.layouts.layouts.get('papers') ? 'papers' : undefined
    const path = outputPathOf('/papers/')
    if (layout === undefined || context.taken(path)) return []
    const months = papersByMonth(model.postViews)
    if (months.length === 0) return []
    const count = months.reduce((sum, month) => sum + month.papers.length, 0)
    const page: LiquidPage = {title: 'Papers', title_html: 'Papers', url: '/papers/', layout, listing: 'papers', months, paper_count: count}
    const scope = {page}
    // Keyed by the months as plain data, hashed once: they hold no views, and a fingerprint would visit every one of their thousands of values.
    const key = context.keys.page(layout, {page: {...page, months: hashOf(JSON.stringify(months))}})
    const output: Output = {path, key, owner: context.generatedOwner, deferrable: true, make: () => wrap('', layout, scope, context.generatedOwner, context.layouts)}
    return [output]
  }
}
