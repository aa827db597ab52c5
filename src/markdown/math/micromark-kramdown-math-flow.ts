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
 * kramdown also takes a block whose TeX starts on the opening `$$` line
 * (`$$J = \sum …` … `…\right],$$`) when the closing `$$` ends its line and
 * a blank line (or the end) follows: `sameLineBlock` reads that one, into
 * the tokens remark-math's own would make, so no line of it (`- \alpha …`)
 * can start a list or any other block. (The construct is concrete, so
 * while it is tried no line starts a list; when it then fails, for want of
 * the blank line, its lines stay the paragraph's, where kramdown would let a
 * `+ …` line start a list. Rare, and left so.)
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
    return effects.check(closes, mathFlow.tokenize.call(this, effects, ok, nok), effects.attempt(sameLineBlock, ok, nok))
  }
}

const sameLineBlock: Construct = {tokenize: tokenizeSameLineBlock, partial: true}
const spacesThenClosing: Construct = {tokenize: tokenizeSpacesThenClosing, partial: true}

/** Spaces, then `$$`: the spaces end the TeX. */
function tokenizeSpacesThenClosing(effects: Effects, ok: State, nok: State): State {
  return (code: Code) => {
    effects.enter('kramdownMathCheck' as never)
    return spaces(code)
  }
  function spaces(code: Code): State | undefined {
    if (code === 32 || code === 9 || code === -2 || code === -1) {
      effects.consume(code)
      return spaces
    }
    effects.exit('kramdownMathCheck' as never)
    return code === 36 ? effects.check({tokenize: tokenizeDoubleDollar, partial: true}, ok, nok)(code) : nok(code)
  }
}
const blankLineNext: Construct = {tokenize: tokenizeBlankLineNext, partial: true}

/** `$$TeX…` on the opening line, up to the first `$$`, which must end its line, before a blank line or the end. */
function tokenizeSameLineBlock(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  const self = this
  let opening = 0
  let inValue = false
  return start

  function start(code: Code): State | undefined {
    if (code !== 36) return nok(code)
    effects.enter('mathFlow')
    effects.enter('mathFlowFence')
    effects.enter('mathFlowFenceSequence')
    return sequence(code)
  }

  function sequence(code: Code): State | undefined {
    if (code === 36 && opening < 2) {
      opening++
      effects.consume(code)
      return sequence
    }
    if (opening < 2 || code === 36) return nok(code)
    effects.exit('mathFlowFenceSequence')
    effects.exit('mathFlowFence')
    // kramdown strips the TeX: spaces after the opening `$$` (and before the closing one, see `value`) are no part of it.
    if (code === 32 || code === 9 || code === -2 || code === -1) {
      effects.enter('whitespace')
      return leadingSpaces(code)
    }
    return valueStart(code)
  }

  function leadingSpaces(code: Code): State | undefined {
    if (code === 32 || code === 9 || code === -2 || code === -1) {
      effects.consume(code)
      return leadingSpaces
    }
    effects.exit('whitespace')
    return valueStart(code)
  }

  function trailingSpaces(code: Code): State | undefined {
    if (code === 32 || code === 9 || code === -2 || code === -1) {
      effects.consume(code)
      return trailingSpaces
    }
    effects.exit('whitespace')
    return closingStart(code)
  }

  function valueStart(code: Code): State | undefined {
    if (code === null) return nok(code)
    if (code === -5 || code === -4 || code === -3) return lineEnding(code)
    if (code === 36) return closingStart(code)
    effects.enter('mathFlowValue')
    inValue = true
    return value(code)
  }

  function value(code: Code): State | undefined {
    if (code === null) return nok(code)
    if (code === 36 || code === -5 || code === -4 || code === -3) {
      effects.exit('mathFlowValue')
      inValue = false
      return code === 36 ? closingStart(code) : lineEnding(code)
    }
    if (code === 32 || code === 9 || code === -2 || code === -1) return effects.check(spacesThenClosing, endValueAtSpaces, consumeInValue)(code)
    return consumeInValue(code)
  }

  function consumeInValue(code: Code): State | undefined {
    effects.consume(code)
    return value
  }

  function endValueAtSpaces(code: Code): State | undefined {
    effects.exit('mathFlowValue')
    inValue = false
    effects.enter('whitespace')
    return trailingSpaces(code)
  }

  function lineEnding(code: Code): State | undefined {
    effects.enter('lineEnding')
    effects.consume(code)
    effects.exit('lineEnding')
    return lineStart
  }

  /** A lazy line ends the block in micromark's containers; kramdown's would keep it, so the paragraph reads it all (see `lineStart` above). */
  function lineStart(code: Code): State | undefined {
    return self.parser.lazy[self.now().line] ? nok(code) : valueStart(code)
  }

  /** A lone `$` is TeX (`\$`, `$x$`): only `$$` closes. */
  function closingStart(code: Code): State | undefined {
    return effects.check({tokenize: tokenizeDoubleDollar, partial: true}, closing, notClosing)(code)
  }

  function notClosing(code: Code): State | undefined {
    if (!inValue) {
      effects.enter('mathFlowValue')
      inValue = true
    }
    effects.consume(code)
    return value
  }

  function closing(code: Code): State | undefined {
    effects.enter('mathFlowFence')
    effects.enter('mathFlowFenceSequence')
    effects.consume(code)
    return closingSecond
  }

  function closingSecond(code: Code): State | undefined {
    effects.consume(code)
    effects.exit('mathFlowFenceSequence')
    return trailing
  }

  function trailing(code: Code): State | undefined {
    if (code === 32 || code === 9 || code === -2 || code === -1) {
      effects.enter('whitespace')
      return spaces(code)
    }
    return end(code)
  }

  function spaces(code: Code): State | undefined {
    if (code === 32 || code === 9 || code === -2 || code === -1) {
      effects.consume(code)
      return spaces
    }
    effects.exit('whitespace')
    return end(code)
  }

  function end(code: Code): State | undefined {
    if (code !== null && code !== -5 && code !== -4 && code !== -3) return nok(code)
    effects.exit('mathFlowFence')
    effects.exit('mathFlow')
    return code === null ? ok(code) : effects.check(blankLineNext, ok, nok)(code)
  }
}

function tokenizeDoubleDollar(effects: Effects, ok: State, nok: State): State {
  return (code: Code) => {
    if (code !== 36) return nok(code)
    effects.enter('kramdownMathCheck' as never)
    effects.consume(code)
    return (next: Code) => {
      if (next !== 36) return nok(next)
      effects.consume(next)
      effects.exit('kramdownMathCheck' as never)
      return ok(next)
    }
  }
}

/** kramdown's `before_block_boundary?`: the line after the block is blank, or there is none. */
function tokenizeBlankLineNext(effects: Effects, ok: State, nok: State): State {
  return (code: Code) => {
    effects.enter('lineEnding')
    effects.consume(code)
    effects.exit('lineEnding')
    return rest
  }
  function rest(code: Code): State | undefined {
    if (code === 32 || code === 9 || code === -2 || code === -1) {
      effects.enter('kramdownMathCheck' as never)
      return spaces(code)
    }
    return code === null || code === -5 || code === -4 || code === -3 ? ok(code) : nok(code)
  }
  function spaces(code: Code): State | undefined {
    if (code === 32 || code === 9 || code === -2 || code === -1) {
      effects.consume(code)
      return spaces
    }
    effects.exit('kramdownMathCheck' as never)
    return code === null || code === -5 || code === -4 || code === -3 ? ok(code) : nok(code)
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
      // One check token throughout, line endings too (a token per line would be empty on a blank line, which micromark forbids).
      effects.consume(code)
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
