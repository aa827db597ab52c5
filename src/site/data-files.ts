import path from 'node:path'
import yaml from 'js-yaml'
import {VFile} from 'vfile'
import {location} from 'vfile-location'
import {sourceText} from '../content/source-text.js'
import {SourceReadError, type SourceReader} from '../io.js'
import {report} from '../report.js'
import {isModelFile, parseModels, type ModelData} from './models.js'

/** Result of reading a site's data folder: `site.data` and the files read (with any messages). */
export interface SiteData {
  readonly data: Record<string, unknown>
  readonly files: VFile[]
  /** The validated model data (`models.yml` at the top of the folder), when there is one without errors. */
  readonly models?: ModelData | undefined
}

const extensions = new Set(['.yml', '.yaml', '.json'])

/**
 * Read every YAML or JSON file under `folder` (Jekyll's `_data/`, or
 * `data/`) into a nested object: `data/models/small.yml` becomes
 * `site.data.models.small`. Parse errors are positioned messages on the file.
 */
export async function readSiteData(reader: SourceReader, folder: string | undefined): Promise<SiteData> {
  const data: Record<string, unknown> = {}
  const files: VFile[] = []
  let models: ModelData | undefined
  if (folder === undefined) return {data, files}
  const names = await reader.list((relative) => path.posix.basename(relative).startsWith('.') || !(relative === folder || relative.startsWith(folder + '/')))
  for (const name of names) {
    const extension = path.posix.extname(name).toLowerCase()
    if (!extensions.has(extension)) continue
    const file = new VFile({path: name})
    files.push(file)
    let text: string
    try {
      text = sourceText(await reader.read(name))
    } catch (error) {
      if (!(error instanceof SourceReadError)) throw error
      report(file, {reason: error.message, ruleId: 'read', severity: 'error', place: {line: 1, column: 1}, cause: error})
      continue
    }
    file.value = text
    let value: unknown
    if (isModelFile(name.slice(folder.length + 1))) {
      // The model data is parsed once, by its schema, which keeps positions for every problem.
      const parsed = parseModels(text, file)
      models = parsed.data
      data[path.posix.basename(name, extension)] = parsed.raw
      continue
    }
    try {
      value = extension === '.json' ? JSON.parse(text) : yaml.load(text, {schema: yaml.CORE_SCHEMA, filename: name})
    } catch (error) {
      report(file, {reason: `invalid ${extension === '.json' ? 'JSON' : 'YAML'}: ${reasonOf(error)}`, ruleId: 'data', severity: 'error', place: placeOf(error, text), cause: error})
      continue
    }
    const keys = name.slice(folder.length + 1, -extension.length).split('/')
    let target = data
    for (const key of keys.slice(0, -1)) {
      const next = target[key]
      target = typeof next === 'object' && next !== null && !Array.isArray(next) ? (next as Record<string, unknown>) : (target[key] = {})
    }
    target[keys[keys.length - 1] ?? ''] = value
  }
  return {data, files, models}
}

function reasonOf(error: unknown): string {
  return (error as {reason?: string}).reason ?? (error as Error).message ?? String(error)
}

function placeOf(error: unknown, text: string): {line: number; column: number} {
  const mark = (error as {mark?: {position: number}}).mark
  if (mark) return location(text).toPoint(mark.position) ?? {line: 1, column: 1}
  const position = /position (\d+)/.exec((error as Error).message ?? '')
  return (position ? location(text).toPoint(Number(position[1])) : undefined) ?? {line: 1, column: 1}
}
