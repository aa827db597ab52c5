import type {Code, Construct, Effects, Event, Extension, State, TokenizeContext} from 'micromark-util-types'
import {aldLine, blockIalLine} from './attribute-list.js'
import {pipesOutsideCode, tableLayout, type LineKind} from './kramdown-table-layout.js'

/** The token of look-aheads (micromark consumes only inside a token). */
const lookAhead = 'kramdownTableLookAhead' as never
const pipe = 124
const backslash = 92
const backtick = 96
const lessThan = 60

/**
 * Tables as kramdown reads them, in place of GFM's (whose construct it
 * disables): every line of a table holds a `|` (the first line after at most
 * three spaces; a `|` escaped as `\|` does not count, one inside a code span
 * or a `<code>` element does not split a cell); no head row is needed and
 * rows need not have as many cells as each other; separator lines (`|---|`,
 * `|:-|-:|`, `|===|` for the footer) may stand anywhere (kramdown's
 * `parse_table`, see kramdown-table-layout.ts). As in kramdown, a table
 * starts only at a block boundary (the start, after a blank line, or after a
 * line of block attributes `{: .class}` that follows one), never inside a
 * paragraph; it must be followed by a blank line, a block IAL line, a `^`
 * line or the end, have a body, and pass kramdown's last test of the `|`s
 * outside code (`pipesOutsideCode`): otherwise its lines are the paragraph
 * they look like. Display math (`$$…$$` standing alone) is tried first, as
 * kramdown does. Tokens: `kramdownTable` > `kramdownTableRow` (every line,
 * separators too, with `lineEnding`s between) > `kramdownTableCell` (what
 * stands between `kramdownTableDivider`s, when not empty; its text as a text
 * chunk). The mdast step (mdast-kramdown-table.ts) turns them into a table.
 */
export function kramdownTable(options: KramdownTableOptions = {}): Extension {
  const source = options.source ?? (() => '')
  const table: Construct = {
    name: 'kramdownTable',
    tokenize(effects, ok, nok) {
      return tokenizeTable.call(this, effects, ok, nok, source)
    }
  }
  return {flow: {null: [table]}, disable: {null: ['table']}}
}

export interface KramdownTableOptions {
  /**
   * The document being parsed (see remark-kramdown-tables.ts). micromark
   * ends a table's flow when the next line opens a list item or a quote,
   * which to kramdown is a line of no table, so no block boundary: the
   * table is then its paragraph. It also says whether a `$$` line is
   * display math, and whether the table is in a quote or a list item.
   * Without it, such an end counts as the end, and no `$$` line is math.
   */
  readonly source?: () => string
}

