import path from 'node:path'
import type {Liquid} from 'liquidjs'
import type {VFile} from 'vfile'
import type {Post} from '../content/post.js'
import {reportLiquidError} from '../layout/liquid-errors.js'
import {stampOf, type BodyJob, type BodyResult, type RenderSettings} from '../render/body.js'
import {reportPlain} from '../render/messages.js'
import type {RenderPool} from '../render/pool.js'
import {report} from '../report.js'
import {hashOf, type BodyEntry, type BuildCache} from './build-cache.js'
import type {LiquidPage, Rendering} from './liquid-scope.js'

/**
 * The body stage: every document's body (Liquid first when it uses it, then
 * markdown or HTML) rendered into a `Rendering`, with the cache as a layer
 * around it: a body whose key and dependencies are unchanged comes from the
 * cache; the others are rendered together on the pool.
 */
export interface BodyStageContext {
  readonly cache: BuildCache
  readonly pool: RenderPool
  readonly settings: RenderSettings
  /** A hash of everything in `settings` but the file tables (which are checked lookup by lookup). */
  readonly settingsKey: string
  /** The current file table, to check a cached body's lookups against. */
  readonly files: ReadonlyMap<string, string>
  readonly source: string
  /** For bodies with Liquid: the engine, the site scope, and where Liquid's messages go. */
  readonly liquid: () => Liquid
  readonly site: Record<string, unknown>
  readonly fileFor: (absolute: string) => VFile
}

/** One body to render: `slot` names it in the cache (the source, or `source#url` for index pages after the first). */
export interface BodyRequest {
  readonly doc: Post
  readonly slot: string
  /** The key of everything the body depends on besides the settings and its own text. */
  readonly key: string
  /** For Liquid bodies: the document's view and extra top-level variables. */
  readonly view: LiquidPage
  readonly extra: Record<string, unknown>
  readonly liquid: boolean
}

/** A body's rendering and a hash of it (what pages showing it depend on); undefined when it failed. */
export interface BodyOutcome {
  readonly rendering: Rendering | undefined
  readonly hash: string
  /** Whether it was rendered in this run (not from the cache). */
  readonly fresh: boolean
}

/** Render `requests`: cached ones are checked, the rest rendered together. Messages go on each document's file. */
export async function renderBodies(context: BodyStageContext, requests: readonly BodyRequest[]): Promise<BodyOutcome[]> {
  const outcomes = new Array<BodyOutcome>(requests.length)
  const misses: Array<{index: number; job: BodyJob; key: string}> = []
  for (const [index, request] of requests.entries()) {
    const key = hashOf(context.settingsKey, request.key)
    const cached = context.cache.renders.get(request.slot)
    if (cached && cached.key === key && depsHold(cached, context.files)) {
      reportPlain(request.doc.file, cached.messages)
      outcomes[index] = {rendering: cached.rendering, hash: cached.hash, fresh: false}
      continue
    }
    const text = request.liquid ? await renderLiquid(context, request) : request.doc.body
    if (text === undefined) {
      outcomes[index] = {rendering: undefined, hash: hashOf(key, 'failed'), fresh: true}
      continue
    }
    misses.push({index, key, job: {source: request.doc.source, cwd: request.doc.file.cwd, format: request.doc.format, text, matter: request.doc.data, keyLines: request.doc.keyLines}})
  }
  const results = await context.pool.renderAll(context.settings, misses.map((miss) => miss.job))
  for (const [position, miss] of misses.entries()) {
    const request = requests[miss.index] as BodyRequest
    const result = results[position]
    if (result === undefined || result instanceof Error) {
      failed(request.doc.file, result ?? new Error('no result'))
      outcomes[miss.index] = {rendering: undefined, hash: hashOf(miss.key, 'failed'), fresh: true}
      continue
    }
    const rendering = toRendering(result as BodyResult)
    const {messages, deps} = result as BodyResult
    const hash = hashOf(miss.key, JSON.stringify(rendering))
    reportPlain(request.doc.file, messages)
    if (!messages.some((message) => message.severity === 'error')) context.cache.renders.set(request.slot, {key: miss.key, rendering, hash, messages, deps})
    outcomes[miss.index] = {rendering, hash, fresh: true}
  }
  return outcomes
}

/** Whether every lookup a cached body made still finds the same, and every image it measured is unchanged. */
function depsHold(entry: BodyEntry, files: ReadonlyMap<string, string>): boolean {
  for (const [key, url] of entry.deps.files) if ((files.get(key) ?? null) !== url) return false
  for (const [file, stamp] of entry.deps.images) if (stampOf(file) !== stamp) return false
  return true
}

function toRendering(result: BodyResult): Rendering {
  return {html: result.html, excerpt: result.excerpt, image: result.image, imageSize: result.imageSize, math: result.math}
}

/** Liquid in a body runs on this thread (it sees the whole site); a failure is reported on the post and skips the body. */
async function renderLiquid(context: BodyStageContext, request: BodyRequest): Promise<string | undefined> {
  const liquid = context.liquid()
  try {
    const templates = liquid.parse(request.doc.body, path.join(context.source, request.doc.source))
    return await liquid.render(templates, {site: context.site, page: request.view, ...request.extra})
  } catch (error) {
    reportLiquidError(error, request.doc.file, context.fileFor)
    return undefined
  }
}

function failed(file: VFile, error: Error): void {
  const reason = error instanceof RangeError && /call stack/i.test(error.message) ? 'the markup is nested too deeply to render' : error.message
  report(file, {reason: `could not render this file: ${reason}`, ruleId: 'render', severity: 'error', place: {line: 1, column: 1}, cause: error})
}
