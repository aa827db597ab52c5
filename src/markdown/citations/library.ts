/**
 * The bibliographies a build can cite from, as plain data (they cross the
 * worker boundary): every bibliography file read, by its source-relative
 * path, as CSL-JSON items; which of them are the site's default; and the
 * citation style. Parsed once per build on the main thread (see
 * site/bibliographies.ts); formatted in the worker that renders a post.
 */
export interface CslItem {
  readonly id: string
  readonly [field: string]: unknown
}

export interface CitationLibrary {
  /** Source-relative path → its entries, for every bibliography file read without errors. */
  readonly files: ReadonlyArray<readonly [string, readonly CslItem[]]>
  /** The site's `bibliography:` files (paths as in `files`), cited by every post that names none of its own. */
  readonly defaults: readonly string[]
  /** The citation-js template: `apa` (author-year), `vancouver` (numeric), `harvard1`, or a style registered from `csl:`. */
  readonly style: string
  /** Whether the style numbers its citations (`[1]`) rather than naming authors and years. */
  readonly numeric: boolean
  /** The CSL XML of a style file named by `csl:`, registered under `style` before formatting. */
  readonly styleXml?: string | undefined
}

/** Where a post's front-matter `bibliography: refs.bib` is looked for, in order: `assets/bibliography/`, then the post's folder. */
export function bibliographyCandidates(name: string, postSource: string): string[] {
  const clean = name.replace(/^\.?\//, '')
  const folder = postSource.includes('/') ? postSource.slice(0, postSource.lastIndexOf('/') + 1) : ''
  return [`assets/bibliography/${clean}`, `${folder}${clean}`, clean]
}

/** A post's front-matter `bibliography:` names, as a list. */
export function bibliographyNames(value: unknown): string[] {
  if (typeof value === 'string' && value.trim() !== '') return [value.trim()]
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string' && item.trim() !== '').map((item) => item.trim()) : []
}

/** The entries a post may cite, by key: its own bibliography files when it names some, else the site's. */
export function entriesFor(library: CitationLibrary, matter: Readonly<Record<string, unknown>>, source: string): Map<string, CslItem> {
  const files = new Map(library.files)
  const own = bibliographyNames(matter.bibliography).flatMap((name) => {
    const found = bibliographyCandidates(name, source).find((candidate) => files.has(candidate))
    return found === undefined ? [] : [found]
  })
  const entries = new Map<string, CslItem>()
  for (const path of own.length > 0 ? own : library.defaults) for (const item of files.get(path) ?? []) if (!entries.has(item.id)) entries.set(item.id, item)
  return entries
}

/** The citation style `csl:` names: author-year (`apa`, the default) or numeric (`vancouver`), or another built-in template. */
export function styleOf(value: unknown): {style: string; numeric: boolean} | undefined {
  const name = typeof value === 'string' ? value.trim().toLowerCase().replace(/\.csl$/, '') : ''
  if (name === '' || name === 'author-year' || name === 'apa') return {style: 'apa', numeric: false}
  if (name === 'numeric' || name === 'vancouver' || name === 'ieee') return {style: 'vancouver', numeric: true}
  if (name === 'harvard' || name === 'harvard1') return {style: 'harvard1', numeric: false}
  return undefined
}
