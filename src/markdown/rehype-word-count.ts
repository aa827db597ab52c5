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

/** Words in `text`: runs of letters, digits and joiners (`don't`, `8x22B`), plus one per CJK character. */
export function countWords(text: string): number {
  const cjk = text.match(/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/gu)?.length ?? 0
  const rest = text.replace(/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/gu, ' ')
  const runs = rest.match(/[\p{L}\p{N}][\p{L}\p{N}\p{M}'’_-]*/gu)?.length ?? 0
  return cjk + runs
}
