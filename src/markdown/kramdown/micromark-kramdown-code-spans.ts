import type {Processor} from 'unified'
import type {Code, Construct, Effects, Extension, State, TokenizeContext} from 'micromark-util-types'

const BACKTICK = 96

/**
 * Code spans as kramdown reads them (its `parse_codespan`), in place of
 * CommonMark's, on kramdown sites:
 * - a lone backtick with white space (or the start of the text) before it
 *   and white space after it is a backtick, not an opening: ``using ` x()` ``
 *   shows the backticks, where CommonMark makes code of ` x()`;
 * - the span ends at the first run of as many backticks as opened it, even
 *   inside a longer run (CommonMark wants a run of exactly that length);
 * - one space after the opening and one before the closing are dropped only
 *   when the delimiter is two backticks or more, each on its own;
 * - with no closing, the whole opening run is text.
 * Same tokens as micromark's code spans, so the mdast (`inlineCode`) is too.
 */
export function kramdownCodeSpans(): Extension {
  return {text: {[BACKTICK]: codeSpan}, disable: {null: ['codeText']}}
}

/** The remark attacher, for the kramdown preset. */
export function remarkKramdownCodeSpans(this: Processor): void {
  const data = this.data()
  ;(data.micromarkExtensions ??= []).push(kramdownCodeSpans())
}

const codeSpan: Construct = {name: 'kramdownCodeSpan', tokenize: tokenizeCodeSpan, previous: notBacktick}

/** A run of backticks starts only at its first backtick. */
function notBacktick(this: TokenizeContext, code: Code): boolean {
  return code !== BACKTICK
}

function isSpace(code: Code): boolean {
  // Space, tab, virtual spaces, line endings (micromark's negative codes) and other white space.
  return code !== null && (code < 0 || code === 32 || code === 9 || code === 0x0c || code === 0x0b)
}

function tokenizeCodeSpan(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  const before = this.previous
  let size = 0
  let inData = false

  const closingRun: Construct = {
    partial: true,
    tokenize(effects, ok, nok) {
      let seen = 0
      const run = (code: Code): State | undefined => {
        if (seen === size) {
          effects.exit('kramdownCodeCheck' as never)
          return ok(code)
        }
        if (code !== BACKTICK) return nok(code)
        seen++
        effects.consume(code)
        return run
      }
      return (code: Code) => {
        effects.enter('kramdownCodeCheck' as never)
        return run(code)
      }
    }
  }
  /** A space just before the closing run (padding when the delimiter is two or more). */
  const spaceThenClosing: Construct = {
    partial: true,
    tokenize(effects, ok, nok) {
      return (code: Code) => {
        effects.enter('kramdownCodeCheck' as never)
        effects.consume(code)
        effects.exit('kramdownCodeCheck' as never)
        return effects.check(closingRun, ok, nok)
      }
    }
  }

  return start

  function start(code: Code): State | undefined {
    if (code !== BACKTICK) return nok(code)
    effects.enter('codeText')
    effects.enter('codeTextSequence')
    return opening(code)
  }

  function opening(code: Code): State | undefined {
    if (code === BACKTICK) {
      size++
      effects.consume(code)
      return opening
    }
    effects.exit('codeTextSequence')
    if (size === 1 && (before === null || isSpace(before)) && isSpace(code)) return nok(code)
    if (size > 1 && code === 32) {
      effects.enter('codeTextPadding')
      effects.consume(code)
      effects.exit('codeTextPadding')
      return content
    }
    return content(code)
  }

  function content(code: Code): State | undefined {
    if (code === null) return nok(code)
    if (code === BACKTICK) return effects.check(closingRun, closeHere, dataChar)(code)
    if (code === -5 || code === -4 || code === -3) {
      endData()
      effects.enter('lineEnding')
      effects.consume(code)
      effects.exit('lineEnding')
      return content
    }
    if (size > 1 && code === 32) return effects.check(spaceThenClosing, padding, dataChar)(code)
    return dataChar(code)
  }

  function dataChar(code: Code): State | undefined {
    if (!inData) {
      effects.enter('codeTextData')
      inData = true
    }
    effects.consume(code)
    return content
  }

  function padding(code: Code): State | undefined {
    endData()
    effects.enter('codeTextPadding')
    effects.consume(code)
    effects.exit('codeTextPadding')
    return closeHere
  }

  function closeHere(code: Code): State | undefined {
    endData()
    effects.enter('codeTextSequence')
    let seen = 0
    const run = (next: Code): State | undefined => {
      if (seen === size) {
        effects.exit('codeTextSequence')
        effects.exit('codeText')
        return ok(next)
      }
      seen++
      effects.consume(next)
      return run
    }
    return run(code)
  }

  function endData(): void {
    if (inData) effects.exit('codeTextData')
    inData = false
  }
}
