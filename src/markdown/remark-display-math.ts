import type {Paragraph, PhrasingContent, Root, RootContent} from 'mdast'
import type {} from 'remark-math'
import {visit} from './walk.js'
import type {VFile} from 'vfile'

type InlineMath = Extract<PhrasingContent, {type: 'inlineMath'}>
type MathBlock = Extract<RootContent, {type: 'math'}>

/**
 * A paragraph that holds nothing but one piece of display math becomes a
 * math block, as kramdown treats it: `$$x^2$$` alone (remark-math reads that
 * as inline math, since its block form needs the fences on their own lines),
 * or `\[x^2\]` alone (from `remarkEscapedMath`, which must run first). The
 * block has remark-math's own shape (`pre > code.language-math.math-display`)
 * and the paragraph's position. `$$…$$` next to other text stays inline,
 * also as in kramdown; single-dollar math is never promoted. No options.
 */
export function remarkDisplayMath() {
  return function transform(tree: Root, file: VFile): void {
    const source = String(file.value ?? '')
    // Display math is `$$…$$`, `\[…\]` or an environment: a post without any has none to promote.
    if (file.value !== undefined && !/\$\$|\\\[|\\begin\{/.test(source)) return
    visit(tree, 'paragraph', (node: Paragraph, index, parent) => {
      if (!parent || index === undefined) return
      const math = onlyMath(node)
      if (!math || !isDisplay(math, source)) return
      const block = displayBlock(math, node)
      parent.children.splice(index, 1, block)
    })
  }
}

/** A math block of remark-math's own shape for `math`, at `paragraph`'s position. */
export function displayBlock(math: InlineMath, paragraph: Paragraph): MathBlock {
  const block: MathBlock = {
    type: 'math',
    meta: null,
    value: math.value,
    data: {
      hName: 'pre',
      hChildren: [{type: 'element', tagName: 'code', properties: {className: ['language-math', 'math-display']}, children: [{type: 'text', value: math.value}]}]
    }
  }
  if (paragraph.position) block.position = paragraph.position
  return block
}

/** The paragraph's one inline math node, whitespace aside. */
function onlyMath(paragraph: Paragraph): InlineMath | undefined {
  let found: InlineMath | undefined
  for (const child of paragraph.children) {
    if (child.type === 'text' && child.value.trim() === '') continue
    if (child.type !== 'inlineMath' || found) return undefined
    found = child
  }
  return found
}

/** Written `$$…$$` (looked up in the source), or marked display by `remarkEscapedMath` (`\[…\]`). */
export function isDisplay(math: InlineMath, source: string): boolean {
  const className = math.data?.hProperties?.['className']
  if (Array.isArray(className) && className.includes('math-display')) return true
  const offset = math.position?.start.offset
  return offset !== undefined && source.startsWith('$$', offset)
}
