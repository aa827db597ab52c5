import {attention} from 'micromark-core-commonmark'
import {push, splice} from 'micromark-util-chunked'
import {resolveAll} from 'micromark-util-resolve-all'
import type {Code, Construct, Effects, Event, Extension, Point, State, Token, TokenizeContext} from 'micromark-util-types'
import type {Processor} from 'unified'

/**
 * Which `*` and `_` runs may open or close emphasis, as kramdown decides
 * (its `parse_emphasis`), in place of CommonMark's flanking rules:
 * - `*`, `**` open unless whitespace follows, and close unless whitespace
 *   precedes: `dataset*.*` and `**batch RL****)**` are emphasis in kramdown,
 *   where CommonMark's punctuation rules refuse them;
 * - `_`, `__` open unless whitespace follows or a letter (or a letter and
 *   `-`) precedes (`snake_case`, `well-_known_`), and close unless whitespace precedes or a letter or
 *   digit follows.
 * The runs are then paired as CommonMark pairs them (same tokens, same
 * mdast), but for one rule: CommonMark's "rule of three" (a run that may
 * both open and close pairs with another only if their lengths do not add
 * up to a multiple of three) is kramdown's instead: a single `*` does not
 * close at a run of exactly two (`*a**b**c*` is still `<em>a<strong>b</strong>c</em>`),
 * nor a `**` run that a later `**` closes (`**$*$**` is strong, `**a*`
 * is `*` and emphasis), so `**batch RL****)**` is two
 * strong spans, as in kramdown. Kramdown sites only.
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

/** Whether the text before the run (`token`) ends in a letter and `-` (`well-_known_` is no emphasis in kramdown). */
function afterLetterHyphen(context: TokenizeContext, token: Token): boolean {
  let index = context.events.length
  while (index-- > 0 && context.events[index]![1] === token);
  const before = context.events[index]
  return before !== undefined && before[1].type === 'data' && /\p{L}-$/u.test(context.sliceSerialize(before[1]))
}

function isLetterOrDigit(code: Code): boolean {
  return code !== null && code >= 0 && /[\p{L}\p{N}]/u.test(String.fromCodePoint(code))
}

const kramdownAttention: Construct = {
  name: 'kramdownAttention',
  resolveAll: resolveAllAttention,
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
        token._open = code !== null && !isWhitespace(code) && !isLetter(before) && !(before === 45 && afterLetterHyphen(self, token))
        token._close = before !== null && !isWhitespace(before) && !isLetterOrDigit(code)
      }
      return ok(code)
    }
  }
}

function size(token: Token): number {
  return token.end.offset - token.start.offset
}

/** Whether a run of two or more of the closer's marker, that may close, comes after it. */
function strongCloserAfter(events: Event[], index: number, context: TokenizeContext): boolean {
  const marker = context.sliceSerialize(events[index]![1]).charCodeAt(0)
  for (let after = index + 1; after < events.length; after++) {
    const [kind, token] = events[after]!
    if (kind === 'enter' && token.type === 'attentionSequence' && token._close && size(token) >= 2 && context.sliceSerialize(token).charCodeAt(0) === marker) return true
  }
  return false
}

function movePoint(point: Point, offset: number): void {
  point.column += offset
  point.offset += offset
  point._bufferIndex += offset
}

/**
 * micromark-core-commonmark's `resolveAllAttention` (MIT, Titus Wormer),
 * with kramdown's closing rule in place of the rule of three.
 */
function resolveAllAttention(events: Event[], context: TokenizeContext): Event[] {
  let index = -1
  while (++index < events.length) {
    const closer = events[index]!
    if (closer[0] !== 'enter' || closer[1].type !== 'attentionSequence' || !closer[1]._close) continue
    let open = index
    while (open--) {
      const opener = events[open]!
      if (opener[0] !== 'exit' || opener[1].type !== 'attentionSequence' || !opener[1]._open || context.sliceSerialize(opener[1]).charCodeAt(0) !== context.sliceSerialize(closer[1]).charCodeAt(0)) continue
      const use = size(opener[1]) > 1 && size(closer[1]) > 1 ? 2 : 1
      // kramdown: a `*` (or `_`) emphasis does not end at a run of exactly two, which opens strong instead;
      // and a run of two or more opens strong, inside which a lone `*` closes nothing, unless no `**` closes it later.
      if (use === 1 && (size(closer[1]) === 2 || (size(opener[1]) >= 2 && strongCloserAfter(events, index, context)))) continue
      const start = {...opener[1].end}
      const end = {...closer[1].start}
      movePoint(start, -use)
      movePoint(end, use)
      const openingSequence: Token = {type: use > 1 ? 'strongSequence' : 'emphasisSequence', start, end: {...opener[1].end}}
      const closingSequence: Token = {type: use > 1 ? 'strongSequence' : 'emphasisSequence', start: {...closer[1].start}, end}
      const text: Token = {type: use > 1 ? 'strongText' : 'emphasisText', start: {...opener[1].end}, end: {...closer[1].start}}
      const group: Token = {type: use > 1 ? 'strong' : 'emphasis', start: {...openingSequence.start}, end: {...closingSequence.end}}
      opener[1].end = {...openingSequence.start}
      closer[1].start = {...closingSequence.end}
      let nextEvents: Event[] = []
      if (size(opener[1])) nextEvents = push(nextEvents, [['enter', opener[1], context], ['exit', opener[1], context]])
      nextEvents = push(nextEvents, [['enter', group, context], ['enter', openingSequence, context], ['exit', openingSequence, context], ['enter', text, context]])
      nextEvents = push(nextEvents, resolveAll(context.parser.constructs.insideSpan.null ?? [], events.slice(open + 1, index), context))
      nextEvents = push(nextEvents, [['exit', text, context], ['enter', closingSequence, context], ['exit', closingSequence, context], ['exit', group, context]])
      let offset = 0
      if (size(closer[1])) {
        offset = 2
        nextEvents = push(nextEvents, [['enter', closer[1], context], ['exit', closer[1], context]])
      }
      splice(events, open - 1, index - open + 3, nextEvents)
      index = open + nextEvents.length - offset - 2
      break
    }
  }
  for (const event of events) if (event[1].type === 'attentionSequence') event[1].type = 'data'
  return events
}
