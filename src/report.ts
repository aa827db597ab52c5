import path from 'node:path'
import {VFile} from 'vfile'
import type {VFileMessage} from 'vfile-message'
import {escapeControls} from './report-text.js'

export {escapeControls} from './report-text.js'

/** A point or range in a file, 1-based. */
export interface Place {
  readonly line: number
  readonly column: number
}

export interface Problem {
  readonly reason: string
  /** `yaml`, `date`, `layout`, `url-clash`, `missing-asset`, … */
  readonly ruleId: string
  readonly place?: Place | {start: Place; end: Place} | undefined
  /** Errors fail the build; warnings are reported and the build goes on. */
  readonly severity: 'error' | 'warning'
  readonly cause?: unknown
}

/**
 * Attach a positioned message to `file`. The one way Galley records a problem:
 * no module below `cli.ts` prints or throws for bad input.
 */
export function report(file: VFile, problem: Problem): VFileMessage {
  const cause = problem.cause instanceof Error ? problem.cause : undefined
  const message = file.message(problem.reason, {
    place: problem.place ?? null,
    ruleId: problem.ruleId,
    source: 'galley',
    ...(cause ? {cause} : {})
  })
  message.fatal = problem.severity === 'error'
  return message
}

/** Whether any message on these files is an error. */
export function hasErrors(files: Iterable<VFile>): boolean {
  for (const file of files) if (file.messages.some((message) => message.fatal === true)) return true
  return false
}

/**
 * Apply `warnings:` of site.yml to the messages on `files`, in place: the
 * warnings of a rule set to `off` are removed, those of a rule set to `error`
 * become errors (so the build fails), `warning` leaves them. Errors are never
 * turned down: an error means the output cannot be right.
 * @returns how many warnings were removed.
 */
export function applyWarningLevels(files: Iterable<VFile>, levels: Readonly<Record<string, 'off' | 'warning' | 'error'>>): number {
  let removed = 0
  if (Object.keys(levels).length === 0) return removed
  for (const file of files) {
    const kept = file.messages.filter((message) => {
      if (message.fatal === true) return true
      const level = message.ruleId ? levels[message.ruleId] : undefined
      if (level === 'off') {
        removed++
        return false
      }
      if (level === 'error') message.fatal = true
      return true
    })
    if (kept.length !== file.messages.length) file.messages.splice(0, file.messages.length, ...kept)
  }
  return removed
}

/**
 * `--strict`: every warning on `files` becomes an error, in place, so the
 * build fails before anything is written (remark-cli's `--frail`).
 * @returns how many warnings were turned into errors.
 */
export function escalateWarnings(files: Iterable<VFile>): number {
  let escalated = 0
  for (const file of files) {
    for (const message of file.messages) {
      if (message.fatal === true) continue
      message.fatal = true
      escalated++
    }
  }
  return escalated
}

/** How many warnings each rule has on `files` (a message without a ruleId counts under `other`), most first. */
export function countWarnings(files: Iterable<VFile>): Array<readonly [string, number]> {
  const counts = new Map<string, number>()
  for (const file of files) {
    for (const message of file.messages) {
      if (message.fatal === true) continue
      const rule = message.ruleId ?? 'other'
      counts.set(rule, (counts.get(rule) ?? 0) + 1)
    }
  }
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
}

/**
 * The stand-in file for a command-line option (`--out`, `--source`): its
 * messages print as `--out: error: …`, with no line or column, since they are
 * about what was typed, not about a file.
 */
export function optionFile(option: `--${string}`): VFile {
  return new VFile({path: option})
}

/** The stand-in file for a folder as a whole (the output folder): its messages print as `_site/: error: …`. */
export function folderFile(relative: string): VFile {
  return new VFile({path: relative.endsWith('/') ? relative : relative + '/'})
}

/** Files whose messages have no line and column: options and whole folders. */
function isOption(name: string): boolean {
  return name.startsWith('--') || name.endsWith('/')
}

export interface FormatOptions {
  /** Include warnings (default true). */
  readonly warnings?: boolean
}

/**
 * One line per message, `path:line:column: severity: reason (rule)`, sorted by
 * file then position, so each line can be clicked in an editor.
 */
export function formatMessages(files: Iterable<VFile>, options: FormatOptions = {}): string[] {
  const rows: Array<{file: string; line: number; column: number; text: string}> = []
  for (const file of files) {
    for (const message of file.messages) {
      if (message.fatal !== true && options.warnings === false) continue
      const name = escapeControls(toPosix(file.path || '<input>'))
      const line = message.line ?? 1
      const column = message.column ?? 1
      const severity = message.fatal === true ? 'error' : 'warning'
      const rule = message.ruleId ? ` (${escapeControls(message.ruleId)})` : ''
      const where = isOption(name) ? name : `${name}:${line}:${column}`
      rows.push({file: name, line, column, text: `${where}: ${severity}: ${escapeControls(message.reason)}${rule}`})
    }
  }
  rows.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column)
  return rows.map((row) => row.text)
}

function toPosix(file: string): string {
  return file.split(path.sep).join('/')
}
