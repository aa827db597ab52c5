import path from 'node:path'
import type {SiteConfig} from '../config.js'
import {collectionOf, type Collection} from '../content/collection-settings.js'
import {expandPermalink, urlToOutputPath} from '../content/permalink.js'
import type {Post} from '../content/post.js'
import {ZonedDate} from '../content/zoned-date.js'
import type {LiquidPage} from './liquid-scope.js'

/**
 * Jekyll collections in the site model: which documents are written, what
 * Liquid sees of them (`site.<label>`, `site.collections`, `site.documents`)
 * and where a collection's static files go. Reading and resolving the
 * documents is the scan and resolve stages' work (`scan.ts`, `documents.ts`);
 * this module only places them in the site.
 */

/** Whether a document gets a page: posts and pages always, a collection's documents when it has `output: true`. */
export function isWritten(doc: Post): boolean {
  return doc.collection?.output !== false
}

/**
 * What the site scope adds for collections, as Jekyll's site drop has it:
 * `site.<label>` (each collection's documents, sorted by path, or by the
 * front-matter key the collection's `sort_by:` names), `site.collections`
 * (every collection, posts too, by label, with `label`, `docs`, `files`, `output`,
 * `permalink`, `directory`, `relative_directory` and its other settings) and
 * `site.documents` (the documents of every collection, posts included).
 */
export function collectionScope(
  config: SiteConfig,
  documents: readonly Post[],
  views: ReadonlyMap<Post, LiquidPage>,
  postViews: readonly LiquidPage[],
  statics: readonly string[]
): Record<string, unknown> {
  const scope: Record<string, unknown> = {}
  const list: Array<Record<string, unknown>> = [
    {label: 'posts', docs: postViews, files: [], output: true, permalink: config.permalink, directory: path.join(config.source, '_posts'), relative_directory: '_posts'}
  ]
  const all: LiquidPage[] = [...postViews]
  for (const collection of config.collections) {
    const docs = sortDocuments(collection, documents.filter((doc) => doc.collection?.label === collection.label)).map((doc) => views.get(doc) as LiquidPage)
    const files = statics.filter((file) => collectionOf([collection], file)).map((file) => ({path: '/' + file, relative_path: file, name: path.posix.basename(file), extname: path.posix.extname(file), collection: collection.label}))
    scope[collection.label] = docs
    all.push(...docs)
    list.push({
      ...collection.metadata,
      label: collection.label,
      docs,
      files,
      output: collection.output,
      permalink: collection.permalink,
      directory: path.join(config.source, collection.directory),
      relative_directory: collection.directory
    })
  }
  // Jekyll's site drop lists them by label.
  scope.collections = list.sort((a, b) => compare(String(a.label), String(b.label)))
  scope.documents = all
  return scope
}

/** A collection's documents by path, or by the key of `sort_by:` (documents without it last, by path), as Jekyll sorts them. */
function sortDocuments(collection: Collection, docs: readonly Post[]): Post[] {
  const key = typeof collection.metadata.sort_by === 'string' ? collection.metadata.sort_by : undefined
  const byPath = (a: Post, b: Post) => compare(a.source, b.source)
  if (key === undefined) return [...docs].sort(byPath)
  return [...docs].sort((a, b) => {
    const x = a.data[key]
    const y = b.data[key]
    if (x === undefined || y === undefined) return x === y ? byPath(a, b) : x === undefined ? 1 : -1
    const order = typeof x === 'number' && typeof y === 'number' ? x - y : compare(String(x), String(y))
    return order || byPath(a, b)
  })
}

/**
 * The output paths of a written collection's static files (`_docs/img/a.png`
 * in `docs`, permalink `/:collection/:path/` → `docs/img/a.png`), as
 * Jekyll's StaticFile places them: the collection's template with `:path`
 * and no output extension, then the file's own extension. Files of
 * collections without `output: true` are not copied.
 */
export function collectionStaticCopies(config: SiteConfig, statics: readonly string[]): Array<readonly [outputPath: string, source: string]> {
  const copies: Array<readonly [string, string]> = []
  for (const file of statics) {
    const collection = collectionOf(config.collections, file)
    if (!collection?.output) continue
    const extension = path.posix.extname(file)
    const inside = file.slice(collection.directory.length, file.length - extension.length)
    const placed = expandPermalink({
      pattern: collection.permalink,
      date: new ZonedDate(config.now, 0),
      title: path.posix.basename(inside),
      outputExt: '',
      document: {collection: collection.label, path: inside, name: path.posix.basename(inside)}
    })
    if (!placed.ok) continue
    const target = urlToOutputPath(placed.url.replace(/\/$/, '') + extension)
    if (target.ok) copies.push([target.outputPath, file])
  }
  return copies
}

/** Code-unit order: the same on every machine, whatever its locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
