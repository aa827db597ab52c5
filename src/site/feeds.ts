import {isSafeUrl} from '../content/safe-url.js'
import type {Root} from 'hast'
import {Feed, type Author as LibraryAuthor, type Item as LibraryItem} from 'feed'
import {fromHtml} from 'hast-util-from-html'
import {toHtml} from 'hast-util-to-html'
import {visit} from 'unist-util-visit'
import type {ZonedDate} from '../content/zoned-date.js'
import {rewriteUrls, urlPropertiesOf} from '../markdown/url-attributes.js'
import {escapeHtml} from '../content/escape-html.js'

/** A person as site.yml or front matter names them: a bare name, or name plus contact details. */
export type FeedAuthor = string | {readonly name: string; readonly email?: string | undefined; readonly url?: string | undefined}

/** One post as the feeds see it. */
export interface FeedPost {
  /** URL without baseurl, e.g. `/2024/05/12/hello/`. */
  readonly url: string
  /** Plain-text title (no markup, no entities). */
  readonly title: string
  /** Publication date, in the offset the author wrote it in. */
  readonly date: ZonedDate
  /** Last change, when known (front-matter `updated`/`last_modified_at`). Default: `date`. */
  readonly updated?: ZonedDate | undefined
  /** The post's author. Default: the site's author. */
  readonly author?: FeedAuthor | undefined
  /** The excerpt as HTML (Atom `<summary type="html">`). URLs as rendered: root-relative ones carry the baseurl. */
  readonly summaryHtml: string
  /** The excerpt as plain text (JSON Feed `summary`). */
  readonly summaryText: string
  /** The whole post as HTML. URLs as rendered: root-relative ones carry the baseurl. */
  readonly contentHtml: string
  /** Hero image URL without baseurl (`/assets/x.png`), or an absolute URL. */
  readonly image?: string | undefined
  readonly tags: readonly string[]
  readonly categories: readonly string[]
  /**
   * The models the post discusses (the site's model data): each an Atom
   * `<category term="<id>" label="<name>" scheme="<site>/models/">`, whose
   * scheme and term make the model page's address, and a JSON Feed tag of its name.
   */
  readonly models?: ReadonlyArray<{readonly id: string; readonly name: string}> | undefined
}

/** Everything {@link renderFeeds} needs. */
export interface FeedInput {
  readonly site: {
    /** Plain-text site title. */
    readonly title: string
    /** Plain-text description (Atom `subtitle`, JSON Feed `description`); omitted when empty. */
    readonly description: string
    /**
     * The site's origin, e.g. `https://example.com` (a trailing slash is
     * ignored; a path is kept, as Jekyll's `absolute_url` does). May be `''`:
     * the feeds are then written with root-relative links and ids, and the
     * result's `problems` says so.
     */
    readonly url: string
    /** `''` or a path such as `/blog` (leading slash, no trailing slash). */
    readonly baseurl: string
    /** The site's author; `''` for none. */
    readonly author: FeedAuthor
    /** BCP 47 language tag such as `en` or `ja-JP` (`en_US` is read as `en-US`). */
    readonly lang: string
  }
  /** Posts to syndicate, newest first, already filtered (no drafts, no future posts). */
  readonly posts: readonly FeedPost[]
  /** Build time: the feed's `updated` when there are no posts. */
  readonly updated: ZonedDate
  /** At most this many posts are included. Default: `20` (jekyll-feed's `posts_limit`). */
  readonly limit?: number | undefined
  /** Where the feeds are written, without baseurl. Default: `{atom: '/feed.xml', json: '/feed.json'}`. */
  readonly paths?: {readonly atom: string; readonly json: string} | undefined
}

/** The two feed documents, plus what kept them from being fully correct. */
export interface FeedOutput {
  /** Atom 1.0 (RFC 4287) document, for `paths.atom`. */
  readonly atom: string
  /** JSON Feed 1.1 document, for `paths.json`. */
  readonly json: string
  /**
   * Problems with the site settings, one sentence each, for the build to
   * report as warnings on site.yml. The feeds are still produced. Example:
   * `site.yml has no url: feed links cannot be absolute`.
   */
  readonly problems: string[]
}

