import type {Paragraph, PhrasingContent, Root} from 'mdast'
import type {} from 'remark-math'
import type {VFile} from 'vfile'
import {displayBlock, isDisplay} from '../remark-display-math.js'
import {visit} from '../walk.js'

type InlineMath = Extract<PhrasingContent, {type: 'inlineMath'}>

/**
 * Quarto's one-line labelled equation, `$$E = mc^2$$ {#eq-energy}`: remark-math
 * reads it as inline math followed by text, so it is neither display math
 * nor labelled. This makes it the display block remarkDisplayMath would make
 * of `$$…$$` alone, followed by a paragraph of only `{#eq-energy}`, the form
 * rehype-figures reads as the label of the math before it (the same as a
 * label on the line after a fenced `$$` block). Runs after the math plugins.
 */
export function remarkEquationLabels() {
  return function transform(tree: Root, file: VFile): void {
    const source = String(file.value ?? '')
    if (file.value !== undefined && !/\$\$[^\n]*\{#eq-/.test(source)) return
    visit(tree, 'paragraph', (node: Paragraph, index, parent) => {
      if (!parent || index === undefined) return
      const found = labelledMath(node)
      if (!found || !isDisplay(found.math, source)) return
      const label: Paragraph = {type: 'paragraph', children: [{type: 'text', value: `{#${found.id}}`}]}
      if (node.position) label.position = node.position
      parent.children.splice(index, 1, displayBlock(found.math, node), label)
    })
  }
}

/** A paragraph of one inline math node and then only `{#eq-…}`. */
function labelledMath(paragraph: Paragraph): {math: InlineMath; id: string} | undefined {
  const content = paragraph.children.filter((child) => !(child.type === 'text' && child.value.trim() === ''))
  const [math, label] = content
  if (content.length !== 2 || math?.type !== 'inlineMath' || label?.type !== 'text') return undefined
  const match = /^\s*\{#(eq-[\w-]*[A-Za-z0-9_])\}\s*$/.exec(label.value)
  return match ? {math, id: match[1] as string} : undefined
}
