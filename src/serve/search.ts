import {indexPages, SEARCH_FOLDER, closeSearch} from '../site/search-index.js'

/**
 * The preview's search index, rebuilt in the background after each render
 * (Pagefind has no incremental update; a whole index of 1000 posts takes
 * about a second): a render is served, and its reload sent, before indexing
 * starts. Renders that arrive while one index is being built are folded into
 * one more run. Pages a rebuild left for later keep their last indexed text.
 */
export interface BackgroundSearch {
  /** The index's files, by output path (`pagefind/…`); empty until the first index is built. */
  readonly files: ReadonlyMap<string, Uint8Array>
  /** Take a render's pages (output path → HTML) and its full list of output paths; index again in the background. */
  update(outputs: ReadonlyMap<string, string | Uint8Array>, paths: readonly string[]): void
  /** Resolves when no index is being built (tests; closing). */
  idle(): Promise<void>
  close(): Promise<void>
}

export function createBackgroundSearch(options: {readonly onIndexed: (files: ReadonlyMap<string, Uint8Array>, pages: number) => void; readonly onProblem: (problem: string) => void}): BackgroundSearch {
  let files = new Map<string, Uint8Array>()
  const pages = new Map<string, string>()
  let running: Promise<void> | undefined
  let again = false
  let used = false
  let closed = false

  const run = async (): Promise<void> => {
    do {
      again = false
      used = true
      const result = await indexPages([...pages])
      if (closed) return
      for (const problem of result.problems) options.onProblem(problem)
      if (result.files.size > 0) {
        files = new Map([...result.files].map(([file, contents]) => [`${SEARCH_FOLDER}/${file}`, contents] as const))
        options.onIndexed(files, result.pages)
      }
    } while (again && !closed)
  }

  return {
    get files() {
      return files
    },
    update(outputs, paths) {
      const wanted = new Set(paths)
      for (const file of [...pages.keys()]) if (!wanted.has(file)) pages.delete(file)
      for (const [file, contents] of outputs) if (file.endsWith('.html') && typeof contents === 'string') pages.set(file, contents)
      if (running) {
        again = true
        return
      }
      // After the current turn: the caller serves the render and sends its reload first.
      running = new Promise<void>((resolve) => setImmediate(resolve))
        .then(run)
        .catch((error: unknown) => options.onProblem((error as Error).message))
        .finally(() => {
          running = undefined
        })
    },
    async idle() {
      while (running) await running
    },
    async close() {
      closed = true
      await running
      if (used) await closeSearch()
    }
  }
}
