/**
 * The model data as comparison blocks see it: plain data, validated on the
 * main thread (src/site/models.ts) and handed to the render workers as it is.
 */

/** One figure: a number, with where it came from when known. */
export interface Figure {
  readonly value: number
  readonly source?: string | undefined
  readonly retrieved?: string | undefined
  /** For scores: how it was evaluated (`5-shot, vendor-reported`). */
  readonly eval?: string | undefined
}

/** One model, with every figure under its field name (`parameters`, `scores.mmlu`). */
export interface Model {
  readonly id: string
  readonly name: string
  readonly aliases: readonly string[]
  readonly family?: string | undefined
  readonly organization?: string | undefined
  readonly released?: string | undefined
  readonly license?: string | undefined
  readonly architecture?: 'dense' | 'moe' | undefined
  readonly figures: Readonly<Record<string, Figure>>
}
