import type {VFile} from 'vfile'
import type {SiteConfig} from '../config.js'
import {nowIn, parseDate} from '../content/dates.js'
import type {Post} from '../content/post.js'
import type {ZonedDate} from '../content/zoned-date.js'
import {withBase} from '../markdown/rehype-base-url.js'
import {report} from '../report.js'
import {hashOf, type BuildCache} from './build-cache.js'
import {renderFeeds, type FeedAuthor, type FeedPost} from './feeds.js'
import type {LiquidPage} from './liquid-scope.js'
import {renderRobots, renderSitemap} from './sitemap.js'

export interface SiteFilesInput {
  readonly config: SiteConfig
  readonly cache: BuildCache
  /** Fingerprint of the site's metadata (URLs, titles, dates, front matter). */
  readonly siteKey: string
  /** Post views, newest first. */
  readonly posts: readonly LiquidPage[]
  /** A view's fingerprint (its rendering and neighbours). */
  readonly viewKey: (view: LiquidPage) => string
  /** Every document that is built. */
  readonly published: readonly Post[]
  /** URLs of the pages Galley makes (index pages, listings), for the sitemap. */
  readonly generatedUrls: readonly string[]
  /** Whether the site has its own file at this output path (it wins). */
  readonly taken: (outputPath: string) => boolean
  /** Where problems with the feeds are reported (site.yml). */
  readonly configFile: VFile
}

/**
 * The files around the posts that are not pages: the Atom and JSON feeds (the
 * 20 newest posts), sitemap.xml and robots.txt — each unless the site has its
 * own, and each from the cache while what it shows is unchanged.
 */
export function siteFiles(input: SiteFilesInput): {files: Map<string, string>; rendered: string[]} {
  const {config, cache, taken} = input
  const files = new Map<string, string>()
  const rendered: string[] = []
  const absolute = (url: string) => config.url + withBase(config.baseurl, url)

  if (!taken('feed.xml') || !taken('feed.json')) {
    const feedPosts = input.posts.slice(0, 20)
    const feedKey = hashOf(input.siteKey, ...feedPosts.map(input.viewKey))
    let feeds = cache.feeds?.key === feedKey ? cache.feeds.value : undefined
    if (!feeds) {
      feeds = renderFeeds({
        site: {
          title: plain(config.site.title),
          description: plain(config.site.description),
          url: config.url,
          baseurl: config.baseurl,
          author: feedAuthor(config.site.author) ?? (plain(config.site.title) || 'Anonymous'),
          lang: plain(config.site.lang) || 'en'
        },
        posts: feedPosts.map((view) => toFeedPost(view)),
        updated: nowIn(config.now, {timezone: config.timezone})
      })
      cache.feeds = {key: feedKey, value: feeds}
      rendered.push('feed.xml', 'feed.json')
    }
    // A site without `url` (a first draft, a folder of posts) gets root-relative feeds without a warning on every build;
    // the README says to set it. Real mistakes (a url that is no URL, no author anywhere) are reported.
    for (const problem of feeds.problems) {
      if (config.url === '' && /has no url/.test(problem)) continue
      if (input.published.length > 0) report(input.configFile, {reason: problem, ruleId: 'feed', severity: 'warning', place: {line: 1, column: 1}})
    }
    if (!taken('feed.xml')) files.set('feed.xml', feeds.atom)
    if (!taken('feed.json')) files.set('feed.json', feeds.json)
  }

  if (config.url !== '' && !taken('sitemap.xml')) {
    // The sitemap depends on URLs and dates only: the site key and the generated pages cover both.
    const sitemapKey = hashOf(input.siteKey, ...input.generatedUrls)
    const cached = cache.pages.get('sitemap.xml')
    if (cached?.key === sitemapKey) files.set('sitemap.xml', cached.html)
    else {
      const listed = input.published.filter((doc) => doc.data.sitemap !== false && doc.url !== '/404.html' && /\.html$|\/$/.test(doc.url))
      const xml = renderSitemap([...listed.map((doc) => ({loc: absolute(doc.url), lastmod: lastModified(doc)})), ...[...input.generatedUrls].sort().map((url) => ({loc: absolute(url)}))])
      cache.pages.set('sitemap.xml', {key: sitemapKey, html: xml})
      files.set('sitemap.xml', xml)
    }
  }

  if (!taken('robots.txt')) files.set('robots.txt', config.url !== '' ? renderRobots(absolute('/sitemap.xml')) : 'User-agent: *\nAllow: /\n')
  return {files, rendered}
}

/** A post as the feeds see it. */
function toFeedPost(view: LiquidPage): FeedPost {
  return {
    url: String(view.url),
    title: String(view.title ?? ''),
    date: view.date as ZonedDate,
    author: feedAuthor(view.author),
    summaryHtml: String(view.excerpt ?? ''),
    summaryText: String(view.excerpt_text ?? ''),
    contentHtml: String(view.content ?? ''),
    image: typeof view.image === 'string' && view.image !== '' ? view.image : undefined,
    tags: (view.tags as string[] | undefined) ?? [],
    categories: (view.categories as string[] | undefined) ?? []
  }
}

/** site.yml's or a post's author, as a name or a {name, email, url} record. */
function feedAuthor(value: unknown): FeedAuthor | undefined {
  if (typeof value === 'string' && value.trim() !== '') return value.trim()
  if (typeof value === 'object' && value !== null && typeof (value as {name?: unknown}).name === 'string') {
    const record = value as {name: string; email?: unknown; url?: unknown}
    return {name: record.name, email: typeof record.email === 'string' ? record.email : undefined, url: typeof record.url === 'string' ? record.url : undefined}
  }
  return undefined
}

/** `last_modified_at` (or `updated`) from the front matter, else the post's date. */
function lastModified(doc: Post): ZonedDate | undefined {
  for (const key of ['last_modified_at', 'updated']) {
    const parsed = doc.data[key] === undefined ? undefined : parseDate(doc.data[key])
    if (parsed?.ok) return parsed.date
  }
  return doc.date
}

function plain(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value)
}
