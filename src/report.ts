import path from 'node:path'
import type {VFile} from 'vfile'
import type {VFileMessage} from 'vfile-message'

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
      const name = toPosix(file.path || '<input>')
      const line = message.line ?? 1
      const column = message.column ?? 1
      const severity = message.fatal === true ? 'error' : 'warning'
      const rule = message.ruleId ? ` (${message.ruleId})` : ''
      rows.push({file: name, line, column, text: `${name}:${line}:${column}: ${severity}: ${message.reason}${rule}`})
    }
  }
  rows.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column)
  return rows.map((row) => row.text)
}

function toPosix(file: string): string {
  return file.split(path.sep).join('/')
}
