import {nowIn} from '../../content/dates.js'
import type {ZonedDate} from '../../content/zoned-date.js'
import {report} from '../../report.js'
import {hashOf} from '../build-cache.js'
import type {FeedAuthor, FeedOutput, FeedPost} from '../feeds.js'
import type {ModelLink} from '../discussed-models.js'
import type {LiquidPage} from '../liquid-scope.js'
import type {Output} from '../outputs.js'
import type {Emitter} from './types.js'

/** How many posts the feeds carry (jekyll-feed's `posts_limit`). */
const feedSize = 20

/**
 * The Atom feed (`/feed.xml`) and JSON Feed (`/feed.json`) of the newest
 * posts, each unless the site has its own. Problems with the site's settings
 * (no url, no author) are warnings on site.yml.
 */
export const feeds: Emitter = {
  name: 'feeds',
  emit(model, context) {
    const {config} = model
    const wanted = (['feed.xml', 'feed.json'] as const).filter((path) => !context.taken(path))
    if (wanted.length === 0) return []
    const newest = model.postViews.slice(0, feedSize)
    // With no posts, the feeds' `updated` is the build time.
    const key = hashOf(context.keys.site, ...newest.map((view) => context.keys.views.get(view) ?? ''), newest.length === 0 ? String(config.now) : '')
    let made: FeedOutput | undefined
    // The feed library is loaded only when a feed is made.
    const make = async (): Promise<FeedOutput> => {
      if (made) return made
      const {renderFeeds} = await import('../feeds.js')
      made = renderFeeds({
        site: {
          title: plain(config.site.title),
          description: plain(config.site.description),
          url: config.url,
          baseurl: config.baseurl,
          author: feedAuthor(config.site.author) ?? (plain(config.site.title) || 'Anonymous'),
          lang: plain(config.site.lang) || 'en'
        },
        posts: newest.map(toFeedPost),
        updated: nowIn(config.now, {timezone: config.timezone})
      })
      // A site without `url` (a first draft, a folder of posts) gets root-relative feeds without a warning on
      // every build; the README says to set it. Real mistakes (a url that is no URL, no author anywhere) are reported.
      for (const problem of made.problems) {
        if (config.url === '' && /has no url/.test(problem)) continue
        if (model.published.length > 0) report(context.configFile, {reason: problem, ruleId: 'feed', severity: 'warning', place: {line: 1, column: 1}})
      }
      return made
    }
    return wanted.map(
      (path): Output => ({
        path,
        key,
        owner: context.configFile,
        deferrable: false,
        make: async () => (path === 'feed.xml' ? (await make()).atom : (await make()).json)
      })
    )
  }
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
    categories: (view.categories as string[] | undefined) ?? [],
    models: ((view.models_discussed as ModelLink[] | undefined) ?? []).map((model) => ({id: model.id, name: model.name}))
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

function plain(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value)
}
