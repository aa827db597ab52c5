import path from 'node:path'
import {watch, type FSWatcher} from 'chokidar'
import {stampOf} from '../io.js'

export interface WatchOptions {
  /** Folders to watch (the site, and the default theme when it is elsewhere). */
  readonly roots: readonly string[]
  /** Absolute paths never to report (the output folder, staging folders). */
  readonly ignore: readonly string[]
  /** Further paths not to report (files the site excludes). */
  readonly skip?: (file: string) => boolean
  /** Quiet time before a batch is reported, in ms (default 5): editors that save twice or by rename make one batch (a later half of a save is caught by the re-check). */
  readonly debounceMs?: number
  /**
   * Called with the absolute paths that changed, once per batch, and whether
   * any of them was added or removed; the next batch waits until it settles.
   */
  readonly onChange: (paths: string[], structural: boolean) => Promise<void>
}

/**
 * Watch the site's files with chokidar and report changes in batches.
 * Dot-files, node_modules and the output are ignored. A batch that arrives
 * while the previous one is being handled is queued, never dropped, and
 * never run concurrently.
 */
export function watchSite(options: WatchOptions): {ready: Promise<void>; close: () => Promise<void>} {
  const debounceMs = options.debounceMs ?? 5
  const recheckMs = 80
  const ignored = (file: string) => {
    if (options.ignore.some((folder) => file === folder || file.startsWith(folder + path.sep))) return true
    if (options.skip?.(file)) return true
    const name = path.basename(file)
    return name === 'node_modules' || (name.startsWith('.') && name !== '.') || name.endsWith('~') || /^\.?#|\.sw[px]$/.test(name)
  }
  const watcher: FSWatcher = watch([...options.roots], {ignoreInitial: true, ignored, persistent: true})
  let pending = new Set<string>()
  let structural = false
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> | undefined

  const flush = async (): Promise<void> => {
    timer = undefined
    if (running) return
    while (pending.size > 0) {
      const batch = [...pending]
      const added = structural
      pending = new Set()
      structural = false
      running = options.onChange(batch, added).catch(() => undefined)
      await running
      running = undefined
    }
  }
  const queue = (file: string, event: string) => {
    pending.add(file)
    if (event !== 'change') structural = true
    if (timer) clearTimeout(timer)
    timer = setTimeout(() => void flush(), debounceMs)
    if (event === 'change' || event === 'add') recheck(file)
  }
  // Editors and writeFile truncate a file, then write it; chokidar may report only the truncation
  // (a second change within ~50 ms is dropped). Look again shortly after each change, and report
  // the file once more when it is not what it was then.
  const recheck = (file: string) => {
    const seen = stampOf(file)
    const check = setTimeout(() => {
      checks.delete(check)
      if (stampOf(file) !== seen) queue(file, 'change')
    }, recheckMs)
    checks.add(check)
  }
  const checks = new Set<NodeJS.Timeout>()
  for (const event of ['add', 'change', 'unlink', 'addDir', 'unlinkDir'] as const) watcher.on(event, (file: string) => queue(file, event))
  const ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve()))
  return {
    ready,
    async close() {
      if (timer) clearTimeout(timer)
      for (const check of checks) clearTimeout(check)
      await watcher.close()
    }
  }
}

