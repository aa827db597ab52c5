import path from 'node:path'

/** What indexing did: pages indexed, and Pagefind's own complaints (each a sentence). */
export interface SearchIndexResult {
  readonly pages: number
  readonly problems: readonly string[]
}

/** The folder of the output Pagefind writes into (its index, and the UI the search page loads). */
export const SEARCH_FOLDER = 'pagefind'

type Pagefind = typeof import('pagefind')

/** Pagefind, loaded the first time a site is indexed (a build with `search: false` never loads it). */
async function loadPagefind(): Promise<Pagefind | string> {
  try {
    return await import('pagefind')
  } catch (error) {
    return `the search index cannot be built: Pagefind did not load (${(error as Error).message})`
  }
}

/**
 * Index the built site in `out` with Pagefind and write the index and its UI
 * to `out/pagefind/`. Only pages that mark their content with
 * `data-pagefind-body` (the theme's posts and pages) are indexed. Pagefind
 * runs its binary (shipped in its npm package for each platform) as a child
 * process, which is stopped again before this returns.
 */
export async function indexFolder(out: string): Promise<SearchIndexResult> {
  const pagefind = await loadPagefind()
  if (typeof pagefind === 'string') return {pages: 0, problems: [pagefind]}
  try {
    const created = await pagefind.createIndex({})
    if (!created.index) return {pages: 0, problems: created.errors}
    const added = await created.index.addDirectory({path: out})
    const written = await created.index.writeFiles({outputPath: path.join(out, SEARCH_FOLDER)})
    return {pages: added.page_count, problems: [...created.errors, ...added.errors, ...written.errors]}
  } catch (error) {
    return {pages: 0, problems: [`the search index could not be built: ${(error as Error).message}`]}
  } finally {
    await pagefind.close().catch(() => undefined)
  }
}

/**
 * Index pages held in memory (the preview's): output path → HTML. Returns
 * the files of `/pagefind/` (path inside that folder → contents), or the
 * problems when there is no index.
 */
export async function indexPages(pages: Iterable<readonly [string, string]>): Promise<SearchIndexResult & {readonly files: ReadonlyMap<string, Uint8Array>}> {
  const pagefind = await loadPagefind()
  if (typeof pagefind === 'string') return {pages: 0, problems: [pagefind], files: new Map()}
  try {
    const created = await pagefind.createIndex({})
    if (!created.index) return {pages: 0, problems: created.errors, files: new Map()}
    const problems = [...created.errors]
    let count = 0
    for (const [sourcePath, content] of pages) {
      // Only pages that mark their content: the rest would be dropped by Pagefind anyway, after parsing.
      if (!content.includes('data-pagefind-body')) continue
      const added = await created.index.addHTMLFile({sourcePath, content})
      problems.push(...added.errors)
      if (added.errors.length === 0) count++
    }
    const got = await created.index.getFiles()
    await created.index.deleteIndex()
    return {pages: count, problems: [...problems, ...got.errors], files: new Map(got.files.map((file) => [file.path, file.content] as const))}
  } catch (error) {
    return {pages: 0, problems: [`the search index could not be built: ${(error as Error).message}`], files: new Map()}
  }
}

/** Stop Pagefind's child process (the preview calls this when it closes). */
export async function closeSearch(): Promise<void> {
  const pagefind = await loadPagefind()
  if (typeof pagefind !== 'string') await pagefind.close().catch(() => undefined)
}
