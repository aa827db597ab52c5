import type {LiquidPage} from './liquid-scope.js'

/** Jekyll's `paginator` object, as themes use it. Paths carry no baseurl (themes add it with relative_url). */
export interface Paginator {
  readonly page: number
  readonly per_page: number
  readonly posts: readonly LiquidPage[]
  readonly total_posts: number
  readonly total_pages: number
  readonly previous_page: number | null
  readonly previous_page_path: string | null
  readonly next_page: number | null
  readonly next_page_path: string | null
  /**
   * The page links to show (Galley's, not Jekyll's): the first and last page,
   * this one and two on either side, with a `gap` entry where pages are
   * left out (`1 … 4 5 [6] 7 8 … 20`).
   */
  readonly links: readonly PageLink[]
}

/** One entry of {@link Paginator.links}: a page number with its path, or a gap. */
export interface PageLink {
  readonly number: number | null
  readonly path: string | null
  readonly current: boolean
  readonly gap: boolean
}

/**
 * Split `posts` (newest first) into pages of `perPage`. Page 1 lives at
 * `firstUrl` (the index), page N at `pattern` with `:num` replaced
 * (default `/page/:num/`). Always at least one page, so an empty blog still
 * has an index.
 */
export function paginate(posts: readonly LiquidPage[], perPage: number, firstUrl: string, pattern = '/page/:num/'): Array<{url: string; paginator: Paginator}> {
  const size = Math.max(1, Math.floor(perPage))
  const total = Math.max(1, Math.ceil(posts.length / size))
  const urlOf = (page: number) => (page === 1 ? firstUrl : pattern.replace(':num', String(page)))
  return Array.from({length: total}, (_, index) => {
    const page = index + 1
    return {
      url: urlOf(page),
      paginator: {
        page,
        per_page: size,
        posts: posts.slice(index * size, page * size),
        total_posts: posts.length,
        total_pages: total,
        previous_page: page > 1 ? page - 1 : null,
        previous_page_path: page > 1 ? urlOf(page - 1) : null,
        next_page: page < total ? page + 1 : null,
        next_page_path: page < total ? urlOf(page + 1) : null,
        links: pageLinks(page, total, urlOf)
      }
    }
  })
}

/** Pages 1 and `total`, `page` and `around` pages either side; a gap where more than one page is skipped (one is shown instead). */
export function pageLinks(page: number, total: number, urlOf: (page: number) => string, around = 2): PageLink[] {
  const shown = new Set<number>([1, total])
  for (let near = page - around; near <= page + around; near++) if (near >= 1 && near <= total) shown.add(near)
  const numbers = [...shown].sort((a, b) => a - b)
  const links: PageLink[] = []
  let last = 0
  for (const number of numbers) {
    if (number - last === 2) links.push({number: last + 1, path: urlOf(last + 1), current: false, gap: false})
    else if (number - last > 2) links.push({number: null, path: null, current: false, gap: true})
    links.push({number, path: urlOf(number), current: number === page, gap: false})
    last = number
  }
  return links
}