function tokenizeTable(this: TokenizeContext, effects: Effects, ok: State, nok: State, source: () => string): State {
  const self = this
  /** Where the table's flow is: outside containers, in a list item, or in a quote (the innermost). */
  let container: 'none' | 'item' | 'quote' = 'none'
  const kinds: LineKind[] = []
  /** Codes the last look-ahead (code span, `<code>` element) spans. */
  let spanLength = 0
  let remaining = 0
  // What the current line may be besides a row: only `+|: \t-` (with a `-`) is a separator, only `+|: \t=` (with a `=`) a footer.
  let separatorChars = true
  let footerChars = true
  let dash = false
  let equals = false
  let cellOpen = false
  /** The table's text so far, for kramdown's last test (`pipesOutsideCode`). */
  let written = ''

  const codeSpan: Construct = {partial: true, tokenize: tokenizeCodeSpan}
  const codeElement: Construct = {partial: true, tokenize: tokenizeCodeElement}
  const nextRow: Construct = {partial: true, tokenize: tokenizeNextRow}
  const boundary: Construct = {partial: true, tokenize: tokenizeBoundary}

  return start

  function start(code: Code): State | undefined {
    // A lazy line (outside the container the flow is in) may start a table after the container, but not continue a paragraph in it as one.
    if (self.interrupt && self.parser.lazy[self.now().line]) return nok(code)
    if (!(self.interrupt ? afterAttributeLines(self) : atBoundary(self.events, self.events.length - 1) || afterAttributeLines(self))) return nok(code)
    const tail = self.events[self.events.length - 1]
    const lineStart = tail && tail[1].type === 'linePrefix' ? tail[1].start : self.now()
    if (lineStart.column > 1) {
      const text = source()
      const prefix = text.slice(text.lastIndexOf('\n', lineStart.offset - 1) + 1, lineStart.offset).trimEnd()
      container = prefix.endsWith('>') ? 'quote' : 'item'
    }
    // kramdown tries display math (`$$…$$` standing alone) before tables.
    if (code === 36 && blockMathAt(source(), self.now().offset)) return nok(code)
    return effects.check(tableLine, begin, nok)(code)
  }

  function begin(code: Code): State | undefined {
    effects.enter('kramdownTable' as never)
    return rowStart(code)
  }

  function rowStart(code: Code): State | undefined {
    separatorChars = footerChars = true
    dash = equals = cellOpen = false
    effects.enter('kramdownTableRow' as never)
    return cellStart(code)
  }

  /** Before a cell's text: spaces, then a divider, the end of the line, or text. An empty cell has no token. */
  function cellStart(code: Code): State | undefined {
    if (code === null || code < -2 || code === pipe) return cellEnd(code)
    if (!cellOpen) {
      effects.enter('kramdownTableCell' as never)
      cellOpen = true
    }
    if (code === -2 || code === -1 || code === 32) {
      effects.enter('whitespace')
      return whitespace(code)
    }
    effects.enter('chunkText', {contentType: 'text'})
    return text(code)
  }

  function whitespace(code: Code): State | undefined {
    if (code === -2 || code === -1 || code === 32) {
      write(code)
      effects.consume(code)
      return whitespace
    }
    effects.exit('whitespace')
    return cellStart(code)
  }

  function text(code: Code): State | undefined {
    if (code === null || code < -2 || code === pipe) {
      effects.exit('chunkText')
      return cellEnd(code)
    }
    if (code === backslash) {
      take(code)
      return escaped
    }
    if (code === backtick) return effects.check(codeSpan, span, literalRun)(code)
    if (code === lessThan) return effects.check(codeElement, span, take)(code)
    take(code)
    return text
  }

  /** Backticks that open no code span: all of them are text. */
  function literalRun(code: Code): State | undefined {
    if (code !== backtick) return text(code)
    take(code)
    return literalRun
  }

  /** After `\`: an escaped `|` belongs to the cell. */
  function escaped(code: Code): State | undefined {
    if (code !== pipe) return text(code)
    take(code)
    return text
  }

  /** A code span or `<code>` element the look-ahead found: its `|`s split nothing. */
  function span(code: Code): State | undefined {
    remaining = spanLength
    return spanInside(code)
  }

  function spanInside(code: Code): State | undefined {
    if (remaining === 0) return text(code)
    remaining--
    take(code)
    return spanInside
  }

  /** Consume one code of the line, noting whether the line could still be a separator. */
  function take(code: Code): State {
    note(code)
    write(code)
    effects.consume(code)
    return text
  }

  function write(code: Code): void {
    if (code !== null && code !== -1) written += code === -2 ? '\t' : code < -2 ? '\n' : String.fromCharCode(code)
  }

  function note(code: Code): void {
    if (code === 45) dash = true
    else if (code === 61) equals = true
    const common = code === 43 || code === pipe || code === 58 || code === 32 || code === -2 || code === -1
    if (!(common || code === 45)) separatorChars = false
    if (!(common || code === 61)) footerChars = false
  }

  function cellEnd(code: Code): State | undefined {
    if (cellOpen) effects.exit('kramdownTableCell' as never)
    cellOpen = false
    if (code === pipe) {
      note(code)
      write(code)
      effects.enter('kramdownTableDivider' as never)
      effects.consume(code)
      effects.exit('kramdownTableDivider' as never)
      return cellStart
    }
    effects.exit('kramdownTableRow' as never)
    kinds.push(separatorChars && dash ? 'separator' : footerChars && equals ? 'footer' : 'row')
    if (code === null) return done(code)
    return effects.check(nextRow, nextLine, effects.check(boundary, done, nok))(code)
  }

  function nextLine(code: Code): State | undefined {
    write(code)
    effects.enter('lineEnding')
    effects.consume(code)
    effects.exit('lineEnding')
    return rowStart
  }

  function done(code: Code): State | undefined {
    effects.exit('kramdownTable' as never)
    return tableLayout(kinds).hasBody && pipesOutsideCode(written) ? ok(code) : nok(code)
  }

  /** From a backtick: a code span closed on this line (by a run of as many backticks); `spanLength` is its length in codes. */
  function tokenizeCodeSpan(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
    let opening = 0
    let run = 0
    let length = 0
    const look = lookingAhead(effects)
    return open
    function open(code: Code): State | undefined {
      if (code !== backtick) return inside(code)
      opening++
      return consume(code, open)
    }
    function inside(code: Code): State | undefined {
      if (code === null || code < -2) return nok(code)
      if (code !== backtick) return consume(code, inside)
      run = 0
      return closing(code)
    }
    function closing(code: Code): State | undefined {
      if (code === backtick) {
        run++
        return consume(code, closing)
      }
      if (run !== opening) return inside(code)
      spanLength = length
      look.close()
      return ok(code)
    }
    function consume(code: Code, next: State): State {
      length++
      look.consume(code)
      return next
    }
  }

  /** From `<`: a `<code…>…</code>` element on this line (what kramdown splits out before cutting cells); `spanLength` is its length. */
  function tokenizeCodeElement(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
    const opening = '<code'
    const closing = '</code>'
    let matched = 0
    let length = 0
    const look = lookingAhead(effects)
    return open
    function open(code: Code): State | undefined {
      if (matched === opening.length) {
        matched = 0
        return tag(code)
      }
      if (code !== opening.charCodeAt(matched)) return nok(code)
      matched++
      return consume(code, open)
    }
    function tag(code: Code): State | undefined {
      if (code === null || code < -2) return nok(code)
      return consume(code, code === 62 ? content : tag)
    }
    function content(code: Code): State | undefined {
      if (code === null || code < -2) return nok(code)
      matched = code === closing.charCodeAt(matched) ? matched + 1 : code === lessThan ? 1 : 0
      if (matched === closing.length) {
        length++
        look.consume(code)
        look.close()
        spanLength = length
        return ok
      }
      return consume(code, content)
    }
    function consume(code: Code, next: State): State {
      length++
      look.consume(code)
      return next
    }
  }

  /** After a row's line ending: the next line is one of the table's (not lazy, and a table line). */
  function tokenizeNextRow(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
    const self = this
    return (code: Code) => {
      effects.enter('lineEnding')
      effects.consume(code)
      effects.exit('lineEnding')
      return (code: Code) => (self.parser.lazy[self.now().line] ? nok(code) : effects.check(tableLine, ok, nok)(code))
    }
  }

  /**
   * After the table's last line: a blank line, the end, a block IAL line
   * (`{: .class}`) or kramdown's end-of-block `^` line (or the end of the
   * flow, see `endsContainer`).
   */
  function tokenizeBoundary(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
    const self = this
    const look = lookingAhead(effects)
    let line = ''
    return (code: Code) => {
      effects.enter('lineEnding')
      effects.consume(code)
      effects.exit('lineEnding')
      return scan
    }
    function scan(code: Code): State | undefined {
      if (code === null || code < -2) look.close()
      if (code === null && line === '') return endsContainer(self.now().offset) ? ok(code) : nok(code)
      if (code === null || code < -2) return boundaryLine(line) ? ok(code) : nok(code)
      line += code === -2 ? '\t' : code === -1 ? ' ' : String.fromCharCode(code)
      look.consume(code)
      return scan
    }
  }

  /**
   * Whether the flow ended where kramdown sees a block boundary: at the end
   * of the document, at a blank line, or at the end of the list item the
   * table is in (a list item's text ends there for kramdown, even at a
   * nested list). Not at a list item or quote that starts outside any
   * container, nor at any line after a quote's table (kramdown's quote runs
   * on to a blank line): that line is no table line, and the table fails.
   */
  function endsContainer(offset: number): boolean {
    const text = source()
    if (offset >= text.length) return true
    const next = /^[^\r\n]*/.exec(text.slice(offset))?.[0] ?? ''
    return next.trim() === '' || container === 'item'
  }

}

