/**
 * Whether a paragraph's text reads as the caption of the image right above
 * it, rather than as the next paragraph of the post. Posts exported from
 * Substack and Medium put a figure's caption in a plain paragraph under a
 * raw `<img>`; the same shape also holds ordinary prose, so the test is
 * strict and errs on the side of leaving text alone:
 *
 * - at most `maxLength` characters (200: a caption is a line or two; the
 *   prose that follows a figure is usually longer);
 * - one sentence, parenthesised remarks aside (`A comparison of A and B.
 *   (Annotated figure based on …)` is one; `I wish … dataset. But …` is two);
 * - not a lead-in to what follows (ends with `:`) and not a section title
 *   in a paragraph (`3.4 Conclusion`: numbered words without a full stop);
 * - not addressed by the writer to the reader (`I`, `we`, `you`, `let's`:
 *   captions describe the picture, prose talks to the reader), and not
 *   starting as prose that goes on or tells the reader to do something
 *   (`But …`, `So …`, `However, …`, `Read …`, `Click …`).
 */
export function isCaptionLike(text: string, maxLength = 200): boolean {
  const value = text.replace(/\s+/g, ' ').trim()
  if (value === '' || value.length > maxLength) return false
  if (/[:;,]$/.test(value)) return false
  if (/^\d+(?:\.\d+)*\.?\s/.test(value) && !/[.!?)]$/.test(value)) return false
  if (personal.test(withoutParentheses(value)) || proseStart.test(value)) return false
  return sentenceBreaks(withoutParentheses(value)) === 0
}

/** The text with every `(…)` group (nested ones too) taken out, so remarks and URLs in them do not count as sentences. */
function withoutParentheses(value: string): string {
  let depth = 0
  let out = ''
  for (const character of value) {
    if (character === '(') depth++
    else if (character === ')' && depth > 0) depth--
    else if (depth === 0) out += character
  }
  return out
}

/** How many times a sentence ends and another begins (`. B`, `? T`); abbreviations such as `e.g. x` or `Fig. 2` do not start one. */
function sentenceBreaks(value: string): number {
  let count = 0
  const pattern = /([A-Za-z0-9)\]"'”’]+)[.!?]+["'”’]?\s+(?=[A-Z])/g
  for (const match of value.matchAll(pattern)) {
    const word = (match[1] ?? '').toLowerCase()
    if (abbreviations.has(word)) continue
    count++
  }
  return count
}

const personal = /(?:^|[^\w'’])(?:I|I['’](?:m|ve|d|ll)|[Ww]e|[Ww]e['’](?:re|ve|d|ll)|[Yy]ou|[Yy]ou['’](?:re|ve|d|ll)|[Yy]our|[Ll]et['’]s|me|us)(?![\w'’])(?!\.\w)/

const proseStart = /^(?:and|but|so|or|then|now|also|however|here|there|this is|that is|thus|hence|therefore|still|yet|read|click|check|try|consider|imagine|look|note|remember|recall|see below|as shown)\b/i

const abbreviations: ReadonlySet<string> = new Set(['fig', 'figs', 'eq', 'eqs', 'e.g', 'i.e', 'vs', 'cf', 'al', 'dr', 'mr', 'ms', 'no', 'tab', 'ref', 'approx'])
