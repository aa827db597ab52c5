/**
 * How kramdown lays a table out from its lines (its `parse_table`), as pure
 * functions shared by the tokenizer (which must refuse a table kramdown
 * refuses) and the mdast step (which groups the rows). Not a plugin.
 */

/** A table line: a row, a separator (`|---|`, `|:-|-:|`) or a footer separator (`|===|`). */
export type LineKind = 'row' | 'separator' | 'footer'

/** The section a row lands in; rows of one `group` share one `<thead>`, `<tbody>` or `<tfoot>`. */
export interface RowPlace {
  readonly section: 'thead' | 'tbody' | 'tfoot'
  readonly group: number
}

export interface TableLayout {
  /** One place per row line, in order. */
  readonly rows: readonly RowPlace[]
  /** The index (in the lines) of the separator whose dashes give the alignment, if any. */
  readonly alignmentLine: number | undefined
  /** kramdown keeps a table only when it has a body: without one, its lines are a paragraph. */
  readonly hasBody: boolean
}

/**
 * kramdown's sectioning: separators before any row are ignored; the first
 * separator after rows (before any footer) closes the header and gives the
 * alignment; a later one starts a new body; a footer separator closes the
 * body and what follows is the footer (where further separators change
 * nothing). The rows left at the end close the last body, or the footer.
 */
export function tableLayout(kinds: readonly LineKind[]): TableLayout {
  const rows: RowPlace[] = []
  let pending = 0
  let group = 0
  let hasFooter = false
  let hasBody = false
  let alignmentLine: number | undefined
  const close = (section: RowPlace['section']) => {
    for (let index = 0; index < pending; index++) rows.push({section, group})
    if (section === 'tbody') hasBody = true
    pending = 0
    group++
  }
  kinds.forEach((kind, index) => {
    if (kind === 'row') pending++
    else if (kind === 'separator') {
      if (pending === 0) return
      if (alignmentLine === undefined && !hasFooter) {
        close('thead')
        alignmentLine = index
      } else if (!hasFooter) close('tbody')
    } else {
      if (pending > 0) close('tbody')
      hasFooter = true
    }
  })
  if (pending > 0) close(hasFooter ? 'tfoot' : 'tbody')
  return {rows, alignmentLine, hasBody}
}

/** Separator line: only `+|: \t-`, at least one `-` (kramdown's TABLE_SEP_LINE). */
export const separatorLine = /^[+|: \t-]*-[+|: \t-]*$/
/** Footer separator line: only `+|: \t=`, at least one `=` (TABLE_FSEP_LINE). */
export const footerLine = /^[+|: \t=]*=[+|: \t=]*$/

/** The alignment of each column from a separator line's dash groups (`:-` left, `-:` right, `:-:` center). */
export function alignments(separator: string): Array<'left' | 'right' | 'center' | null> {
  const result: Array<'left' | 'right' | 'center' | null> = []
  for (const match of separator.matchAll(/[ \t]?(:?)-+(:?)[ \t]?/g)) {
    const left = match[1] === ':'
    const right = match[2] === ':'
    result.push(left && right ? 'center' : left ? 'left' : right ? 'right' : null)
  }
  return result
}

/** A `|` first, or after anything but a backslash (kramdown's TABLE_PIPE_CHECK). */
const pipeCheck = /^(?:\||.*?[^\\\n]\|)/

/**
 * kramdown's last test of a table (the end of its `parse_table`): read the
 * table's text for code spans and HTML elements only, then walk the pieces
 * between them line by line: a line the text ends must have held a `|`
 * outside code, and so must the last. Its quirks are kept: a line that is
 * only a code span keeps the answer of the line before it, and a line that
 * ends inside a code span of more than two lines ends the walk.
 */
export function pipesOutsideCode(text: string): boolean {
  let pipeOnLine = false
  for (const piece of spanPieces(text)) {
    if (piece.kind === 'element') continue
    const lines = rubyLines(piece.value)
    if (piece.kind === 'code') {
      if (lines.length > 2 || (lines.length === 2 && !pipeOnLine)) break
      if (lines.length === 2) pipeOnLine = false
      continue
    }
    if (lines.length > 1 && !pipeOnLine && !pipeCheck.test(lines[0] as string)) break
    const last = lines[lines.length - 1]
    pipeOnLine = (lines.length > 1 ? false : pipeOnLine) || (last !== undefined && pipeCheck.test(last))
  }
  return pipeOnLine
}

interface Piece {
  readonly kind: 'text' | 'code' | 'element'
  readonly value: string
}

/** Text, code spans (kramdown's rule: the first run of as many backticks closes) and HTML elements (their content hidden). */
function spanPieces(text: string): Piece[] {
  const pieces: Piece[] = []
  let plain = ''
  let at = 0
  const flush = () => {
    if (plain !== '') pieces.push({kind: 'text', value: plain})
    plain = ''
  }
  while (at < text.length) {
    const char = text[at] as string
    if (char === '`') {
      const run = /^`+/.exec(text.slice(at))?.[0] as string
      const before = text.slice(0, at)
      const after = text[at + run.length]
      const close = text.indexOf(run, at + run.length)
      if ((run.length === 1 && /(\s|^)$/.test(before) && after !== undefined && /\s/.test(after)) || close === -1) {
        plain += run
        at += run.length
        continue
      }
      flush()
      pieces.push({kind: 'code', value: text.slice(at + run.length, close)})
      at = close + run.length
      continue
    }
    const tag = char === '<' ? /^<([A-Za-z][\w:-]*)(?:\s[^>]*)?>/.exec(text.slice(at)) : null
    if (tag) {
      flush()
      const end = text.indexOf(`</${tag[1]}>`, at + tag[0].length)
      pieces.push({kind: 'element', value: tag[1] as string})
      at = end === -1 ? at + tag[0].length : end + (tag[1] as string).length + 3
      continue
    }
    plain += char
    at++
  }
  flush()
  return pieces
}

/** Ruby's `split("\n")`: trailing empty pieces dropped. */
function rubyLines(value: string): string[] {
  const lines = value.split('\n')
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop()
  return lines
}
