import type {Layout, LayoutSet} from '../layout/layouts.js'
import {layoutChain} from '../layout/layouts.js'
import {fingerprint, hashOf} from './build-cache.js'
import type {LiquidPage} from './liquid-scope.js'

/**
 * The keys of the output cache: what a page made by a layout may show, so a
 * page is made again exactly when one of them changes. Pages see the site's
 * metadata (`siteKey`: every document's URL, title, date and front matter,
 * the config, the data files, the file list), the layouts and includes
 * (`layoutKey`), their own view and the views they list (each stands in by
 * its view key: its rendering's hash and its neighbours), and — only when
 * their layout chain reads them — every post (`postsKey`) or the build time.
 */
export interface PageKeys {
  readonly site: string
  readonly layout: string
  /** Changes with any post's rendering. */
  readonly posts: string
  /** The key a view stands in by inside other keys. */
  readonly views: ReadonlyMap<object, string>
  /** Whether the chain starting at `layout` reads `site.posts`, `site.tags` or `site.categories` (a recent-posts sidebar). */
  readsAllPosts(layout: string | undefined): boolean
  /** Whether the chain starting at `layout` reads `site.time` (then the page changes with every build). */
  readsTime(layout: string | undefined): boolean
  /**
   * The key of a page made by wrapping `scope` in `layout`. An index page
   * says which posts it lists: `all` (an index without pagination), or
   * `paginator` (the posts in its scope), and then its layout's mentions of
   * `site.posts` are taken to be the fallback for the other case.
   */
  page(layout: string | undefined, scope: Record<string, unknown>, lists?: 'all' | 'paginator'): string
}

export interface PageKeyInput {
  readonly siteKey: string
  readonly layouts: LayoutSet
  /** Names and texts of every include (liquidjs reads them itself). */
  readonly includeTexts: readonly string[]
  /** Post views, newest first. */
  readonly postViews: readonly LiquidPage[]
  readonly viewKeys: ReadonlyMap<object, string>
  /** The build's time, for pages whose layouts print it. */
  readonly now: number
}

const postsPattern = /\bsite\.(posts|tags|categories)\b/
const timePattern = /\bsite\.time\b/

export function createPageKeys(input: PageKeyInput): PageKeys {
  const layout = hashOf(...input.layouts.all().flatMap((one) => [one.name, String(one.file.value ?? '')]), ...input.includeTexts)
  const posts = hashOf(...input.postViews.map((view) => input.viewKeys.get(view) ?? ''))
  const includes = input.includeTexts.filter((_text, index) => index % 2 === 1).map(withoutComments)
  const chainReads = (pattern: RegExp) => {
    // Includes cannot be told apart by chain: a chain that includes anything counts when any include reads it.
    const includesRead = includes.some((text) => pattern.test(text))
    const memo = new Map<string, boolean>()
    return (name: string | undefined): boolean => {
      if (name === undefined) return false
      let reads = memo.get(name)
      if (reads === undefined) {
        reads = layoutChain(input.layouts, name).some((one: Layout) => {
          const text = withoutComments(String(one.file.value ?? ''))
          return pattern.test(text) || (includesRead && /\{%-?\s*include\b/.test(text))
        })
        memo.set(name, reads)
      }
      return reads
    }
  }
  const readsAllPosts = chainReads(postsPattern)
  const readsTime = chainReads(timePattern)
  return {
    site: input.siteKey,
    layout,
    posts,
    views: input.viewKeys,
    readsAllPosts,
    readsTime,
    page(name, scope, lists) {
      const all = lists === 'all' || (lists === undefined && readsAllPosts(name))
      const reads = {posts: all ? posts : undefined, time: readsTime(name) ? input.now : undefined}
      return hashOf(layout, input.siteKey, name ?? '', fingerprint({scope, reads}, input.viewKeys))
    }
  }
}

/** Whether a body's own Liquid reads the build time. */
export function textReadsTime(text: string): boolean {
  return timePattern.test(withoutComments(text))
}

function withoutComments(text: string): string {
  return text.replace(/\{%-?\s*comment\s*-?%\}[\s\S]*?\{%-?\s*endcomment\s*-?%\}/g, '')
}
