import type {VFile} from 'vfile'
import {location} from 'vfile-location'
import {report} from '../report.js'

/**
 * Warnings about a source file's text as a whole, each at its place: an
 * empty file, text that did not decode as UTF-8 (its bytes became U+FFFD,
 * as Latin-1 `é` does), and control characters (NUL, ESC, …: a binary file,
 * or text pasted with terminal colour codes). Nothing is changed: the
 * warning says what the reader will see.
 */
export function checkSourceText(file: VFile, text: string): void {
  if (text.trim() === '') {
    report(file, {reason: 'this file is empty, so its page has no content (add front matter and text, or delete it)', ruleId: 'empty-file', severity: 'warning', place: {line: 1, column: 1}})
    return
  }
  const replaced = text.indexOf('\uFFFD')
  // eslint-disable-next-line no-control-regex
  const controls = /[\u0000-\u0008\u000b\u000e-\u001f\u007f]/g
  const control = controls.exec(text)
  if (replaced === -1 && control === null) return
  const place = location(text)
  if (replaced !== -1) {
    const count = text.split('\uFFFD').length - 1
    report(file, {
      reason: `this file is not valid UTF-8: ${count === 1 ? 'a byte sequence was' : `${count} byte sequences were`} read as U+FFFD (\uFFFD), first here (was it saved as Latin-1 or Windows-1252? re-save it as UTF-8)`,
      ruleId: 'encoding',
      severity: 'warning',
      place: place.toPoint(replaced)
    })
  }
  if (control !== null) {
    const count = text.match(controls)?.length ?? 0
    const code = `U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`
    report(file, {
      reason: `this file holds ${count === 1 ? 'a control character' : `${count} control characters`} (${code} here): is it a binary file, or text pasted with terminal codes? They reach the page as they are`,
      ruleId: 'control-character',
      severity: 'warning',
      place: place.toPoint(control.index)
    })
  }
}
