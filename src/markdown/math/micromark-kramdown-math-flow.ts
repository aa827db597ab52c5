import {math} from 'micromark-extension-math'
import type {Processor} from 'unified'
import type {Code, Construct, Effects, Extension, State, TokenizeContext} from 'micromark-util-types'

/** remark-math's own block construct (`$$` fences), which this one guards. */
const mathFlow = (math().flow as Record<number, Construct>)[36]!

/**
 * `$$` blocks as kramdown reads them, in place of remark-math's: a `$$`
 * line is a math block only where kramdown's block rule takes it, else it
 * is text of the paragraph around it, where `$$…$$` is inline math:
 * - not right after a paragraph line (`text\n$$\nx\n$$` continues the
 *   paragraph in kramdown, so its math is inline);
 * - nothing after the opening `$$` on its line;
 * - closed by the first `$$` after the opening, with nothing but spaces after
 *   it on its line. remark-math closes only on a line of `$$` alone, so a
 *   block ending `$$<br/>` ran on to the next block's opening fence and
 *   swallowed the text between them;
 * - without lazy lines (see `lineStart`).
 * When both hold, remark-math's construct reads the block as before (same
 * tokens, same mdast). The `disable` list takes remark-math's out.
 */
export function kramdownMathFlow(): Extension {
  return {flow: {36: [guarded]}, disable: {null: ['mathFlow']}}
}

const closes: Construct = {tokenize: tokenizeCloses, partial: true}

const guarded: Construct = {
  name: 'kramdownMathFlow',
  concrete: true,
  tokenize(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
    if (this.interrupt) return nok
    return effects.check(closes, mathFlow.tokenize.call(this, effects, ok, nok), nok)
  }
}

/** From the opening `$$` to the first `$$` after it, which must end its line (spaces aside). */
function tokenizeCloses(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  const self = this
  let opening = 0
  return start

  function start(code: Code): State | undefined {
    effects.enter('kramdownMathCheck' as never)
    return fence(code)
  }

  function fence(code: Code): State | undefined {
    if (code === 36) {
      opening++
      effects.consume(code)
      return fence
    }
    return opening >= 2 ? openingRest(code) : nok(code)
  }

  /** Nothing but spaces after the opening `$$`: `$$x = 1…` on the fence's line is a paragraph's inline math in kramdown (remark-math would take `x = 1…` as the fence's meta). */
  function openingRest(code: Code): State | undefined {
    if (code === 32 || code === -2 || code === -1 || code === 9) {
      effects.consume(code)
      return openingRest
    }
    return code === -5 || code === -4 || code === -3 ? body(code) : nok(code)
  }

  function body(code: Code): State | undefined {
    if (code === null) return nok(code)
    if (code === -5 || code === -4 || code === -3) {
      effects.exit('kramdownMathCheck' as never)
      effects.enter('lineEnding')
      effects.consume(code)
      effects.exit('lineEnding')
      effects.enter('kramdownMathCheck' as never)
      return lineStart
    }
    effects.consume(code)
    return code === 36 ? dollar : body
  }

  /**
   * A lazy line (less indented than the list item or quote the block is in)
   * would end remark-math's block early; kramdown keeps it in the block. The
   * paragraph takes lazy lines, so the text is left to it, and `$$…$$` alone
   * in it becomes a block again (`remarkDisplayMath`).
   */
  function lineStart(code: Code): State | undefined {
    return self.parser.lazy[self.now().line] ? nok(code) : body(code)
  }

  function dollar(code: Code): State | undefined {
    if (code !== 36) return body(code)
    effects.consume(code)
    return after
  }

  function after(code: Code): State | undefined {
    if (code === 36 || code === 32 || code === -2 || code === -1 || code === 9) {
      effects.consume(code)
      return after
    }
    if (code === null || code === -5 || code === -4 || code === -3) {
      effects.exit('kramdownMathCheck' as never)
      return ok(code)
    }
    return nok(code)
  }
}

/** The remark attacher: kramdown's `$$` blocks instead of remark-math's (use after remark-math). */
export function remarkKramdownMathFlow(this: Processor): void {
  const data = this.data()
  ;(data.micromarkExtensions ??= []).push(kramdownMathFlow())
}
