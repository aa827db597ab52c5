import path from 'node:path'
import type {SiteConfig} from '../config.js'
import type {SourceReader} from '../io.js'
import {formatOf} from '../content/format.js'
import {collectionOf} from '../content/collection-settings.js'

/** The source files of a site, sorted into what the build does with them. */
export interface SiteFiles {
  readonly posts: readonly string[]
  readonly drafts: readonly string[]
  /** Files that may be pages (a text format); only those with front matter become pages. */
  readonly pageCandidates: readonly string[]
  /** Copied as they are. */
  readonly statics: readonly string[]
  /**
   * Files in a collection's folder (`_docs/…`): documents when they start
   * with front matter, the collection's static files otherwise.
   */
  readonly collected: readonly string[]
}

/** Extensions of text files that become pages when they start with front matter. */
const pageExtensions = new Set(['.md', '.markdown', '.mdown', '.mkd', '.mkdn', '.html', '.htm', '.xml', '.txt', '.json', '.webmanifest'])

/**
 * List a site's source (paths relative to its root) and classify it. Skipped:
 * dot-files, `_`-prefixed names other than Jekyll's known folders, the
 * output, excluded names, and layout/include/data folders (they are not content).
 */
export async function scanSite(config: SiteConfig, reader: SourceReader): Promise<SiteFiles> {
  const known = new Set([...config.dirs.posts, ...config.dirs.drafts, '_layouts', '_includes', '_data', ...config.collections.map((collection) => collection.directory)])
  const layoutDirs = [config.dirs.layouts, config.dirs.includes, config.dirs.data].filter((dir): dir is string => dir !== undefined)
  const excluded = config.exclude.map((pattern) => globToRegExp(pattern))
  const all = await reader.list((relative, isDirectory) => {
    const name = path.posix.basename(relative)
    if (name.startsWith('.')) return true
    if (name.startsWith('_') && !(isDirectory && known.has(relative))) return true
    if (layoutDirs.includes(relative)) return true
    if (!config.drafts && config.dirs.drafts.includes(relative)) return true
    return excluded.some((pattern) => pattern.test(relative))
  })

  const posts: string[] = []
  const drafts: string[] = []
  const pageCandidates: string[] = []
  const statics: string[] = []
  const collected: string[] = []
  for (const file of all) {
    const top = file.split('/')[0] ?? ''
    const isDocument = formatOf(file) !== 'text'
    if (collectionOf(config.collections, file)) collected.push(file)
    else if (config.dirs.posts.includes(top) && isDocument) posts.push(file)
    else if (config.dirs.drafts.includes(top) && isDocument) drafts.push(file)
    else if (pageExtensions.has(path.posix.extname(file).toLowerCase())) pageCandidates.push(file)
    else statics.push(file)
  }
  return {posts, drafts, pageCandidates, statics, collected}
}

/** `src`, `docs/*.md`, `**\/*.log` → a RegExp on source-relative paths (a plain name matches at any depth). */
export function globToRegExp(pattern: string): RegExp {
  const trimmed = pattern.replace(/^\.?\/+/, '').replace(/\/+$/, '')
  let source = ''
  for (let index = 0; index < trimmed.length; index++) {
    const char = trimmed[index] ?? ''
    if (char === '*' && trimmed[index + 1] === '*') {
      source += '.*'
      index++
    } else if (char === '*') source += '[^/]*'
    else if (char === '?') source += '[^/]'
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&')
  }
  const anchored = trimmed.includes('/') ? `^${source}$` : `(^|/)${source}$`
  return new RegExp(anchored)
}
