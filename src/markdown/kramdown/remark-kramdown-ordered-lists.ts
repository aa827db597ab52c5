import type {Construct, Effects, Extension, State, TokenizeContext} from 'micromark-util-types'
import type {Processor} from 'unified'

/**
 * Ordered list markers as kramdown reads them: only `1.` (LIST_START_OL,
 * `\d+\.`). CommonMark also takes `1)`, so `Steps: 1) fetch 2) build`
 * written one step a line became a list whose numbers vanished from the
 * text; in kramdown those lines stay text of the paragraph, numbers and all.
 * Kramdown sites only.
 */
export function remarkKramdownOrderedLists(this: Processor): void {
  const data = this.data()
  ;(data.micromarkExtensions ??= []).push(kramdownOrderedLists())
}

const dot = 46

/**
 * Tried before CommonMark's list at every digit that may start a new list:
 * it claims nothing, it only fixes the marker of the list about to start
 * to `.`, as an item after the first has its marker fixed by the first.
 * CommonMark's list construct, tried next on the same container state,
 * then refuses `)` and reads `1.` exactly as before (same tokens, same
 * mdast). Items of a list already open are read by that list's own
 * continuation, whose marker is `.` already.
 */
const dotOnly: Construct = {
  name: 'kramdownOrderedListMarker',
  tokenize(this: TokenizeContext, _effects: Effects, _ok: State, nok: State): State {
    const state = this.containerState
    if (state && state.type === undefined && state.marker === undefined) state.marker = dot
    return nok
  }
}

/** The micromark extension: the guard at each digit. */
export function kramdownOrderedLists(): Extension {
  const digits: Record<number, Construct> = {}
  for (let code = 48; code <= 57; code++) digits[code] = dotOnly
  return {document: digits}
}
