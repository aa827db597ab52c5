import {readdirSync, statSync} from 'node:fs'
import path from 'node:path'
import type {SiteConfig} from './config.js'
import {builtAt, createSourceReader} from './io.js'
import {globToRegExp} from './site/scan.js'

/** What {@link staleSources} found. */
export interface Staleness {
  /** When the output was last built (its marker's mtime), or undefined when it has no marker. */
  readonly builtAt: number | undefined
  /** Source files (relative, `/`-separated) changed after that, newest first; empty when the output is current. */
  readonly newer: readonly string[]
}

/**
 * Which of the site's sources changed after its output was last built: every
 * file the build reads (the config file, posts, pages, layouts, includes,
 * data, assets), by modification time, against the `.galley-output`
 * marker's. Dot-files, `node_modules`, the output itself, the cache folder
 * and the site's `exclude:` list are no sources; drafts count only when the
 * config includes them. An output without a marker counts as built at its
 * newest file's time.
 */
export async function staleSources(config: SiteConfig): Promise<Staleness> {
  const built = builtAt(config.out)
  const since = built ?? newestIn(config.out)
  const excluded = config.exclude.map((pattern) => globToRegExp(pattern))
  const configFiles = new Set(['site.yml', '_config.yml'])
  const files = await createSourceReader(config.source).list((relative, isDirectory) => {
    const name = path.posix.basename(relative)
    if (name.startsWith('.')) return true
    if (!isDirectory && configFiles.has(relative)) return relative !== config.configFile
    if (!config.drafts && config.dirs.drafts.includes(relative)) return true
    return excluded.some((pattern) => pattern.test(relative))
  })
  const newer: Array<[string, number]> = []
  for (const file of files) {
    const mtime = statSync(path.join(config.source, file)).mtimeMs
    if (since === undefined || mtime > since) newer.push([file, mtime])
  }
  newer.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
  return {builtAt: built, newer: newer.map(([file]) => file)}
}

/** The newest modification time of any file under `dir`, or undefined when it holds none. */
function newestIn(dir: string): number | undefined {
  let newest: number | undefined
  const walk = (folder: string): void => {
    let entries
    try {
      entries = readdirSync(folder, {withFileTypes: true})
    } catch {
      return
    }
    for (const entry of entries) {
      const full = path.join(folder, entry.name)
      if (entry.isDirectory()) walk(full)
      else if (entry.isFile()) newest = Math.max(newest ?? 0, statSync(full).mtimeMs)
    }
  }
  walk(dir)
  return newest
}
