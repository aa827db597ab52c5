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
        next_page_path: page < total ? urlOf(page + 1) : null
      }
    }
  })
}
