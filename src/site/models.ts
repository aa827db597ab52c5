import {createHash} from 'node:crypto'
import {isMap, isScalar, LineCounter, parseDocument, type Document, type Node as YamlNode} from 'yaml'
import {z} from 'zod'
import type {VFile} from 'vfile'
import type {Figure, Model} from '../markdown/compare/types.js'
import {report, type Place} from '../report.js'

export type {Figure, Model}

/**
 * The site's model data (`data/models.yml`, `_data/models.yml` or `.json`):
 * LLMs keyed by id, with their figures and where each came from. It is
 * parsed once per build on the main thread, validated with a zod schema, and
 * every problem is a message at its line and column in the file. What comes
 * out is plain data, so it can travel to the render workers as it is.
 */

/** The validated model data of a site, and a hash of it (part of the render key of the posts that use it). */
export interface ModelData {
  readonly models: readonly Model[]
  readonly hash: string
}

/** Fields that hold a number (with a unit suffix allowed where the issue names one). */
export const NUMERIC_FIELDS = ['parameters', 'active_parameters', 'training_tokens', 'context_length', 'vocab_size', 'experts', 'active_experts'] as const

const multipliers: Record<string, number> = {K: 1e3, M: 1e6, B: 1e9, T: 1e12}

/** `8B` → 8e9, `270M` → 2.7e8, `15T` → 1.5e13, a plain number as it is; undefined for an unknown unit. */
export function parseQuantity(written: string | number): number | undefined {
  if (typeof written === 'number') return written
  const match = /^\s*(\d+(?:\.\d+)?)\s*([KMBT])?\s*$/i.exec(written.replace(/,/g, ''))
  if (!match) return undefined
  const unit = match[2]?.toUpperCase()
  return Number(match[1]) * (unit ? (multipliers[unit] as number) : 1)
}

const quantity = z.unknown().transform((written, context) => {
  const value = typeof written === 'number' || typeof written === 'string' ? parseQuantity(written) : undefined
  if (value === undefined) {
    const reason = typeof written === 'string' ? `unknown unit in \`${written}\`` : `expected a number, got ${describe(written)}`
    context.addIssue({code: 'custom', message: `${reason} (write a number, or one followed by K, M, B or T: \`8B\`, \`270M\`)`})
    return z.NEVER
  }
  return value
})
const date = z.union([z.string(), z.date()]).transform((value) => (value instanceof Date ? value.toISOString().slice(0, 10) : value))
// A source becomes a link on the page: only http(s) (zod's url alone takes `javascript:` too).
const cited = {source: z.url({protocol: /^https?$/, error: 'a source is an http or https URL'}).optional(), retrieved: date.optional()}
/** A bare figure is read as `{value}`, so one object schema (with its own messages) covers both spellings. */
const asObject = (value: unknown) => (typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {value})
const figure = z.preprocess(asObject, z.strictObject({value: quantity, ...cited}))
const score = z.preprocess(asObject, z.strictObject({value: z.number(), eval: z.string().optional(), ...cited}))

const modelSchema = z.strictObject({
  name: z.string(),
  aliases: z.array(z.string()).optional(),
  family: z.string().optional(),
  organization: z.string().optional(),
  released: date.optional(),
  license: z.string().optional(),
  architecture: z.enum(['dense', 'moe']).optional(),
  experts: figure.optional(),
  active_experts: figure.optional(),
  parameters: figure.optional(),
  active_parameters: figure.optional(),
  training_tokens: figure.optional(),
  context_length: figure.optional(),
  vocab_size: figure.optional(),
  scores: z.record(z.string(), score).optional(),
  ...cited
})

const fileSchema = z.record(z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'a model id is lowercase letters, digits, `.`, `_` and `-`'), modelSchema)

/** Whether `relative` (a path under the data folder, without it) names the model data. */
export function isModelFile(relative: string): boolean {
  return /^models\.(ya?ml|json)$/i.test(relative)
}

/**
 * Parse and validate the model data in `text`. Problems are messages on
 * `file` at their line and column (errors for a wrong type, an unknown unit,
 * an unknown key, a duplicate id; warnings for a score without a source).
 * Returns the raw value (for `site.data.models`) and the validated data, or
 * no data when there were errors.
 */