const defaultLimit = 20
const defaultPaths = {atom: '/feed.xml', json: '/feed.json'} as const

/**
 * Stand-in origin while the site has no `url`: the `feed` library runs every
 * link through `new URL()`, which rejects root-relative URLs, so links are
 * built on this origin and it is cut off again afterwards. `.invalid` is
 * reserved (RFC 2606), so it can never be a real site.
 */
const placeholderOrigin = 'https://galley.invalid'

/**
 * Render the Atom feed (jekyll-feed's `/feed.xml`) and a JSON Feed 1.1
 * (`/feed.json`) for the newest `limit` posts.
 *
 * Both carry absolute URLs everywhere: entry ids and links, the feed's self
 * and home links, and every `href`, `src`, `srcset`, `poster` (and other URL
 * attribute) inside summaries and content, resolved against the post's own
 * URL (so `#fn-1` points into the post). Dates keep the author's offset
 * (`2024-05-12T00:00:00+09:00`). Titles are plain text, escaped once.
 *
 * Without `site.url` nothing can be absolute: the feeds then use
 * root-relative links and ids (`/blog/2024/05/12/x/`), which feed readers
 * resolve against the feed's own address but which RFC 4287 does not allow
 * for `atom:id`; `problems` says so, and the build should pass it on.
 *
 * Atom goes through the `feed` library (jpmonette/feed) with a few
 * corrections it cannot make itself (see {@link correctAtom}); the JSON Feed
 * is written here, because `feed` only writes JSON Feed 1.0.
 */
export function renderFeeds(input: FeedInput): FeedOutput {
  const problems: string[] = []
  const links = createLinks(input.site.url, input.site.baseurl, problems)
  const paths = input.paths ?? defaultPaths
  const language = languageTag(input.site.lang, problems)
  const siteAuthor = toPerson(input.site.author, links)
  const posts = input.posts.slice(0, Math.max(0, input.limit ?? defaultLimit)).map((post) => toEntry(post, links, siteAuthor))

  if (!siteAuthor && posts.some((post) => !post.author)) {
    problems.push('site.yml has no author, and some posts name none: Atom requires an author for every entry (RFC 4287 §4.1.1)')
  }

  const feed: FeedModel = {
    title: xmlSafe(input.site.title),
    description: xmlSafe(input.site.description),
    home: links.site('/'),
    atomUrl: links.site(paths.atom),
    jsonUrl: links.site(paths.json),
    language,
    author: siteAuthor,
    updated: posts.reduce<ZonedDate>((latest, post) => (post.updated.getTime() > latest.getTime() ? post.updated : latest), posts[0]?.updated ?? input.updated),
    posts
  }

  return {atom: renderAtom(feed, links), json: renderJsonFeed(feed, links), problems}
}

/** A person with the name resolved and the URL absolute. */
interface Person {
  readonly name: string
  readonly email: string | undefined
  readonly url: string | undefined
}

/** A post with every URL absolute (on the placeholder origin when the site has no url) and text made XML-safe. */
interface Entry {
  readonly url: string
  readonly title: string
  readonly published: ZonedDate
  readonly updated: ZonedDate
  readonly author: Person | undefined
  readonly summaryHtml: string
  readonly summaryText: string
  readonly contentHtml: string
  readonly image: string | undefined
  /** Categories then tags, each once. */
  readonly terms: string[]
  /** The models it discusses, XML-safe, with the scheme their pages live under. */
  readonly models: ReadonlyArray<{readonly term: string; readonly label: string; readonly scheme: string}>
}

interface FeedModel {
  readonly title: string
  readonly description: string
  readonly home: string
  readonly atomUrl: string
  readonly jsonUrl: string
  readonly language: string | undefined
  readonly author: Person | undefined
  readonly updated: ZonedDate
  readonly posts: readonly Entry[]
}

