import {existsSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {createBodyRenderer, createRendererShared, type BodyJob, type BodyRenderer, type BodyResult, type RendererShared, type RenderSettings} from './body.js'
import type {RenderTask} from './worker.js'

/**
 * Renders bodies, on worker threads when that pays: a pool of `workers`
 * threads (one frozen processor each) fed the largest bodies first, so no
 * thread is left with one big post at the end. Small batches render on the
 * calling thread, where no worker has to start and load the pipeline.
 *
 * The result of a job is the same wherever it runs: `createBodyRenderer` is
 * the one implementation, called in the worker or here.
 */
export interface RenderPool {
  /**
   * Render every job; results in job order. A job that throws (a bug, or input
   * beyond what a library copes with) gives its error in its place, and the
   * other jobs go on.
   */
  renderAll(settings: RenderSettings, jobs: readonly BodyJob[]): Promise<Array<BodyResult | Error>>
  /** Stop the threads. */
  close(): Promise<void>
}

export interface PoolOptions {
  /** Threads to use; 1 renders everything on the calling thread. */
  readonly workers: number
  /** Below this many bytes of text a batch renders on the calling thread. Default 256 KiB. */
  readonly minBytes?: number
  /** The calling thread's highlighter and highlighted blocks, kept across builds (the preview's). */
  readonly shared?: RendererShared | undefined
}

/** Young-generation size for the workers: rendering allocates many short-lived nodes, and a larger nursery collects them less often. */
const youngGenerationMb = 48

export function createRenderPool(options: PoolOptions): RenderPool {
  const minBytes = options.minBytes ?? 256 * 1024
  let local: {key: RenderSettings; renderer: BodyRenderer} | undefined
  const shared = options.shared ?? createRendererShared()
  let pool: import('tinypool').Tinypool | undefined
  let sent: {key: RenderSettings; buffer: SharedArrayBuffer; id: number} | undefined
  let ids = 0

  const onThisThread = (settings: RenderSettings): BodyRenderer => {
    if (local?.key !== settings) local = {key: settings, renderer: createBodyRenderer(settings, shared)}
    return local.renderer
  }

  return {
    async renderAll(settings, jobs) {
      const bytes = jobs.reduce((sum, job) => sum + job.text.length, 0)
      const workerFile = workerModule()
      if (options.workers <= 1 || bytes < minBytes || jobs.length < 2 || workerFile === undefined) {
        const renderer = onThisThread(settings)
        const results: Array<BodyResult | Error> = []
        for (const job of jobs) results.push(await renderer.render(job).catch(asError))
        return results
      }
      if (!pool) {
        const {Tinypool} = await import('tinypool')
        pool = new Tinypool({
          filename: workerFile,
          minThreads: options.workers,
          maxThreads: options.workers,
          isolateWorkers: false,
          resourceLimits: {maxYoungGenerationSizeMb: youngGenerationMb}
        })
      }
      // The settings (the site's file table can hold thousands of entries) cross once per thread, not once per job:
      // every task carries the same shared buffer, and a worker decodes it the first time it sees its id.
      if (sent?.key !== settings) {
        const bytes = new TextEncoder().encode(JSON.stringify(settings))
        const buffer = new SharedArrayBuffer(bytes.length)
        new Uint8Array(buffer).set(bytes)
        sent = {key: settings, buffer, id: ++ids}
      }
      const {buffer, id} = sent
      const order = jobs.map((_, index) => index).sort((a, b) => (jobs[b]?.text.length ?? 0) - (jobs[a]?.text.length ?? 0))
      const results = new Array<BodyResult | Error>(jobs.length)
      const running = pool
      await Promise.all(
        order.map(async (index) => {
          const task: RenderTask = {settingsId: id, settings: buffer, job: jobs[index] as BodyJob}
          results[index] = await (running.run(task) as Promise<BodyResult>).catch(asError)
        })
      )
      return results
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