export function parseModels(text: string, file: VFile): {raw: unknown; data: ModelData | undefined} {
  const lines = new LineCounter()
  const doc = parseDocument(text, {lineCounter: lines, uniqueKeys: true, prettyErrors: false})
  const at = (offset: number): Place => {
    const {line, col} = lines.linePos(offset)
    return {line, column: col}
  }
  for (const error of doc.errors) {
    const duplicate = error.code === 'DUPLICATE_KEY'
    report(file, {reason: duplicate ? `duplicate model id or key: ${firstLine(error.message)}` : `invalid YAML: ${firstLine(error.message)}`, ruleId: 'models', severity: 'error', place: at(error.pos[0])})
  }
  if (doc.errors.length > 0) return {raw: undefined, data: undefined}
  const raw: unknown = doc.toJS() ?? {}
  const parsed = fileSchema.safeParse(raw)
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.map((key) => (typeof key === 'symbol' ? String(key) : key))
      // A bare figure was read as `{value}`: its problem is the figure's.
      if (path[path.length - 1] === 'value' && !isMap(doc.getIn(path.slice(0, -1), true))) path.pop()
      const unknownKey = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined
      const place = placeOf(doc, path, unknownKey, at)
      const where = path.length > 0 ? `\`${path.join('.')}\`: ` : ''
      report(file, {reason: `${where}${issue.message}`, ruleId: 'models', severity: 'error', place})
    }
    return {raw, data: undefined}
  }
  const models: Model[] = []
  for (const [id, written] of Object.entries(parsed.data)) {
    const figures: Record<string, Figure> = {}
    for (const field of NUMERIC_FIELDS) {
      // In a dense model every parameter is active: its active parameters are its parameters (with their source),
      // so a chart against active parameters places dense and mixture-of-experts models on one axis.
      const value = field === 'active_parameters' && written.architecture === 'dense' ? (written.active_parameters ?? written.parameters) : written[field]
      if (value !== undefined) figures[field] = withoutUndefined(value)
    }
    for (const [benchmark, value] of Object.entries(written.scores ?? {})) {
      const one: Figure = withoutUndefined(value)
      figures[`scores.${benchmark}`] = one
      if (one.source === undefined && written.source === undefined) {
        report(file, {
          reason: `\`${id}.scores.${benchmark}\` has no source: add \`source\` (a URL) so readers can check it`,
          ruleId: 'models-source',
          severity: 'warning',
          place: placeOf(doc, [id, 'scores', benchmark], undefined, at)
        })
      }
    }
    models.push(
      withoutUndefined({
        id,
        name: written.name,
        aliases: written.aliases ?? [],
        family: written.family,
        organization: written.organization,
        released: written.released,
        license: written.license,
        architecture: written.architecture,
        figures
      })
    )
  }
  const hash = createHash('sha256').update(JSON.stringify(models)).digest('hex').slice(0, 16)
  return {raw, data: {models, hash}}
}

/** The position of the node at `path` (or of key `key` in the map there), else the nearest parent's. */
function placeOf(doc: Document, path: ReadonlyArray<string | number>, key: string | undefined, at: (offset: number) => Place): Place {
  for (let length = path.length; length >= 0; length--) {
    const node = doc.getIn(path.slice(0, length), true) as YamlNode | undefined
    if (length === 0 && node === undefined && doc.contents) return at(doc.contents.range?.[0] ?? 0)
    if (!node) continue
    if (key !== undefined && length === path.length && isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === key)
      if (pair && isScalar(pair.key) && pair.key.range) return at(pair.key.range[0])
    }
    // A value that failed: point at it; for a missing key, at its map's first key.
    if (node.range) return at(node.range[0])
  }
  return {line: 1, column: 1}
}

function describe(value: unknown): string {
  return Array.isArray(value) ? 'a list' : value === null ? 'nothing' : `a ${typeof value}`
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message
}

/** A copy without its undefined fields (what JSON and structured clone would make of it anyway). */
function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T
}
