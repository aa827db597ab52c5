/**
 * Jekyll collections as `_config.yml` declares them:
 *
 *     collections:
 *       docs:
 *         output: true
 *         permalink: /:collection/:path/
 *
 * (or a list of labels, `collections: [docs, recipes]`). Each collection's
 * documents live in `_<label>/` (under `collections_dir:` when set). `posts`
 * is Galley's own post folder and is not read here.
 */

/** One declared collection, resolved. */
export interface Collection {
  /** `docs`: the name in `collections:`, `site.docs` in Liquid. */
  readonly label: string
  /** Source-relative POSIX folder of its documents: `_docs`, or `my_collections/_docs`. */
  readonly directory: string
  /** Whether its documents are written as pages (`output: true`); always read and rendered. */
  readonly output: boolean
  /** URL template of its documents (a document's own `permalink:` wins). */
  readonly permalink: string
  /** What `collections:` says of it besides `output` and `permalink` (`site.collections[i].<key>`). */
  readonly metadata: Readonly<Record<string, unknown>>
}

/** A label Jekyll accepts as a folder name: letters, digits, `_` and `-`. */
const LABEL = /^[A-Za-z0-9_-]+$/

/** What reading `collections:` gave: the collections, and a problem per entry that was left out. */
export interface ReadCollections {
  readonly collections: readonly Collection[]
  readonly problems: readonly string[]
}

/**
 * Read `collections:` (a mapping or a list of labels) and `collections_dir:`.
 * `posts` is skipped (posts are read from `_posts/`, with their own
 * permalink). A collection without `permalink:` gets Jekyll's default,
 * `/:collection/:path` with the ending of the site's permalink style (`/`
 * for `pretty` and patterns ending in `/`, `:output_ext` otherwise).
 */
export function readCollections(value: unknown, collectionsDir: unknown, sitePermalink: string): ReadCollections {
  const problems: string[] = []
  const entries: Array<[string, unknown]> = Array.isArray(value)
    ? value.map((label) => [String(label), {}] as [string, unknown])
    : isRecord(value)
      ? Object.entries(value)
      : []
  if (value !== undefined && value !== null && !Array.isArray(value) && !isRecord(value)) problems.push('collections must be a mapping of labels to settings (collections: {docs: {output: true}}); it is ignored')
  const base = typeof collectionsDir === 'string' ? collectionsDir.trim().replace(/^\.?\/+|\/+$/g, '') : ''
  if (base.split('/').some((segment) => segment === '..')) {
    problems.push(`collections_dir ${JSON.stringify(collectionsDir)} must be a folder inside the site; collections are read from the site's root`)
  }
  const root = base.split('/').some((segment) => segment === '..') ? '' : base
  const collections: Collection[] = []
  for (const [label, settings] of entries) {
    if (label === 'posts') continue
    if (!LABEL.test(label)) {
      problems.push(`collection ${JSON.stringify(label)}: a label may hold only letters, digits, _ and -; it is ignored`)
      continue
    }
    const given = isRecord(settings) ? settings : {}
    const {output, permalink, ...metadata} = given
    collections.push({
      label,
      directory: root === '' ? `_${label}` : `${root}/_${label}`,
      output: output === true,
      permalink: typeof permalink === 'string' && permalink.trim() !== '' ? permalink.trim() : defaultPermalink(sitePermalink),
      metadata
    })
  }
  return {collections: collections.sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0)), problems}
}

/** Jekyll's `Utils.add_permalink_suffix("/:collection/:path", permalink_style)`. */
function defaultPermalink(style: string): string {
  const template = '/:collection/:path'
  if (style === 'pretty') return template + '/'
  if (style === 'date' || style === 'ordinal' || style === 'none' || style === 'weekdate') return template + ':output_ext'
  if (style.endsWith('/')) return template + '/'
  if (style.endsWith(':output_ext')) return template + ':output_ext'
  return template
}

/** The collection `source` (a source-relative path) belongs to, if any. */
export function collectionOf(collections: readonly Collection[], source: string): Collection | undefined {
  return collections.find((collection) => source.startsWith(collection.directory + '/'))
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
