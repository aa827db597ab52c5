import type {Code, Construct, Effects, Extension, State, TokenizeContext} from 'micromark-util-types'
import type {Processor} from 'unified'

/**
 * Code spans as kramdown opens them: a single backtick with whitespace (or
 * the start of the paragraph) before it and whitespace after it opens
 * nothing and is text (kramdown's `parse_codespan`), so
 * ``call ` run()` here`` shows its backticks where CommonMark made
 * `<code> run()</code>`. Every other backtick is CommonMark's code span
 * construct's, tried next. Kramdown sites only.
 */
export function remarkKramdownCodeSpans(this: Processor): void {
  const data = this.data()
  ;(data.micromarkExtensions ??= []).push(kramdownCodeSpans())
  ;(data.fromMarkdownExtensions ??= []).push({
    enter: {
      kramdownLiteralTick(token) {
        this.config.enter.data!.call(this, token)
      }
    },
    exit: {
      kramdownLiteralTick(token) {
        this.config.exit.data!.call(this, token)
      }
    }
  })
}

declare module 'micromark-util-types' {
  interface TokenTypeMap {
    kramdownLiteralTick: 'kramdownLiteralTick'
  }
}

const tick = 96

/** The micromark extension: the literal tick at `` ` ``, tried before CommonMark's code span. */
export function kramdownCodeSpans(): Extension {
  return {text: {[tick]: literalTick}}
}

function isWhitespace(code: Code): boolean {
  // Space, tab (and its virtual spaces) and line endings; `null` is the start of the text.
  return code === null || code === 32 || code === 9 || code === -1 || code === -2 || code === -3 || code === -4 || code === -5
}

const literalTick: Construct = {
  name: 'kramdownLiteralTick',
  // Only after whitespace (or at the start): elsewhere the text tokenizer need not stop here for it.
  previous: isWhitespace,
  tokenize(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
    const before = this.previous
    return start

    function start(code: Code): State | undefined {
      if (!isWhitespace(before)) return nok(code)
      effects.enter('kramdownLiteralTick')
      effects.consume(code)
      return after
    }

    // One tick alone, then whitespace (a line ending too, but not the end of the text: kramdown's `\s` needs a character).
    function after(code: Code): State | undefined {
      if (code === null || code === tick || !isWhitespace(code)) return nok(code)
      effects.exit('kramdownLiteralTick')
      return ok(code)
    }
  }
}
