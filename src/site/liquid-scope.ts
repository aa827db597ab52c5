import type {ImageVariant} from '../images/variants.js'
import type {Post} from '../content/post.js'
import type {ZonedDate} from '../content/zoned-date.js'
import type {Excerpt} from '../markdown/data.js'
import type {PaperMention} from '../markdown/papers/rehype-paper-references.js'
import {tagUrl, type ListingSettings} from './listings.js'
import {readingMinutes} from './reading-time.js'
import {socialCardUrl} from './social-cards/card-path.js'

/** What a rendered document adds to its Post: its HTML, excerpt, and resolved hero image. */
export interface Rendering {
  readonly html: string
  readonly excerpt: Excerpt
  /** The hero image URL (no baseurl), resolved from front-matter `image`. */
  readonly image: string | undefined
  /** The hero image's size, when it is a local file whose header could be read. */
  readonly imageSize?: {readonly width: number; readonly height: number} | undefined
  /** Whether the page has typeset math (the layout then links KaTeX's stylesheet). */
  readonly math?: boolean
  /** Every link to a paper in the body, in order. */
  readonly papers?: readonly PaperMention[] | undefined
  /** Words of prose in the body (code and math left out). */
  readonly words?: number
  /** Encoded copies of local images its `<picture>`s offer (the build makes them). */
  readonly imageVariants?: readonly ImageVariant[] | undefined
}

/** The object layouts see as `page` (and as each entry of `site.posts`). */
export type LiquidPage = Record<string, unknown>

/**
 * The Liquid view of a post or page: its front matter, overlaid with the
 * fields Galley resolved (plain title, safe title HTML, URL, zoned date,
 * resolved image, excerpt). Built once per document and shared by `page` and
 * `site.posts`.
 */
export interface ViewOptions {
  readonly siteAuthor: unknown
  /** Which listing pages exist, so `tag_links`/`category_links` only point at pages that are built. */
  readonly listings: ListingSettings
  /** Whether posts get a generated sharing image (`social_cards`, on unless false). */
  readonly socialCards?: boolean | undefined
}

export function toLiquidPage(post: Post, rendering: Rendering | undefined, options: ViewOptions): LiquidPage {
  const links = (kind: 'tags' | 'categories', names: readonly string[]) => (options.listings[kind] ? names.map((name) => ({name, url: tagUrl(kind, name)})) : [])
  const page: LiquidPage = {
    ...post.data,
    title: post.title.text,
    title_html: post.title.html,
    url: post.url,
    id: post.url,
    path: post.source,
    slug: post.slug,
    date: post.date,
    author: post.data.author ?? options.siteAuthor,
    categories: post.categories,
    tags: post.tags,
    tag_links: post.kind === 'post' ? links('tags', post.tags) : [],
    category_links: post.kind === 'post' ? links('categories', post.categories) : [],
    draft: post.draft,
    collection: post.kind === 'post' ? 'posts' : post.collection?.label,
    relative_path: post.source,
    image: rendering?.image ?? post.data.image,
    image_width: rendering?.imageSize?.width,
    image_height: rendering?.imageSize?.height,
    content: '',
    math: rendering?.math === true,
    papers: distinctPapers(rendering?.papers ?? []),
    word_count: rendering?.words ?? 0,
    reading_time: readingMinutes(rendering?.words ?? 0),
    excerpt: rendering?.excerpt.html ?? '',
    excerpt_text: rendering?.excerpt.text ?? '',
    // The generated sharing image (seo.html's og:image): for posts without an `image`, and for those that ask with
    // `social_card: true` (their image is drawn into the card); `social_card: false` goes without.
    social_card: options.socialCards === true && post.kind === 'post' && post.data.social_card !== false && (post.data.social_card === true || !(rendering?.image ?? post.data.image)) ? socialCardUrl(post.url) : undefined
  }
  // The body's HTML is read when a layout (or a feed) asks for it, not when the view is made: a build lets
  // bodies go once their page is written, and most pages show only their own.
  if (rendering) Object.defineProperty(page, 'content', {get: () => rendering.html, enumerable: true, configurable: true})
  return page
}

/**
 * `page.papers`: each paper the body links, once, with its first link and
 * the first title the post gives it (a reading-list line's before a link text) (JSON-LD `citation`, the papers index).
 */
export function distinctPapers(mentions: readonly PaperMention[]): Array<{id: string; title: string | undefined; url: string; month: string | undefined; reference: boolean}> {
  const byId = new Map<string, {id: string; title: string | undefined; url: string; month: string | undefined; reference: boolean}>()
  for (const mention of mentions) {
    if (mention.invalid) continue
    const known = byId.get(mention.id)
    if (!known) byId.set(mention.id, {id: mention.id, title: mention.title, url: mention.href, month: mention.month, reference: mention.reference})
    // A reading-list line's title wins over a link's text.
    else if (mention.title !== undefined && (known.title === undefined || (mention.reference && !known.reference))) Object.assign(known, {title: mention.title, reference: mention.reference})
  }
  return [...byId.values()]
}

/** Give `view` the fields of `fresh` (a view made again after rendering), keeping its neighbours and any lazy `content`. */
export function refillView(view: LiquidPage, fresh: LiquidPage): void {
  const {next, previous} = view
  Object.defineProperties(view, Object.getOwnPropertyDescriptors(fresh))
  view.next = next
  view.previous = previous
}

/** Link neighbours the way Jekyll does: `next` is the newer post, `previous` the older. `posts` is newest first. */
export function linkNeighbours(posts: readonly LiquidPage[]): void {
  posts.forEach((page, index) => {
    page.next = posts[index - 1]
    page.previous = posts[index + 1]
  })
}

/** `site.tags` / `site.categories`: name → posts (newest first). */
export function groupBy(posts: readonly LiquidPage[], key: 'tags' | 'categories'): Record<string, LiquidPage[]> {
  const groups: Record<string, LiquidPage[]> = {}
  for (const post of posts) {
    for (const name of (post[key] as string[] | undefined) ?? []) (groups[name] ??= []).push(post)
  }
  return groups
}

/** Newest first; ties broken by source path so the order is stable. */
export function byDateDescending(a: Post, b: Post): number {
  return time(b.date) - time(a.date) || a.source.localeCompare(b.source)
}

function time(date: ZonedDate | undefined): number {
  return date?.getTime() ?? 0
}
