import {setTimeout as sleep} from 'node:timers/promises'
import {sniffImage, type ImageKind} from './sniff.js'

export interface FetchOptions {
  /** Per attempt, for the whole response (headers and body). */
  readonly timeoutMs: number
  /** Larger responses are refused (by their Content-Length, or as soon as the body passes it). */
  readonly maxBytes: number
  /** Attempts after the first for failures that may pass (network errors, time-outs, 5xx, 429). */
  readonly retries: number
  /** Wait before the first retry; doubled for each one after. */
  readonly backoffMs: number
  /** Host → origin that stands in for it (`--origin HOST=URL`): the path and query are kept. */
  readonly origins: ReadonlyMap<string, string>
}

export type Fetched =
  | {readonly ok: true; readonly bytes: Uint8Array; readonly kind: ImageKind; readonly attempts: number}
  | {readonly ok: false; readonly reason: string; readonly attempts: number}

/** Why one attempt failed, and whether trying again may help. */
class AttemptError extends Error {
  constructor(
    message: string,
    readonly transient: boolean
  ) {
    super(message)
  }
}

/**
 * Fetch one image, following redirects, with a time-out per attempt, retries
 * with back-off for failures that may pass, a size cap, and two checks on
 * what came back: the server must call it an image (`Content-Type: image/*`,
 * or a generic binary type), and its bytes must be one (an HTML error page
 * served as `.png` is refused).
 */
export async function fetchImage(url: string, options: FetchOptions): Promise<Fetched> {
  let attempt = 0
  for (;;) {
    attempt++
    try {
      const {bytes, kind} = await attemptFetch(requestUrl(url, options.origins), options)
      return {ok: true, bytes, kind, attempts: attempt}
    } catch (error) {
      const failure = error instanceof AttemptError ? error : new AttemptError(describe(error), true)
      if (!failure.transient || attempt > options.retries) return {ok: false, reason: failure.message, attempts: attempt}
      await sleep(options.backoffMs * 2 ** (attempt - 1))
    }
  }
}

/** The URL to request: the same, or on the origin that stands in for its host. */
export function requestUrl(url: string, origins: ReadonlyMap<string, string>): string {
  const parsed = new URL(url)
  const origin = origins.get(parsed.host.toLowerCase()) ?? origins.get(parsed.hostname.toLowerCase())
  if (origin === undefined) return url
  return origin.replace(/\/+$/, '') + parsed.pathname + parsed.search
}

async function attemptFetch(url: string, options: FetchOptions): Promise<{bytes: Uint8Array; kind: ImageKind}> {
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), options.timeoutMs)
  try {
    let response: Response
    try {
      response = await fetch(url, {redirect: 'follow', signal: controller.signal, headers: {accept: 'image/avif,image/webp,image/*;q=0.8'}})
    } catch (error) {
      throw new AttemptError(controller.signal.aborted ? `no answer within ${options.timeoutMs} ms` : describe(error), true)
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined)
      throw new AttemptError(`HTTP ${response.status}${response.statusText ? ' ' + response.statusText : ''}`, response.status >= 500 || response.status === 429 || response.status === 408)
    }
    const type = (response.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
    if (!(type.startsWith('image/') || type === 'application/octet-stream' || type === 'binary/octet-stream' || type === '')) {
      await response.body?.cancel().catch(() => undefined)
      throw new AttemptError(`the server sent ${type}, not an image`, false)
    }
    const length = Number(response.headers.get('content-length'))
    if (Number.isFinite(length) && length > options.maxBytes) {
      await response.body?.cancel().catch(() => undefined)
      throw new AttemptError(`${formatBytes(length)} is over the ${formatBytes(options.maxBytes)} limit`, false)
    }
    const bytes = await readCapped(response, options.maxBytes, controller, options.timeoutMs)
    const kind = sniffImage(bytes)
    if (kind === undefined) throw new AttemptError(`the response (${type || 'no content type'}, ${formatBytes(bytes.length)}) is not an image file`, false)
    return {bytes, kind}
  } finally {
    clearTimeout(timer)
  }
}

async function readCapped(response: Response, maxBytes: number, controller: AbortController, timeoutMs: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = []
  let total = 0
  const reader = response.body?.getReader()
  if (!reader) return new Uint8Array()
  try {
    for (;;) {
      const {done, value} = await reader.read()
      if (done) break
      total += value.length
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined)
        throw new AttemptError(`the file is over the ${formatBytes(maxBytes)} limit`, false)
      }
      chunks.push(value)
    }
  } catch (error) {
    if (error instanceof AttemptError) throw error
    throw new AttemptError(controller.signal.aborted ? `no complete answer within ${timeoutMs} ms` : describe(error), true)
  }
  const bytes = new Uint8Array(total)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.length
  }
  return bytes
}

function describe(error: unknown): string {
  const cause = (error as {cause?: {code?: string; message?: string}}).cause
  if (cause?.code) return cause.code
  return error instanceof Error ? error.message : String(error)
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`
}
