import type {VFile} from 'vfile'
import type {VFileMessage} from 'vfile-message'
import {report, type Place} from '../report.js'

/**
 * A message as plain data, so it can cross a worker boundary or sit in the
 * persistent cache, and become a VFileMessage again on the main thread.
 */
export interface PlainMessage {
  readonly reason: string
  readonly ruleId: string
  readonly severity: 'error' | 'warning'
  readonly place?: Place | {readonly start: Place; readonly end: Place} | undefined
}

export function toPlainMessage(message: VFileMessage): PlainMessage {
  const place = message.place
  return {
    reason: message.reason,
    ruleId: message.ruleId ?? 'render',
    severity: message.fatal === true ? 'error' : 'warning',
    place: place ? ('start' in place ? {start: point(place.start), end: point(place.end)} : point(place)) : undefined
  }
}

/** Report plain messages on `file`, as if the work that found them had run here. */
export function reportPlain(file: VFile, messages: readonly PlainMessage[]): void {
  for (const message of messages) report(file, message)
}

function point(place: {line: number; column: number}): Place {
  return {line: place.line, column: place.column}
}
