import type {Extension as FromMarkdownExtension, Handle} from 'mdast-util-from-markdown'
import type {Code, Construct, Effects, Extension, State, TokenizeContext} from 'micromark-util-types'
import type {Processor} from 'unified'

/**
 * Backslashes as kramdown (Jekyll's GFM input) reads them, where that
 * differs from CommonMark:
 * - kramdown escapes only `\ . * _ + ` < > ( ) [ ] { } # ! : | " ' $ = - ~`
 *   (its GFM parser's ESCAPED_CHARS_GFM); before any other ASCII punctuation
 *   (`% & , / ; ? @ ^`) the backslash stays, so `\;` and `\%` read as
 *   written (`$P(a,\; b)$`, `84\%` in TeX that MathJax reads on the page);
 * - `\\` at the end of a line that is not the paragraph's last is a line
 *   break (kramdown's LINE_BREAK, `(  |\\\\)(?=\n)`), not an escaped
 *   backslash followed by a soft break.
 * In text (link destinations and titles, which kramdown keeps as written,
 * are remark-kramdown-links' part); kramdown sites only. The tokens are
 * those from-markdown knows (`hardBreakEscape`), and a kept backslash is
 * text.
 */
export function remarkKramdownEscapes(this: Processor): void {
  const data = this.data()
  ;(data.micromarkExtensions ??= []).push(kramdownEscapes())
  ;(data.fromMarkdownExtensions ??= []).push(kramdownEscapesFromMarkdown())
}

/** The characters CommonMark escapes and kramdown does not: its backslash stays before them. */
const kept = new Set([...'%&,/;?@^'].map((character) => character.charCodeAt(0)))

const backslash = 92

/** The micromark half: both constructs at `\`, tried before CommonMark's character escape and hard break. */
export function kramdownEscapes(): Extension {
  return {
    text: {[backslash]: [lineBreak, keptBackslash]}
  }
}

/** The from-markdown half: a kept backslash is text. */
export function kramdownEscapesFromMarkdown(): FromMarkdownExtension {
  const enter: Handle = function (token) {
    this.config.enter.data!.call(this, token)
  }
  const exit: Handle = function (token) {
    this.config.exit.data!.call(this, token)
  }
  return {enter: {kramdownKeptBackslash: enter}, exit: {kramdownKeptBackslash: exit}}
}

declare module 'micromark-util-types' {
  interface TokenTypeMap {
    kramdownKeptBackslash: 'kramdownKeptBackslash'
  }
}

const keptBackslash: Construct = {name: 'kramdownKeptBackslash', tokenize: tokenizeKeptBackslash}

function tokenizeKeptBackslash(effects: Effects, ok: State, nok: State): State {
  return start

  function start(code: Code): State | undefined {
    effects.enter('kramdownKeptBackslash')
    effects.consume(code)
    return after
  }

  // Only the backslash is taken: the character after it is read as usual (`\&amp;` keeps its reference).
  function after(code: Code): State | undefined {
    if (code === null || !kept.has(code)) return nok(code)
    effects.exit('kramdownKeptBackslash')
    return ok(code)
  }
}

const lineBreak: Construct = {name: 'kramdownLineBreak', tokenize: tokenizeLineBreak}

function tokenizeLineBreak(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  let count = 0
  return start

  function start(code: Code): State | undefined {
    effects.enter('hardBreakEscape')
    return slash(code)
  }

  function slash(code: Code): State | undefined {
    if (code === backslash && count < 2) {
      count++
      effects.consume(code)
      return slash
    }
    // A line ending (-5, -4, -3) right after the second backslash; at the end of the paragraph there is none, and `\\` is `\`.
    if (count === 2 && (code === -5 || code === -4 || code === -3)) {
      effects.exit('hardBreakEscape')
      return ok(code)
    }
    return nok(code)
  }
}
