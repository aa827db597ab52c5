import {slugify} from '../content/permalink.js'
import type {LiquidPage} from './liquid-scope.js'
import {escapeHtml} from '../content/escape-html.js'

/** A page Galley makes itself (tag, category, archive, not-found), before layouts. */
export interface ListingPage {
  readonly url: string
  /** The layouts to try, first found wins (a site may provide `tag.html`; the theme has `list.html`). */
  readonly layouts: readonly string[]
  /** What the layout sees as `page`. */
  readonly page: LiquidPage
}

export interface ListingSettings {
  readonly tags: boolean
  readonly categories: boolean
  readonly archive: boolean
}

/** `/tags/<slug>/` for a tag name: Jekyll's slugify, which keeps letters of every script readable. */
export function tagUrl(kind: 'tags' | 'categories', name: string): string {
  return `/${kind}/${slugify(name) || 'untitled'}/`
}

/**
 * The listing pages of a blog: one per tag and per category (names that slug
 * the same share a page), and an archive grouped by year. `posts` is newest
 * first, and each listing keeps that order.
 */
export function listingPages(posts: readonly LiquidPage[], settings: ListingSettings): ListingPage[] {
  const pages: ListingPage[] = []
  for (const kind of ['tags', 'categories'] as const) {
    if (!settings[kind]) continue
    const groups = new Map<string, {names: Set<string>; posts: LiquidPage[]}>()
    for (const post of posts) {
      for (const name of (post[kind] as readonly string[] | undefined) ?? []) {
        const url = tagUrl(kind, name)
        const group = groups.get(url) ?? {names: new Set<string>(), posts: []}
        group.names.add(name)
        if (!group.posts.includes(post)) group.posts.push(post)
        groups.set(url, group)
      }
    }
    for (const [url, group] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
      const name = [...group.names].join(', ')
      const title = kind === 'tags' ? `Posts tagged “${name}”` : `Posts in “${name}”`
      pages.push({url, layouts: [kind === 'tags' ? 'tag' : 'category', 'list'], page: {title, title_html: escapeHtml(title), url, layout: 'list', listing: kind, name, posts: group.posts}})
    }
  }
  if (settings.archive) {
    const years: Array<{name: string; posts: LiquidPage[]}> = []
    for (const post of posts) {
      const year = String((post.date as {wall?: () => {year: number}} | undefined)?.wall?.().year ?? '')
      const last = years[years.length - 1]
      if (last && last.name === year) last.posts.push(post)
      else years.push({name: year, posts: [post]})
    }
    pages.push({url: '/archive/', layouts: ['archive', 'list'], page: {title: 'Archive', title_html: 'Archive', url: '/archive/', layout: 'archive', listing: 'archive', posts, years}})
  }
  return pages
}

/** One entry of the tags index: a tag page and how many posts it lists. */
export interface TagCount {
  readonly name: string
  readonly url: string
  readonly count: number
}

/**
 * Every tag with its page and post count, by name (case-insensitively, in
 * the site's language order); names that slug the same share an entry, as
 * they share a page.
 */
export function tagCounts(posts: readonly LiquidPage[]): TagCount[] {
  const groups = new Map<string, {names: Set<string>; posts: Set<LiquidPage>}>()
  for (const post of posts) {
    for (const name of (post.tags as readonly string[] | undefined) ?? []) {
      const url = tagUrl('tags', name)
      const group = groups.get(url) ?? {names: new Set<string>(), posts: new Set<LiquidPage>()}
      group.names.add(name)
      group.posts.add(post)
      groups.set(url, group)
    }
  }
  return [...groups]
    .map(([url, group]) => ({name: [...group.names].join(', '), url, count: group.posts.size}))
    .sort((a, b) => a.name.localeCompare(b.name, undefined, {sensitivity: 'base'}) || a.url.localeCompare(b.url))
}
