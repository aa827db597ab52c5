import type {PhrasingContent, Root, TableCell} from 'mdast'
import type {} from 'remark-math'
import type {VFile} from 'vfile'
import {sourceMayHold} from '../source-check.js'
import {visit} from '../walk.js'

type InlineMath = Extract<PhrasingContent, {type: 'inlineMath'}>

/**
 * Math inside a table cell that needs a `|` has to write it `\|` (a bare
 * one ends the cell, in GFM as in kramdown); kramdown then gives MathJax a
 * plain `|` (`$$\|x\|$$` in a cell is `|x|`), as GFM does for code spans.
 * remark-math keeps the backslash, which KaTeX would draw as `‖`; this
 * takes it out, in table cells only. No options; skips a post without `\|`.
 */
export function remarkMathTablePipes() {
  return function transform(tree: Root, file: VFile): void {
    if (!sourceMayHold(file, '\\|')) return
    visit(tree, 'tableCell', (cell: TableCell) => {
      visit(cell, 'inlineMath', (node: InlineMath) => {
        if (!node.value.includes('\\|')) return
        node.value = node.value.replaceAll('\\|', '|')
        for (const child of node.data?.hChildren ?? []) if (child.type === 'text') child.value = node.value
      })
    })
  }
}
