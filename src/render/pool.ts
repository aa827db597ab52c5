import {existsSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import type {BodyJob, BodyRenderer, BodyResult, RenderSettings} from './body.js'
import type {RenderTask} from './worker.js'

/**
 * Renders bodies, on worker threads when that pays: a pool of `workers`
 * threads (tinypool; one frozen processor each). Small batches render on
 * the calling thread, where no worker has to start and load the pipeline.
 *
 * The result of a job is the same wherever it runs: `createBodyRenderer` is
 * the one implementation, called in the worker or here.
 */
export interface RenderPool {
  /** Get ready to render about `estimate.bytes` of text in `estimate.count` jobs with `settings`. */
  batch(settings: RenderSettings, estimate: {readonly count: number; readonly bytes: number}): Promise<RenderBatch>
  /** Stop the threads. */
  close(): Promise<void>
}

export interface RenderBatch {
  /**
   * Render one job. A job that throws (a bug, or input beyond what a library
   * copes with) gives its error, and the other jobs go on.
   */
  render(job: BodyJob): Promise<BodyResult | Error>
  /** How many jobs to keep in flight: enough to keep every thread busy, few enough that texts are not all held at once. */
  readonly inFlight: number
}

export interface PoolOptions {
  /** Threads to use; 1 renders everything on the calling thread. */
  readonly workers: number
  /** Below this many bytes of text a batch renders on the calling thread. Default 256 KiB. */
  readonly minBytes?: number
}

/**
 * Young-generation size for the workers. Rendering allocates many
 * short-lived nodes; a larger nursery than V8's default collects them less
 * often (measured: ~10 % less time in the collector), at some memory.
 */
const youngGenerationMb = 96

export function createRenderPool(options: PoolOptions): RenderPool {
  const minBytes = options.minBytes ?? 256 * 1024
  let local: {key: RenderSettings; renderer: BodyRenderer} | undefined
  let pool: import('tinypool').Tinypool | undefined
  let sent: {key: RenderSettings; json: string; buffer: SharedArrayBuffer; id: number} | undefined
  let ids = 0

  // The pipeline is imported when the first body renders here, so a build that renders nothing never loads it.
  const onThisThread = async (settings: RenderSettings): Promise<RenderBatch> => {
    const {createBodyRenderer} = await import('./body.js')
    if (local?.key !== settings) local = {key: settings, renderer: createBodyRenderer(settings)}
    const renderer = local.renderer
    return {render: (job) => renderer.render(job).catch(asError), inFlight: 1}
  }

  return {
    async batch(settings, estimate) {
      const workerFile = workerModule()
      // Threads that are already running (a preview session after its first build) render even one post: they
      // are warm, where this thread has never compiled the pipeline.
      const worthStarting = estimate.bytes >= minBytes && estimate.count >= 2
      if (options.workers <= 1 || workerFile === undefined || (!pool && !worthStarting)) return onThisThread(settings)
      const {Tinypool} = await import('tinypool')
      pool ??= new Tinypool({
        filename: workerFile,
        minThreads: options.workers,
        maxThreads: options.workers,
        isolateWorkers: false,
        resourceLimits: {maxYoungGenerationSizeMb: youngGenerationMb}
      })
      // The settings (the site's file table can hold thousands of entries) cross once per thread, not once per job:
      // every task carries the same shared buffer, and a worker decodes it the first time it sees its id.
      // Settings equal to the last ones (a rebuild that added or moved no file) keep their id, so the workers keep
      // their renderer, its processor and its caches.
      if (sent?.key !== settings) {
        const json = JSON.stringify(settings)
        if (sent?.json !== json) {
          const bytes = new TextEncoder().encode(json)
          const buffer = new SharedArrayBuffer(bytes.length)
          new Uint8Array(buffer).set(bytes)
          sent = {key: settings, json, buffer, id: ++ids}
        } else sent = {...sent, key: settings}
      }
      const {buffer, id} = sent
      const running = pool
      return {
        render: (job) => (running.run({settingsId: id, settings: buffer, job} satisfies RenderTask) as Promise<BodyResult>).catch(asError),
        inFlight: options.workers * 4
      }
    },
    async close() {
      await pool?.destroy()
      pool = undefined
    }
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error))
}

/** The compiled worker module, beside this one (or in dist/ when this runs from source, as in the tests). */
function workerModule(): string | undefined {
  const here = fileURLToPath(new URL('./worker.js', import.meta.url))
  if (existsSync(here)) return here
  const built = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/render/worker.js')
  return existsSync(built) ? built : undefined
}