/**
 * A line of a table: a `|` first, or a `|` after anything but a backslash
 * (kramdown's TABLE_LINE; code spans do not matter here).
 */
const tableLine: Construct = {partial: true, tokenize: tokenizeTableLine}

function tokenizeTableLine(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  let previous: Code | undefined
  const look = lookingAhead(effects)
  return scan
  function scan(code: Code): State | undefined {
    if (code === null || code < -2) return nok(code)
    if (code === pipe && previous !== backslash) {
      look.close()
      return ok(code)
    }
    previous = code
    look.consume(code)
    return scan
  }
}

/** Consume inside a look-ahead token, opened at the first code (micromark consumes only inside a token, and none may be empty). */
function lookingAhead(effects: Effects): {consume: (code: Code) => void; close: () => void} {
  let open = false
  return {
    consume(code) {
      if (!open) effects.enter(lookAhead)
      open = true
      effects.consume(code)
    },
    close() {
      if (open) effects.exit(lookAhead)
      open = false
    }
  }
}

/** A line that ends a block for kramdown: blank, a block IAL (`{: .class}`, not a definition) or the end-of-block `^`. */
function boundaryLine(line: string): boolean {
  const trimmed = line.trim()
  return trimmed === '' || trimmed === '^' || (blockIalLine.test(line) && !aldLine.test(line))
}

