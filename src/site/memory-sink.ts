import type {SiteConfig} from '../config.js'
import type {RenderPool} from '../render/pool.js'
import {version} from '../version.js'
import type {BuildCache, RebuildHint} from './build-cache.js'
import type {OutputSink} from './outputs.js'
import {renderSite, type BuildProgress, type SiteRender} from './render-site.js'

/** The preview's sink: outputs kept in memory (and in the session's cache, by key); copies served from their source files. */
export interface MemorySink extends OutputSink {
  readonly outputs: Map<string, string | Uint8Array>
  readonly copies: Map<string, string>
}

export function createMemorySink(cache: BuildCache): MemorySink {
  const outputs = new Map<string, string | Uint8Array>()
  const copies = new Map<string, string>()
  return {
    outputs,
    copies,
    async reuse(path, key) {
      const entry = cache.pages.get(path)
      if (entry?.key !== key || entry.html === undefined) return false
      outputs.set(path, entry.html)
      return true
    },
    async write(path, contents, key) {
      outputs.set(path, contents)
      if (key === undefined) cache.pages.delete(path)
      else cache.pages.set(path, {key, html: contents})
    },
    async copy(path, from) {
      copies.set(path, from)
    }
  }
}

/** The preview's render: the whole site into memory, with the session's cache. */
export async function renderInMemory(
  config: SiteConfig,
  cache: BuildCache,
  options: {readonly hint?: RebuildHint | undefined; readonly pool?: RenderPool | undefined; readonly progress?: BuildProgress | undefined} = {}
): Promise<SiteRender & {readonly outputs: ReadonlyMap<string, string | Uint8Array>}> {
  const sink = createMemorySink(cache)
  const render = await renderSite(config, cache, {sink, pool: options.pool, hint: options.hint, version, progress: options.progress})
  return {...render, outputs: sink.outputs}
}
