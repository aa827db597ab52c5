import {attention} from 'micromark-core-commonmark'
import type {Code, Construct, Effects, Extension, State, TokenizeContext} from 'micromark-util-types'
import type {Processor} from 'unified'

/**
 * Which `*` and `_` runs may open or close emphasis, as kramdown decides
 * (its `parse_emphasis`), in place of CommonMark's flanking rules:
 * - `*`, `**` open unless whitespace follows, and close unless whitespace
 *   precedes: `dataset*.*` and `**batch RL****)**` are emphasis in kramdown,
 *   where CommonMark's punctuation rules refuse them;
 * - `_`, `__` open unless whitespace follows or a letter precedes
 *   (`snake_case`), and close unless whitespace precedes or a letter or
 *   digit follows.
 * The runs are then paired by CommonMark's own resolver (same tokens, same
 * mdast). Kramdown sites only.
 */
export function remarkKramdownEmphasis(this: Processor): void {
  const data = this.data()
  ;(data.micromarkExtensions ??= []).push(kramdownEmphasis())
}

/** The micromark extension: CommonMark's attention construct with kramdown's opening and closing rules. */
export function kramdownEmphasis(): Extension {
  return {text: {42: kramdownAttention, 95: kramdownAttention}, disable: {null: ['attention']}}
}

function isWhitespace(code: Code): boolean {
  return code === 32 || code === 9 || code === -1 || code === -2 || code === -3 || code === -4 || code === -5
}

function isLetter(code: Code): boolean {
  return code !== null && code >= 0 && /\p{L}/u.test(String.fromCodePoint(code))
}

function isLetterOrDigit(code: Code): boolean {
  return code !== null && code >= 0 && /[\p{L}\p{N}]/u.test(String.fromCodePoint(code))
}

const kramdownAttention: Construct = {
  name: 'kramdownAttention',
  resolveAll: attention.resolveAll,
  tokenize(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
    const self = this
    const before = this.previous
    let marker: Code = null
    const start = attention.tokenize.call(this, effects, after, nok)
    return function (code: Code) {
      marker = code
      return start(code)
    }

    function after(code: Code): State | undefined {
      const token = self.events[self.events.length - 1]![1]
      if (marker === 42) {
        token._open = code !== null && !isWhitespace(code)
        token._close = before !== null && !isWhitespace(before)
      } else {
        token._open = code !== null && !isWhitespace(code) && !isLetter(before)
        token._close = before !== null && !isWhitespace(before) && !isLetterOrDigit(code)
      }
      return ok(code)
    }
  }
}
