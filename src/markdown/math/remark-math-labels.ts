import type {PhrasingContent, Root, RootContent, Text} from 'mdast'
import type {} from 'remark-math'
import type {VFile} from 'vfile'
import {report} from '../../report.js'
import {sourceMayHold} from '../source-check.js'
import {visit} from '../walk.js'

type InlineMath = Extract<PhrasingContent, {type: 'inlineMath'}>
type MathBlock = Extract<RootContent, {type: 'math'}>

/**
 * `\label`, `\eqref` and `\ref` as MathJax (with AMS numbering) shows them,
 * in the one way KaTeX allows: KaTeX numbers `equation`, `align`, `gather`
 * and `multline` itself (CSS counters), but has no `\label` and no
 * references. So, in reading order:
 * - each numbered environment (not starred, no `\tag`, `\notag` or
 *   `\nonumber`) counts one number, as KaTeX shows it for a one-line
 *   environment;
 * - `\label{name}` is removed from the TeX and remembers that number (`\tag{…}`
 *   in the same formula wins);
 * - `\eqref{name}` becomes `(n)` and `\ref{name}` `n`, as text inside math
 *   (`\text{(n)}`) or in the text around it; a name no formula labels stays
 *   as written, with a warning (`math`) at its place.
 * No options; skips a post without `\label`, `\eqref` or `\ref`.
 */
export function remarkMathLabels() {
  return function transform(tree: Root, file: VFile): void {
    if (!sourceMayHold(file, /\\(?:label|eqref|ref)\{/)) return
    const numbers = new Map<string, string>()
    const formulas: Array<InlineMath | MathBlock> = []
    const collect = (node: InlineMath | MathBlock) => {
      formulas.push(node)
    }
    visit(tree, 'math', collect)
    visit(tree, 'inlineMath', collect)
    formulas.sort((a, b) => (a.position?.start.offset ?? 0) - (b.position?.start.offset ?? 0))
    let count = 0
    for (const node of formulas) {
      const tex = node.value
      const numbered = /\\begin\{(?:equation|align|gather|multline|eqnarray)\}/.test(tex) && !/\\(?:notag|nonumber)\b/.test(tex)
      const tag = /\\tag\*?\{([^{}]*)\}/.exec(tex)
      const labels = [...tex.matchAll(/\\label\{([^{}]*)\}/g)].map((match) => match[1]!)
      if (numbered && !tag) count++
      else if (!numbered && !tag && labels.length > 0 && isDisplay(node)) {
        // A labelled formula KaTeX would not number (plain `$$…$$`): it gets the next number as its tag, so the reference shows it.
        count++
        setTex(node, `${tex} \\tag{${count}}`)
      }
      for (const label of labels) numbers.set(label, tag ? tag[1]! : String(count))
    }
    const resolve = (tex: string, place: InlineMath | MathBlock | Text, inMath: boolean) =>
      tex.replace(/\\(eq)?ref\{([^{}]*)\}/g, (whole, eq: string | undefined, name: string) => {
        const number = numbers.get(name)
        if (number === undefined) {
          // In prose a `\\ref{…}` may be about LaTeX rather than a reference: it stays, silently.
          if (!inMath) return whole
          report(file, {reason: `\`${whole}\` refers to no \`\\label{${name}}\`; left as written`, ruleId: 'math', severity: 'warning', place: place.position})
          return whole
        }
        const shown = eq ? `(${number})` : number
        return inMath ? `\\text{${shown}}` : shown
      })
    for (const node of formulas) {
      const tex = resolve(node.value.replace(/\\label\{[^{}]*\}/g, ''), node, true)
      if (tex !== node.value) setTex(node, tex)
    }
    visit(tree, 'text', (node: Text) => {
      if (/\\(?:eq)?ref\{/.test(node.value)) node.value = resolve(node.value, node, false)
    })
  }
}

function isDisplay(node: InlineMath | MathBlock): boolean {
  if (node.type === 'math') return true
  const className = node.data?.hProperties?.['className']
  return Array.isArray(className) && className.includes('math-display')
}

/** The TeX of a math node, and the copy remark-math keeps for remark-rehype (`data.hChildren`). */
function setTex(node: InlineMath | MathBlock, tex: string): void {
  node.value = tex
  const replace = (children: unknown): void => {
    if (!Array.isArray(children)) return
    for (const child of children as Array<{type: string; value?: string; children?: unknown}>) {
      if (child.type === 'text') child.value = tex
      else replace(child.children)
    }
  }
  replace(node.data?.hChildren)
}
