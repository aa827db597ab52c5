import type {PhrasingContent, Root, Text} from 'mdast'
import type {} from 'remark-math'
import type {VFile} from 'vfile'
import {sourceMayHold} from '../source-check.js'
import {visit} from '../walk.js'

type InlineMath = Extract<PhrasingContent, {type: 'inlineMath'}>

/**
 * TeX environments written straight into the text, as MathJax reads them on
 * a Jekyll page (kramdown leaves them as text; MathJax's
 * `processEnvironments` typesets them): `\begin{equation}…\end{equation}`,
 * `align`, `aligned`, `gather`, `multline`, `eqnarray`, `split`, the
 * matrices and their starred forms become display math. The TeX is taken
 * from the text as markdown left it (the text MathJax would see: `\\` has
 * already become `\`, as on the Jekyll page), from `\begin` to its own
 * `\end`, within one text node. Then `remarkDisplayMath` makes one that is
 * alone in its paragraph a math block. Code and raw HTML are not text and
 * stay. No options; skips a post without `\begin{`.
 */
export function remarkTexEnvironments() {
  return function transform(tree: Root, file: VFile): void {
    if (!sourceMayHold(file, '\\begin{')) return
    visit(tree, 'text', (node: Text, index, parent) => {
      if (!parent || index === undefined || !node.value.includes('\\begin{')) return
      const parts = split(node)
      if (!parts) return
      parent.children.splice(index, 1, ...parts)
      return index + parts.length
    })
  }
}

/** What MathJax's TeX input reads as an environment outside delimiters (its AMS and base packages). */
const ENVIRONMENTS = /\\begin\{((?:equation|align|alignat|aligned|alignedat|gather|gathered|multline|eqnarray|split|flalign|[pbBvV]?matrix|cases|array)\*?)\}/g

function split(node: Text): Array<Text | InlineMath> | undefined {
  const parts: Array<Text | InlineMath> = []
  let last = 0
  ENVIRONMENTS.lastIndex = 0
  let match: RegExpExecArray | null
  while ((match = ENVIRONMENTS.exec(node.value))) {
    const end = node.value.indexOf(`\\end{${match[1]}}`, match.index)
    if (end === -1) continue
    const stop = end + `\\end{${match[1]}}`.length
    if (match.index > last) parts.push({type: 'text', value: node.value.slice(last, match.index)})
    const tex = node.value.slice(match.index, stop)
    const math: InlineMath = {type: 'inlineMath', value: tex, data: {hName: 'code', hProperties: {className: ['language-math', 'math-display']}, hChildren: [{type: 'text', value: tex}]}}
    if (node.position) math.position = node.position
    parts.push(math)
    last = stop
    ENVIRONMENTS.lastIndex = stop
  }
  if (parts.length === 0) return undefined
  if (last < node.value.length) parts.push({type: 'text', value: node.value.slice(last)})
  return parts
}
