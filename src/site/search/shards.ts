import {createHash} from 'node:crypto'

/**
 * How the search index is split, so that an edit re-indexes only the part
 * holding the pages that changed (Pagefind has no incremental mode: an index
 * is always made from all of its pages). Each part is a Pagefind bundle of
 * its own; the search page's UI loads the first and merges the others
 * (Pagefind's `mergeIndex`), listed in `pagefind/shards.json`.
 *
 * Pure: which part a page belongs to depends only on its path and the number
 * of parts, and that number only on the number of indexed pages, so an
 * incremental build makes exactly the parts a full build makes.
 */

/** About this many pages per part. */
export const PAGES_PER_SHARD = 64
/** At most this many parts: the browser loads each part's metadata. */
export const MAX_SHARDS = 32
/** The list of parts after the first, in the first one's folder (relative bundle paths). */
export const SHARD_LIST = 'shards.json'

/** The number of parts for `pages` indexed pages: a power of two near pages / 64, at least 1, at most 32. */
export function shardCount(pages: number): number {
  if (pages <= PAGES_PER_SHARD) return 1
  const power = Math.round(Math.log2(pages / PAGES_PER_SHARD))
  return Math.min(MAX_SHARDS, 2 ** Math.max(0, power))
}

/** The part (0 … count − 1) that the page at output path `page` goes into. */
export function shardOf(page: string, count: number): number {
  if (count <= 1) return 0
  return createHash('sha1').update(page).digest().readUInt32BE(0) % count
}

/** The folder of part `shard` inside the search folder: the first part is the search folder itself. */
export function shardFolder(shard: number): string {
  return shard === 0 ? '' : `shard-${shard}/`
}

/**
 * Whether a file of a Pagefind bundle belongs to the index itself (its entry
 * file, metadata, word chunks, fragments, filters) rather than to the UI and
 * the WebAssembly the first part carries for all of them.
 */
export function isIndexFile(file: string): boolean {
  return file === 'pagefind-entry.json' || file.endsWith('.pf_meta') || /^(index|fragment|filter)\//.test(file)
}

/** Whether a page marks its content for the index with a `data-pagefind-body` attribute (not just the words in its text). */
export function marksBody(html: string): boolean {
  return html.includes('data-pagefind-body') && /<[a-zA-Z][^>]*\sdata-pagefind-body(?=[\s=/>])/.test(html)
}