/**
 * kramdown's display math block, tried before tables: at `offset` in the
 * document, `$$`, anything up to the next `$$` (lines too), then nothing but
 * spaces before a block boundary (kramdown's BLOCK_MATH_START). Read from
 * the text, not as a look-ahead: a look-ahead over lines would let the
 * containers of those lines be read as if a table were open.
 */
export function blockMathAt(text: string, offset: number): boolean {
  const math = /\$\$[\s\S]*?\$\$[ \t]*(?:\r\n|\r|\n|$)/y
  math.lastIndex = offset
  if (!math.exec(text)) return false
  if (math.lastIndex >= text.length) return true
  const next = /[^\r\n]*/y
  next.lastIndex = math.lastIndex
  return boundaryLine(next.exec(text)?.[0] ?? '')
}

/** Whether the events end at a block boundary: nothing before on this flow, or a blank line (this line's indent aside). */
function atBoundary(events: readonly Event[], from: number): boolean {
  let index = from
  while (index >= 0 && (events[index] as Event)[1].type === 'linePrefix') index--
  return index < 0 || (events[index] as Event)[1].type === 'lineEndingBlank'
}

/**
 * Where a table follows a paragraph (or would interrupt it): kramdown ends a
 * paragraph at a block IAL line, and a table may follow one that stands at a
 * block boundary. So the paragraph, right before this line, must be nothing
 * but IAL lines (not definitions, which attach to nothing) and start at a
 * boundary.
 */
function afterAttributeLines(self: TokenizeContext): boolean {
  const events = self.events
  let index = events.length - 1
  if (self.interrupt) {
    // The paragraph is still open: its lines so far are its chunks, read from the last (most paragraphs fail at once).
    for (; index >= 0; index--) {
      const [kind, token] = events[index] as Event
      if (kind !== 'enter') continue
      if (token.type === 'content') break
      if (token.type === 'chunkContent' && !attributeLine(self.sliceSerialize(token))) return false
    }
    return index >= 0 && atBoundary(events, index - 1)
  }
  // The paragraph ended at this line's start (the table interrupted it): it is one closed token.
  while (index >= 0 && /^(linePrefix|lineEnding)$/.test((events[index] as Event)[1].type)) index--
  const tail = events[index]
  if (!tail || tail[0] !== 'exit' || tail[1].type !== 'content') return false
  if (!self.sliceSerialize(tail[1]).split(/\r\n|\r|\n/).every(attributeLine)) return false
  while (index >= 0 && !((events[index] as Event)[0] === 'enter' && (events[index] as Event)[1] === tail[1])) index--
  return index >= 0 && atBoundary(events, index - 1)
}

/** A block IAL line (not a definition); line endings and blank lines aside. */
function attributeLine(line: string): boolean {
  const text = line.replace(/[\r\n]+$/, '')
  return text.trim() === '' || (blockIalLine.test(text) && !aldLine.test(text))
}
