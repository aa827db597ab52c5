import matter from 'gray-matter'
import yaml from 'js-yaml'
import {location} from 'vfile-location'
import type {VFile} from 'vfile'
import {report} from '../report.js'
import {normalizeLineEndings} from './source-text.js'

/**
 * YAML schema for front matter: js-yaml's core schema plus merge keys, but
 * without the timestamp type. Jekyll dates such as `2024-05-12 00:00:00 +0900`
 * must reach `dates.ts` as the text the author wrote (the timestamp type would
 * silently turn `+09:00` dates into UTC instants and drop the offset).
 */
const schema = yaml.CORE_SCHEMA.extend({implicit: [(yaml as unknown as {types: {merge: yaml.Type}}).types.merge]})

export interface FrontMatter {
  /** Parsed data; `{}` when the file has no front matter. */
  readonly data: Record<string, unknown>
  /** Whether the file starts with a front-matter block at all. */
  readonly present: boolean
  /**
   * The file's text with the front-matter block replaced by empty lines, so
   * every position in the body is also a position in the file.
   */
  readonly body: string
  /** 1-based line of each top-level key, for messages about a key's value. */
  readonly keyLines: Readonly<Record<string, number>>
}

/**
 * Split a file into front matter and body (`\r\n` and lone `\r` count as line
 * endings, as in an editor).
 *
 * gray-matter finds the block and hands it to js-yaml; we always pass options
 * so gray-matter's content-keyed cache (shared, mutable results) is never used.
 * A YAML error becomes a fatal message on `file` at the line and column in the
 * file itself, not in the block.
 */
export function readFrontMatter(file: VFile): FrontMatter {
  // Callers read files through `sourceText`; a text with `\r` line endings from elsewhere is read as lines too.
  const text = normalizeLineEndings(String(file.value))
  if (opensWithoutClosing(text)) {
    report(file, {
      reason: 'the front matter opened here is never closed (no --- line after it), so the whole file is read as the post\'s text; add a --- line after the front matter',
      ruleId: 'front-matter',
      severity: 'warning',
      place: {line: 1, column: 1}
    })
    return {data: {}, present: false, body: text, keyLines: {}}
  }
  let parsed: matter.GrayMatterFile<string>
  try {
    parsed = matter(text, {
      engines: {
        yaml: {
          parse: (block: string) => (yaml.load(block, {schema, filename: file.path}) ?? {}) as object,
          stringify: () => {
            throw new Error('not used')
          }
        }
      }
    })
  } catch (error) {
    throw yamlFailure(file, text, error)
  }

  const present = parsed.matter !== undefined && text.startsWith('---') && parsed.content !== text
  const data = parsed.data
  if (present && (typeof data !== 'object' || data === null || Array.isArray(data))) {
    throw report(file, {reason: 'front matter must be a mapping of keys to values', place: {line: 2, column: 1}, ruleId: 'front-matter', severity: 'error'})
  }

  const body = present ? blankBlock(text, text.length - parsed.content.length) : text
  return {data: {...data}, present, body, keyLines: present ? keyLinesOf(text.slice(0, text.length - parsed.content.length)) : {}}
}

/** A first line `---` (gray-matter's opener, a language such as `yaml` may follow) and no later line starting with `---` to close it. */
function opensWithoutClosing(text: string): boolean {
  if (!text.startsWith('---')) return false
  const firstBreak = text.indexOf('\n')
  if (firstBreak === -1) return true
  return !text.slice(firstBreak).includes('\n---')
}

/** Replace everything before `end` with the same number of line breaks. */
function blankBlock(text: string, end: number): string {
  const head = text.slice(0, end)
  const lines = head.split('\n').length - 1
  return '\n'.repeat(lines) + text.slice(end)
}

/** 1-based line of each top-level `key:` in YAML text (the first, when a key repeats). */
export function keyLinesOf(text: string): Record<string, number> {
  const lines: Record<string, number> = {}
  text.split('\n').forEach((line, index) => {
    const match = /^([A-Za-z_][\w-]*)\s*:/.exec(line)
    if (match?.[1] && !(match[1] in lines)) lines[match[1]] = index + 1
  })
  return lines
}

interface YamlMark {
  readonly position: number
  readonly line: number
  readonly column: number
}

function yamlFailure(file: VFile, text: string, error: unknown): Error {
  const yamlError = error as {name?: string; reason?: string; mark?: YamlMark; message?: string}
  if (yamlError.name !== 'YAMLException') {
    return report(file, {reason: 'cannot read front matter', ruleId: 'front-matter', severity: 'error', cause: error, place: {line: 1, column: 1}})
  }
  // The block handed to js-yaml starts at the end of the opening line (`---`, or `---yaml` with its language).
  const firstBreak = text.indexOf('\n')
  const start = firstBreak === -1 ? 3 : firstBreak
  const mark = yamlError.mark
  const point = mark ? location(text).toPoint(start + mark.position) : undefined
  return report(file, {
    reason: `invalid YAML in front matter: ${yamlError.reason ?? 'syntax error'}`,
    place: point ?? {line: 1, column: 1},
    ruleId: 'yaml',
    severity: 'error',
    cause: error
  })
}
