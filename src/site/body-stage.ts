import path from 'node:path'
import type {Liquid} from 'liquidjs'
import type {VFile} from 'vfile'
import type {Post} from '../content/post.js'
import {reportLiquidError} from '../layout/liquid-errors.js'
import type {RenderSettings} from '../render/body.js'
import {reportPlain, toPlainMessage} from '../render/messages.js'
import type {RenderBatch, RenderPool} from '../render/pool.js'
import {hashOf, type BodyEntry, type BodyStore, type BuildCache} from './build-cache.js'
import {reportRenderFailure} from './outputs.js'
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
  /** A file's stamp, read once per build (a hero image shared by every post is measured once). */
  readonly stampOf: (file: string) => string
  readonly source: string
  /** For bodies with Liquid: the engine (made on first use), the site scope, and where Liquid's messages go. */
  readonly liquid: () => Promise<Liquid>
  readonly site: Record<string, unknown>
  readonly fileFor: (absolute: string) => VFile
  /** A document's body text (front matter blanked), read when it must be rendered. */
  readonly body: (doc: Post) => Promise<string>
  /** About how large a document is (its file's size), to render the largest first. */
  readonly sizeOf: (doc: Post) => number
  /** Called once per body done, rendered or from the cache (progress). */
  readonly onBody?: (() => void) | undefined
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

/**
 * Render `requests`: cached ones are checked, the rest rendered together,
 * largest first (so no thread is left with one big post at the end), with a
 * bounded number in flight so the texts are read as they are needed and not
 * all held at once. Messages go on each document's file.
 */
export async function renderBodies(context: BodyStageContext, requests: readonly BodyRequest[]): Promise<BodyOutcome[]> {
  const outcomes = new Array<BodyOutcome>(requests.length)
  const misses: Array<{index: number; key: string; size: number}> = []
  for (const [index, request] of requests.entries()) {
    const cached = cachedBody(context, request)
    if (cached) {
      reportCached(request.doc.file, cached)
      outcomes[index] = {rendering: cached.rendering, hash: cached.hash, fresh: false}
      context.onBody?.()
      continue
    }
    misses.push({index, key: hashOf(context.settingsKey, request.key), size: context.sizeOf(request.doc)})
  }
  if (misses.length === 0) return outcomes
  misses.sort((a, b) => b.size - a.size || a.index - b.index)
  const batch = await context.pool.batch(context.settings, {count: misses.length, bytes: misses.reduce((sum, miss) => sum + miss.size, 0)})
  let next = 0
  const lane = async (): Promise<void> => {
    while (next < misses.length) {
      const miss = misses[next++] as (typeof misses)[number]
      outcomes[miss.index] = await renderOne(context, batch, requests[miss.index] as BodyRequest, miss.key)
      context.onBody?.()
    }
  }
  await Promise.all(Array.from({length: Math.min(batch.inFlight, misses.length)}, lane))
  return outcomes
}

/** Read one body, run its Liquid (on this thread, which holds the site), render it on the batch, and keep the result. */
async function renderOne(context: BodyStageContext, batch: RenderBatch, request: BodyRequest, key: string): Promise<BodyOutcome> {
  const failed: BodyOutcome = {rendering: undefined, hash: hashOf(key, 'failed'), fresh: true}
  const body = await context.body(request.doc)
  // What Liquid reports on the document itself (a malformed output, an unknown filter, a missing include) is kept
  // with the rendering, so a build that reuses it reports it again.
  const before = request.doc.file.messages.length
  const text = request.liquid ? await renderLiquid(context, request, body) : body
  if (text === undefined) return failed
  const liquidMessages = request.doc.file.messages.slice(before).map(toPlainMessage)
  const {doc} = request
  const result = await batch.render({source: doc.source, cwd: doc.file.cwd, format: doc.format, text, matter: doc.data, keyLines: doc.keyLines})
  if (result instanceof Error) {
    reportRenderFailure(doc.file, result)
    return failed
  }
  const {html, excerpt, image, imageSize, math, papers, words, imageVariants, messages, deps} = result
  const meta = {excerpt, image, imageSize, math, papers, words, ...(imageVariants.length > 0 ? {imageVariants} : {})}
  const hash = hashOf(key, html, JSON.stringify(meta))
  context.cache.bodies.put(hash, html)
  const rendering = lazyRendering(meta, hash, context.cache.bodies)
  reportPlain(doc.file, messages)
  if (!messages.some((message) => message.severity === 'error')) context.cache.renders.set(request.slot, {key, rendering, hash, messages: [...liquidMessages, ...messages], deps})
  return {rendering, hash, fresh: true}
}

/**
 * Report a cached body's messages on its document again. The messages made
 * the last time for the same file are pushed as they are (making a
 * VFileMessage captures a stack trace: thousands per preview rebuild added up).
 */
function reportCached(file: VFile, entry: BodyEntry): void {
  if (entry.reported?.file === file) {
    file.messages.push(...entry.reported.messages)
    return
  }
  const before = file.messages.length
  reportPlain(file, entry.messages)
  entry.reported = {file, messages: file.messages.slice(before)}
}

/** The cached body for `request`, when its key matches and its dependencies hold. */
export function cachedBody(context: Pick<BodyStageContext, 'cache' | 'settingsKey' | 'files' | 'stampOf'>, request: Pick<BodyRequest, 'slot' | 'key'>): BodyEntry | undefined {
  const cached = context.cache.renders.get(request.slot)
  return cached && cached.key === hashOf(context.settingsKey, request.key) && depsHold(cached, context) ? cached : undefined
}

/** Whether every lookup a cached body made still finds the same, and every image it measured is unchanged. */
function depsHold(entry: BodyEntry, context: Pick<BodyStageContext, 'files' | 'stampOf'>): boolean {
  for (const [key, url] of entry.deps.files) if ((context.files.get(key) ?? null) !== url) return false
  for (const [file, stamp] of entry.deps.images) if (context.stampOf(file) !== stamp) return false
  return true
}

/** A rendering whose HTML is read from the body store when asked for. */
export function lazyRendering(meta: Omit<Rendering, 'html'>, hash: string, store: BodyStore): Rendering {
  const rendering = {...meta} as Rendering
  Object.defineProperty(rendering, 'html', {get: () => store.get(hash), enumerable: false})
  return rendering
}

/** Liquid in a body runs on this thread (it sees the whole site); a failure is reported on the post and skips the body. */
async function renderLiquid(context: BodyStageContext, request: BodyRequest, body: string): Promise<string | undefined> {
  const liquid = await context.liquid()
  try {
    const templates = liquid.parse(body, path.join(context.source, request.doc.source))
    return await liquid.render(templates, {site: context.site, page: request.view, ...request.extra})
  } catch (error) {
    reportLiquidError(error, request.doc.file, context.fileFor)
    return undefined
  }
}
