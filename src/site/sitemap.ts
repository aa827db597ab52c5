import type {ZonedDate} from '../content/zoned-date.js'

/** One page for the sitemap. */
export interface SitemapEntry {
  /** Absolute URL of the page, e.g. `https://example.com/blog/2024/05/12/x/`. */
  readonly loc: string
  /** When the page last changed, printed in its own offset. Omitted when unknown. */
  readonly lastmod?: ZonedDate | undefined
}

/**
 * A sitemaps.org 0.9 `urlset` with one `<url>` per distinct `loc`, in the
 * order given (the first occurrence decides the position; when a URL comes
 * more than once, the latest `lastmod` among its occurrences is kept).
 *
 * `lastmod` is a W3C datetime in the entry's own offset
 * (`2024-05-12T00:00:00+09:00`). Each `loc` is normalized by the WHATWG URL
 * parser when it parses (non-ASCII percent-encoded, host lowercased) and
 * XML-escaped. The protocol wants absolute URLs: pass relative ones and the
 * sitemap is written as given but search engines will reject it, so a build
 * without `site.url` should not write one. A sitemap holds at most 50,000
 * URLs; past that the caller needs a sitemap index.
 */
export function renderSitemap(entries: readonly SitemapEntry[]): string {
  const byLoc = new Map<string, ZonedDate | undefined>()
  for (const entry of entries) {
    const loc = normalize(entry.loc)
    const known = byLoc.get(loc)
    const lastmod = known && entry.lastmod ? (entry.lastmod.getTime() > known.getTime() ? entry.lastmod : known) : (known ?? entry.lastmod)
    byLoc.set(loc, lastmod)
  }

  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
  for (const [loc, lastmod] of byLoc) {
    lines.push('  <url>', `    <loc>${escapeXml(loc)}</loc>`)
    if (lastmod) lines.push(`    <lastmod>${w3cDatetime(lastmod)}</lastmod>`)
    lines.push('  </url>')
  }
  lines.push('</urlset>', '')
  return lines.join('\n')
}

/**
 * robots.txt that lets every crawler in and points it at the sitemap.
 * `sitemapUrl` must be absolute (the robots.txt protocol requires it). Crawlers
 * read robots.txt only at the origin's root: a site under a baseurl such as
 * `/blog` gets no effect from `/blog/robots.txt` beyond documentation.
 */
export function renderRobots(sitemapUrl: string): string {
  return ['User-agent: *', 'Allow: /', '', `Sitemap: ${normalize(sitemapUrl)}`, ''].join('\n')
}

function normalize(url: string): string {
  const trimmed = url.trim()
  return URL.canParse(trimmed) ? new URL(trimmed).href : trimmed
}

/** W3C datetime in the date's own offset; fractions of a second only when there are some (build times have them). */
function w3cDatetime(date: ZonedDate): string {
  const zoned = date.toZonedISOString()
  const ms = date.getUTCMilliseconds()
  return ms === 0 ? zoned : zoned.replace(/(:\d\d)([+-]\d\d:\d\d)$/, `$1.${String(ms).padStart(3, '0')}$2`)
}

/** The five characters sitemaps.org requires escaped in a `loc`, plus what XML 1.0 cannot carry at all. */
function escapeXml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;')
}
