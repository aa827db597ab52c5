import path from 'node:path'
import type {VFile} from 'vfile'
import type {Collection} from './collection-settings.js'
import {dateFromFileName, parseDate, type DateOptions} from './dates.js'
import type {FrontMatter} from './front-matter.js'
import {formatOf} from './format.js'
import {keyPlace} from './key-place.js'
import {expandPermalink, slugify, urlToOutputPath} from './permalink.js'
import {finish, toList, type Post} from './post.js'
import {report} from '../report.js'
import {ZonedDate} from './zoned-date.js'

export interface DocumentOptions extends DateOptions {
  /** The build's time: the date of a document that has none (Jekyll's `site.time`). */
  readonly now: number
}

/**
 * Resolve a file of a Jekyll collection (`_docs/install/index.md` in `docs`)
 * as Jekyll's Document does: its URL is its own `permalink:` or the
 * collection's template expanded with `:collection` (`docs`), `:path`
 * (`/install/index`, the path inside the folder without extension),
 * `:name`, `:title`, `:slug`, `:output_ext`, `:categories` and the date
 * parts; a `YYYY-MM-DD-` file name gives the date and slug, as for posts.
 * A title missing from the front matter is the slug titleized
 * (`getting-started` → `Getting Started`). Problems are reported on `file`
 * (then undefined).
 */
export function toCollectionDocument(file: VFile, source: string, matter: FrontMatter, collection: Collection, options: DocumentOptions): Post | undefined {
  const data = matter.data
  const inside = source.slice(collection.directory.length)
  const extension = path.posix.extname(source)
  const base = path.posix.basename(source, extension)
  const fromName = dateFromFileName(path.posix.basename(source), options)
  let date = fromName?.date
  if (data.date !== undefined && data.date !== null && data.date !== '') {
    const parsed = parseDate(data.date, options)
    if (!parsed.ok) {
      report(file, {reason: parsed.reason, ruleId: 'date', severity: 'error', place: keyPlace(matter, 'date')})
      return undefined
    }
    date = parsed.date
  }
  const ownSlug = typeof data.slug === 'string' && data.slug.trim() !== '' ? data.slug.trim() : undefined
  const slug = ownSlug ?? fromName?.slug ?? base
  const categories = toList(data.categories ?? data.category)
  const permalink = typeof data.permalink === 'string' && data.permalink !== '' ? data.permalink : collection.permalink
  const placed =
    permalink.includes(':') || !permalink.startsWith('/')
      ? expandPermalink({
          pattern: permalink,
          date: date ?? new ZonedDate(options.now, 0),
          title: slug,
          slug: slugify(slug),
          categories,
          outputExt: formatOf(source) === 'text' ? extension : '.html',
          document: {collection: collection.label, path: inside.slice(0, inside.length - extension.length).replace(/\.+$/, ''), name: slugify(base)}
        })
      : urlToOutputPath(permalink)
  return finish(file, source, matter, placed, {
    kind: 'document',
    draft: false,
    slug,
    date,
    categories,
    tags: toList(data.tags ?? data.tag),
    collection: {label: collection.label, output: collection.output},
    titleOf: titleize
  })
}

/** Jekyll's `Utils.titleize_slug`: `getting-started` → `Getting Started`. */
function titleize(slug: string): string {
  return slug
    .split('-')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ')
}
