import type {Element, Nodes, Root} from 'hast'
import type {VFile} from 'vfile'

/** Elements whose text is not read as prose: code, math, scripts, drawings. */
const skipped = new Set(['pre', 'code', 'script', 'style', 'svg', 'math', 'template', 'noscript'])

/**
 * Count the words a reader reads (for reading time): the text of the tree,
 * without code, math (KaTeX's MathML and the TeX it keeps) and scripts.
 * Words are runs of letters or digits; each CJK character counts as one.
 * Sets `file.data.words`.
 */
export function rehypeWordCount() {
  return (tree: Root, file: VFile): void => {
    let words = 0
    const visit = (node: Nodes): void => {
      if (node.type === 'text') {
        words += countWords(node.value)
        return
      }
      if (node.type === 'element' && isSkipped(node)) return
      if ('children' in node) for (const child of node.children) visit(child)
    }
    visit(tree)
    file.data.words = words
  }
}

function isSkipped(node: Element): boolean {
  if (skipped.has(node.tagName)) return true
  const className = node.properties.className
  return Array.isArray(className) && className.some((name) => name === 'katex' || name === 'katex-display')
}

const cjkChar = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u
const cjkChars = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/gu
const startsWord = /[\p{L}\p{N}]/u
const joinsWord = /[\p{L}\p{N}\p{M}'’_-]/u

/** Words in `text`: runs of letters, digits and joiners (`don't`, `8x22B`), plus one per CJK character. */
export function countWords(text: string): number {
  if (cjkChar.test(text)) {
    const cjk = text.match(cjkChars)?.length ?? 0
    return cjk + countRuns(text.replace(cjkChars, ' '))
  }
  return countRuns(text)
}

/**
 * Runs of `[\p{L}\p{N}][\p{L}\p{N}\p{M}'’_-]*`, counted in one pass over the
 * text without making the list of matches (most text is ASCII: tested by
 * code, the rest by the same classes as the pattern).
 */
function countRuns(text: string): number {
  let runs = 0
  let inRun = false
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index)
    let starts: boolean
    let joins: boolean
    if (code < 128) {
      starts = (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122)
      joins = starts || code === 39 || code === 95 || code === 45
    } else {
      const point = text.codePointAt(index) as number
      const char = String.fromCodePoint(point)
      if (point > 0xffff) index++
      starts = startsWord.test(char)
      joins = starts || joinsWord.test(char)
    }
    if (inRun) inRun = joins
    else if (starts) {
      inRun = true
      runs++
    }
  }
  return runs
}
