import {parseDate} from '../../content/dates.js'
import type {Post} from '../../content/post.js'
import type {ZonedDate} from '../../content/zoned-date.js'
import {withBase} from '../../markdown/rehype-base-url.js'
import {hashOf} from '../build-cache.js'
import type {Output} from '../outputs.js'
import {renderRobots, renderSitemap} from '../sitemap.js'
import type {Emitter} from './types.js'
import {isWritten} from '../collections.js'

/**
 * `sitemap.xml` (every page, with its last change; needs `url:` for absolute
 * locations) and `robots.txt` pointing at it — each unless the site has its
 * own. They run after the page emitters: the sitemap lists the pages they made.
 */
export const sitemap: Emitter = {
  name: 'sitemap',
  emit(model, context) {
    const {config} = model
    const absolute = (url: string) => config.url + withBase(config.baseurl, url)
    const outputs: Output[] = []
    const own = new Set(model.published.map((doc) => doc.outputPath))
    const generated = context.emitted.filter((file) => file.endsWith('index.html') && !own.has(file)).map((file) => '/' + file.replace(/index\.html$/, ''))
    if (config.url !== '' && !context.taken('sitemap.xml')) {
      outputs.push({
        path: 'sitemap.xml',
        // URLs and dates only: the site key and the generated pages cover both.
        key: hashOf(context.keys.site, ...generated),
        owner: context.configFile,
        deferrable: false,
        async make() {
          const listed = model.published.filter((doc) => isWritten(doc) && doc.data.sitemap !== false && doc.url !== '/404.html' && /\.html$|\/$/.test(doc.url))
          return renderSitemap([...listed.map((doc) => ({loc: absolute(doc.url), lastmod: lastModified(doc)})), ...[...generated].sort().map((url) => ({loc: absolute(url)}))])
        }
      })
    }
    if (!context.taken('robots.txt')) {
      const robots = config.url !== '' ? renderRobots(absolute('/sitemap.xml')) : 'User-agent: *\nAllow: /\n'
      outputs.push({path: 'robots.txt', key: hashOf(robots), owner: context.configFile, deferrable: false, make: async () => robots})
    }
    return outputs
  }
}

/** `last_modified_at` (or `updated`) from the front matter, else the post's date. */
function lastModified(doc: Post): ZonedDate | undefined {
  for (const key of ['last_modified_at', 'updated']) {
    const parsed = doc.data[key] === undefined ? undefined : parseDate(doc.data[key])
    if (parsed?.ok) return parsed.date
  }
  return doc.date
}
