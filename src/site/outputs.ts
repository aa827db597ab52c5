import type {VFile} from 'vfile'
import {report} from '../report.js'

/**
 * One file of the built site, before it is made: where it goes, a key that
 * fingerprints everything it is made from, and how to make it. Emitters
 * return these; the output stage decides whether to make each one, keep the
 * last build's, or (in the preview) leave it until someone asks for it.
 */
export interface Output {
  /** Path inside the output folder (POSIX). */
  readonly path: string
  /** Changes whenever what `make` would produce may change. */
  readonly key: string
  /** Where problems found while making it are reported. */
  readonly owner: VFile
  /** A page a preview rebuild may leave until it is requested (listings, other posts' pages). */
  readonly deferrable: boolean
  /** Make the contents; undefined when making them failed (reported on `owner`). */
  readonly make: () => Promise<string | Uint8Array | undefined>
}

/** A file copied as it is (an asset, an image beside a post); its key is the source's stamp. */
export interface Copy {
  readonly path: string
  readonly key: string
  /** Absolute source file. */
  readonly from: string
}

/**
 * Where the output stage puts what it makes: the staged output folder of a
 * build, or the preview's memory. It also answers whether the last run's
 * output for a path, made from the same key, can stand as it is.
 */
export interface OutputSink {
  /** Keep the last run's output at `path` if it was made from `key` and is still there as written; false when it must be made. */
  reuse(path: string, key: string): Promise<boolean>
  /** Take new contents; `key` is undefined when it must not be reused (making it reported something, which must be reported again). */
  write(path: string, contents: string | Uint8Array, key: string | undefined): Promise<void>
  copy(path: string, from: string, key: string): Promise<void>
}

export interface OutputStageResult {
  /** Paths made in this run. */
  readonly made: string[]
  /** Paths kept from the last run. */
  readonly kept: number
  /** Pages left for later (preview only): path → make it now. */
  readonly deferred: Map<string, () => Promise<string | Uint8Array | undefined>>
}

export interface OutputStageOptions {
  readonly sink: OutputSink
  /** In a preview rebuild: whether a deferrable output must still be made now (it shows a file that changed). */
  readonly eager?: ((path: string) => boolean) | undefined
}

/**
 * Make, keep or defer each output, in order. A failure to make one (a
 * library throwing on input beyond what it copes with) is an error on its
 * owner, and the other outputs are still made.
 */
export async function runOutputs(outputs: Iterable<Output>, copies: Iterable<Copy>, options: OutputStageOptions): Promise<OutputStageResult> {
  const made: string[] = []
  let kept = 0
  const deferred = new Map<string, () => Promise<string | Uint8Array | undefined>>()
  const make = async (output: Output): Promise<string | Uint8Array | undefined> => {
    const before = output.owner.messages.length
    const contents = await failSafe(output.owner, () => output.make())
    if (contents !== undefined) await options.sink.write(output.path, contents, output.owner.messages.length === before ? output.key : undefined)
    return contents
  }
  for (const output of outputs) {
    if (await options.sink.reuse(output.path, output.key)) {
      kept++
      continue
    }
    if (output.deferrable && options.eager && !options.eager(output.path)) {
      deferred.set(output.path, () => make(output))
      continue
    }
    await make(output)
    made.push(output.path)
  }
  for (const copy of copies) {
    if (await options.sink.reuse(copy.path, copy.key)) kept++
    else await options.sink.copy(copy.path, copy.from, copy.key)
  }
  return {made, kept, deferred}
}

/**
 * Run one step; an exception (a bug, or input beyond what a library copes
 * with, such as thousands of nested elements) becomes an error on that file,
 * and the build goes on to report every other problem.
 */
export async function failSafe<T>(file: VFile, step: () => Promise<T | undefined>): Promise<T | undefined> {
  try {
    return await step()
  } catch (error) {
    reportRenderFailure(file, error)
    return undefined
  }
}

/** An exception while rendering `file`, as an error on it. */
export function reportRenderFailure(file: VFile, error: unknown): void {
  const reason = error instanceof RangeError && /call stack/i.test(error.message) ? 'the markup is nested too deeply to render' : error instanceof Error ? error.message : String(error)
  report(file, {reason: `could not render this file: ${reason}`, ruleId: 'render', severity: 'error', place: {line: 1, column: 1}, cause: error})
}
