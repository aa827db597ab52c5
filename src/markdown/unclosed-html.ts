/**
 * Raw HTML that never closes and would hide the rest of a post: a `<!--`
 * without `-->`, or a `<script>`, `<style>`, `<textarea>` or `<title>`
 * without its end tag, makes an HTML parser read everything after it as a
 * comment or as the element's text (in markdown, an unclosed `<script>` block
 * even runs to the end of the file). Each such opener is found in the source
 * text (outside code) and defused, so it reads as text and the rest of the
 * post renders as written.
 */

/** One opener that never closes, and where it starts in the text. */
export interface Unclosed {
  /** Offset of its `<` in the text given. */
  readonly offset: number
  /** `<!--`, `<script>`, … as the message shows it. */
  readonly opener: string
  /** What would close it. */
  readonly closer: string
}

const OPENER = /<!--|<(script|style|textarea|title)(?=[\s/>]|$)/gi

/**
 * Find the unclosed openers in `text` and defuse them: in markdown a
 * backslash before the `<` (one character, so columns move only after it on
 * that line), in HTML `&lt;`. Code (fenced, indented, inline) is left alone.
 */
export function defuseUnclosedHtml(text: string, format: 'markdown' | 'html'): {readonly text: string; readonly found: readonly Unclosed[]} {
  if (!text.includes('<')) return {text, found: []}
  const code = format === 'markdown' ? codeRanges(text) : []
  const found: Unclosed[] = []
  const lower = text.toLowerCase()
  OPENER.lastIndex = 0
  let match: RegExpExecArray | null
  while ((match = OPENER.exec(text)) !== null) {
    const at = match.index
    if (inRanges(code, at)) continue
    const tag = match[1]?.toLowerCase()
    const closer = tag === undefined ? '-->' : `</${tag}`
    const close = lower.indexOf(closer, at + match[0].length)
    if (close === -1) {
      found.push({offset: at, opener: tag === undefined ? '<!--' : `<${tag}>`, closer: tag === undefined ? '-->' : `</${tag}>`})
      continue
    }
    // Closed: what sits inside (a `<!--` in a script's text) is the element's own.
    OPENER.lastIndex = close + closer.length
  }
  if (found.length === 0) return {text, found}
  let out = ''
  let from = 0
  for (const {offset} of found) {
    out += text.slice(from, offset) + (format === 'markdown' ? '\\<' : '&lt;')
    from = offset + 1
  }
  return {text: out + text.slice(from), found}
}

type Range = readonly [number, number]

function inRanges(ranges: readonly Range[], at: number): boolean {
  return ranges.some(([start, end]) => at >= start && at < end)
}

/** Offsets of fenced and indented code blocks and of inline code spans (a close approximation of CommonMark's). */
function codeRanges(text: string): Range[] {
  const ranges: Range[] = []
  const lines = text.split('\n')
  let offset = 0
  let fence: {char: string; size: number; start: number} | undefined
  let previousBlank = true
  for (const line of lines) {
    const end = offset + line.length + 1
    if (fence) {
      const closing = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(line)
      if (closing?.[1] && closing[1][0] === fence.char && closing[1].length >= fence.size) {
        ranges.push([fence.start, end])
        fence = undefined
      }
    } else {
      const opening = /^ {0,3}(`{3,}|~{3,})/.exec(line)
      if (opening?.[1]) fence = {char: opening[1][0]!, size: opening[1].length, start: offset}
      else if (previousBlank && /^( {4}|\t)/.test(line)) ranges.push([offset, end])
      else {
        for (const span of line.matchAll(/(`+)[^`]*?\1/g)) ranges.push([offset + span.index, offset + span.index + span[0].length])
      }
    }
    const blank = line.trim() === ''
    // An indented line right after an indented code line is code too.
    previousBlank = blank || (previousBlank && /^( {4}|\t)/.test(line))
    offset = end
  }
  if (fence) ranges.push([fence.start, text.length])
  return ranges
}