/** Builds absolute URLs for one site, and turns them into what is published. */
interface Links {
  /** A site path without baseurl (`/2024/x/`, `/feed.xml`) → absolute URL. */
  site(path: string): string
  /** A URL reference as written in a page (`/blog/x.png`, `#fn`, `x.png`, `https://…`) → absolute, against `base`. Undefined to leave it as is. */
  resolve(reference: string, base: string): string | undefined
  /** An absolute URL as it is published: unchanged, or root-relative when the site has no url. */
  publish(url: string): string
  /** The site's origin (`https://example.com`), or the placeholder origin when it has none. */
  readonly origin: string
}

function createLinks(siteUrl: string, baseurl: string, problems: string[]): Links {
  // Like Jekyll's `absolute_url`: site.url + baseurl + path, so a url with a path (`https://example.com/~ann`) keeps it.
  let root = ''
  const trimmed = siteUrl.trim().replace(/\/+$/, '')
  if (trimmed === '') {
    problems.push('site.yml has no url: feed links cannot be absolute')
  } else if (!/^https?:\/\/[^/?#]+[^?#]*$/i.test(trimmed) || !URL.canParse(trimmed)) {
    problems.push(`site.yml url "${siteUrl}" is not an absolute http(s) URL like https://example.com: feed links cannot be absolute`)
  } else {
    root = new URL(trimmed).href.replace(/\/+$/, '')
  }
  const origin = root === '' ? '' : new URL(root).origin
  const prefix = (root || placeholderOrigin) + baseurl.replace(/\/+$/, '')

  return {
    origin: origin || placeholderOrigin,
    site: (path) => new URL(prefix + (path.startsWith('/') ? path : '/' + path)).href,
    resolve(reference, base) {
      // Leave `mailto:`, `data:`, `https:` … as written; only references without a scheme need a base.
      if (/^[a-z][a-z\d+.-]*:/i.test(reference.trim())) return undefined
      try {
        return publish(new URL(reference, base).href)
      } catch {
        return undefined
      }
    },
    publish
  }

  function publish(url: string): string {
    return origin === '' && url.startsWith(placeholderOrigin + '/') ? url.slice(placeholderOrigin.length) : url
  }
}

function toEntry(post: FeedPost, links: Links, siteAuthor: Person | undefined): Entry {
  const url = links.site(post.url)
  const image = post.image ? imageUrl(post.image.trim(), links) : undefined
  return {
    url,
    title: xmlSafe(post.title),
    published: post.date,
    updated: post.updated ?? post.date,
    author: (post.author === undefined ? undefined : toPerson(post.author, links)) ?? siteAuthor,
    summaryHtml: absolutizeHtml(post.summaryHtml, url, links),
    summaryText: xmlSafe(post.summaryText),
    contentHtml: absolutizeHtml(post.contentHtml, url, links),
    image: image === undefined ? undefined : xmlSafe(image),
    terms: [...new Set([...post.categories, ...post.tags].map((term) => xmlSafe(term)).filter((term) => term !== ''))],
    models: (post.models ?? []).map((model) => ({term: xmlSafe(model.id), label: xmlSafe(model.name), scheme: links.site('/models/')}))
  }
}

/** A hero image: absolute URLs as written, `//cdn/x` on https, anything else a site path (no baseurl). */
function imageUrl(image: string, links: Links): string {
  if (/^[a-z][a-z\d+.-]*:/i.test(image)) return image
  return image.startsWith('//') ? new URL(image, links.origin).href : links.site(image)
}

function toPerson(author: FeedAuthor, links: Links): Person | undefined {
  const fields = typeof author === 'string' ? {name: author} : author
  const name = xmlSafe(String(fields.name ?? '').trim())
  if (name === '') return undefined
  const email = typeof fields.email === 'string' && /.+@.+/.test(fields.email) ? xmlSafe(fields.email.trim()) : undefined
  const written = typeof fields.url === 'string' ? fields.url.trim() : ''
  // Relative author URLs are read against the home page (`about/` → `/blog/about/`).
  // Only http(s), relative and root-relative URLs: a `javascript:` author link must not reach a feed reader.
  const url = written !== '' && isSafeUrl(written) && URL.canParse(written, links.site('/')) ? new URL(written, links.site('/')).href : undefined
  return {name, email, url}
}

/** `en_US` → `en-US`; undefined (and a problem) when it is not a language tag. */
function languageTag(lang: string, problems: string[]): string | undefined {
  const tag = lang.trim().replace(/_/g, '-')
  if (tag === '') return undefined
  if (/^[A-Za-z]{1,8}(-[A-Za-z\d]{1,8})*$/.test(tag)) return tag
  problems.push(`site.yml lang "${lang}" is not a language tag such as en or ja-JP: the feeds name no language`)
  return undefined
}

/**
 * Make every URL attribute in `html` absolute, resolved against the post's
 * URL `base` (root-relative `/blog/x` → `https://example.com/blog/x`,
 * `#fn-1` → the post URL plus `#fn-1`). Goes through hast, so only real
 * attributes change, never text that looks like one.
 */
function absolutizeHtml(html: string, base: string, links: Links): string {
  if (html.trim() === '') return ''
  const tree: Root = fromHtml(html, {fragment: true})
  visit(tree, 'element', (node) => {
    for (const name of urlPropertiesOf(node)) rewriteUrls(node, name, (url) => links.resolve(url, base))
  })
  return xmlSafe(toHtml(tree))
}

/**
 * HTML for a CDATA section: a literal `]]>` would end it, and the `feed`
 * library (through xml-js) splits only the first one. `]]&gt;` means the same
 * in HTML text and attribute values (not inside `<script>`/`<style>`, which
 * feed readers drop anyway).
 */
function cdataSafe(html: string): string | undefined {
  return html === '' ? undefined : html.replaceAll(']]>', ']]&gt;')
}

/**
 * Atom through the `feed` library, then corrected where it cannot do better:
 *
 * - Dates: `feed` prints every date with `Date#toISOString()`, always in UTC.
 *   Its output is post-processed so `<published>`/`<updated>` carry the
 *   author's offset instead (`2024-05-12T00:00:00+09:00`, the same instant).
 * - `feed` has no `xml:lang`; it is added to `<feed>`.
 * - Category terms go into an attribute where xml-js leaves `<` raw; it is escaped.
 * - Without a site url, the placeholder origin is cut from ids and links.
 *
 * Entry titles are emitted by `feed` as `<title type="html">` in CDATA, so
 * the plain title is HTML-escaped first (a reader then shows `A & B <c>`
 * literally, not as markup). Text nodes go through xml-js, which turns an
 * existing `&amp;` back into `&` before escaping; {@link keepAmp} undoes that.
 */
function renderAtom(feed: FeedModel, links: Links): string {
  const library = new Feed({
    title: keepAmp(feed.title),
    description: feed.description === '' ? undefined : keepAmp(feed.description),
    id: keepAmp(feed.atomUrl),
    link: feed.home,
    feedLinks: {atom: feed.atomUrl},
    updated: feed.updated,
    generator: 'Galley',
    author: feed.author && toLibraryAuthor(feed.author)
  })
  for (const post of feed.posts) {
    const item: LibraryItem = {
      title: escapeHtml(post.title),
      id: post.url,
      link: post.url,
      date: post.updated,
      published: post.published,
      description: cdataSafe(post.summaryHtml),
      content: cdataSafe(post.contentHtml),
      author: post.author && [toLibraryAuthor(post.author)],
      category: [...post.terms.map((term) => ({term})), ...post.models.map((model) => ({term: model.term, name: keepAmp(model.label), scheme: model.scheme}))]
    }
    library.addItem(item)
  }
  return correctAtom(library.atom1(), feed, links)
}

function toLibraryAuthor(person: Person): LibraryAuthor {
  return {name: keepAmp(person.name), email: person.email && keepAmp(person.email), link: person.url}
}

/**
 * Post-process `feed`'s Atom output. Only the markup outside CDATA sections
 * is touched: every text value there was escaped by xml-js, so each
 * `<updated>`, `<published>`, `<category term="…">` and `<feed …>` found there
 * is one the library wrote, never post content.
 */
function correctAtom(xml: string, feed: FeedModel, links: Links): string {
  // Dates in document order: the feed's <updated>, then each entry's <updated>; each entry's <published>.
  const dates: Record<'updated' | 'published', ZonedDate[]> = {
    updated: [feed.updated, ...feed.posts.map((post) => post.updated)],
    published: feed.posts.map((post) => post.published)
  }
  return xml
    .split(/(<!\[CDATA\[[\s\S]*?\]\]>)/)
    .map((part, index) => {
      if (index % 2 === 1) return part
      let out = part.replace(/<(updated|published)>([^<]*)<\/\1>/g, (whole, tag: 'updated' | 'published', value: string) => {
        const date = dates[tag].shift()
        // Only replace what is known to be the same instant; anything else stays as the library wrote it (still correct, in UTC).
        return date && date.toISOString() === value ? `<${tag}>${rfc3339(date)}</${tag}>` : whole
      })
      out = out.replace(/<category ((?:[a-z]+="[^"]*"\s*)+)/g, (_, attributes: string) => `<category ${attributes.replaceAll('<', '&lt;')}`)
      // The root start tag always precedes the first CDATA section.
      if (index === 0 && feed.language) {
        out = out.replace('<feed xmlns="http://www.w3.org/2005/Atom">', `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${feed.language}">`)
      }
      return links.origin === placeholderOrigin ? out.replaceAll(placeholderOrigin, '') : out
    })
    .join('')
}

/** JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/). */
interface JsonFeed {
  version: 'https://jsonfeed.org/version/1.1'
  title: string
  home_page_url: string
  feed_url: string
  description?: string
  language?: string
  authors?: JsonAuthor[]
  items: JsonItem[]
}

interface JsonAuthor {
  name: string
  url?: string
}

interface JsonItem {
  id: string
  url: string
  title: string
  content_html: string
  summary?: string
  image?: string
  date_published: string
  date_modified: string
  authors?: JsonAuthor[]
  tags?: string[]
}

function renderJsonFeed(feed: FeedModel, links: Links): string {
  const json: JsonFeed = {
    version: 'https://jsonfeed.org/version/1.1',
    title: feed.title,
    home_page_url: links.publish(feed.home),
    feed_url: links.publish(feed.jsonUrl),
    ...(feed.description === '' ? {} : {description: feed.description}),
    ...(feed.language ? {language: feed.language} : {}),
    ...(feed.author ? {authors: [toJsonAuthor(feed.author, links)]} : {}),
    items: feed.posts.map((post) => ({
      id: links.publish(post.url),
      url: links.publish(post.url),
      title: post.title,
      content_html: post.contentHtml,
      ...(post.summaryText.trim() === '' ? {} : {summary: post.summaryText.trim()}),
      ...(post.image ? {image: links.publish(post.image)} : {}),
      date_published: rfc3339(post.published),
      date_modified: rfc3339(post.updated),
      ...(post.author ? {authors: [toJsonAuthor(post.author, links)]} : {}),
      ...(post.terms.length + post.models.length > 0 ? {tags: [...new Set([...post.terms, ...post.models.map((model) => model.label)])]} : {})
    }))
  }
  return JSON.stringify(json, null, 2) + '\n'
}

/** JSON Feed authors have no email field. */
function toJsonAuthor(person: Person, links: Links): JsonAuthor {
  return person.url ? {name: person.name, url: links.publish(person.url)} : {name: person.name}
}

/**
 * RFC 3339 in the date's own offset. `toZonedISOString()` drops milliseconds;
 * they are kept here when present (build times have them) so the instant is exact.
 */
function rfc3339(date: ZonedDate): string {
  const zoned = date.toZonedISOString()
  const ms = date.getUTCMilliseconds()
  return ms === 0 ? zoned : zoned.replace(/(:\d\d)([+-]\d\d:\d\d)$/, `$1.${String(ms).padStart(3, '0')}$2`)
}


/** xml-js turns `&amp;` in a text node back into `&` before escaping; doubling it first keeps a literal `&amp;` literal. */
function keepAmp(text: string): string {
  return text.replaceAll('&amp;', '&amp;amp;')
}

/** Drop what XML 1.0 cannot carry at all, even escaped: C0 controls other than tab/LF/CR, U+FFFE/U+FFFF, lone surrogates. */
function xmlSafe(text: string): string {
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '')
}
