import type {Element, ElementContent, Root, Text} from 'hast'
import type {VFile} from 'vfile'
import {sourceMayHold} from '../source-check.js'
import {SKIP, visit} from '../walk.js'

/**
 * Math in the author's raw HTML (`<p>… \(x\) …</p>`), which kramdown passes
 * through untouched and MathJax then typesets on the Jekyll page:
 * `\(…\)` becomes inline math, `\[…\]` and `$$…$$` display math, in the
 * shape remark-math gives its own (`code.language-math`), so the math step
 * right after typesets it (and keeps bad TeX as source, with a warning).
 * Markdown math is already math by now, so only raw HTML's text is left to
 * find; code, `pre`, scripts, styles, text areas and existing math are
 * skipped. Within one text node, as MathJax's delimiters in an HTML page
 * cannot cross an element either. No options; skips a post without `\(`,
 * `\[` or `$$`.
 */
export function rehypeHtmlMath() {
  return function transform(tree: Root, file: VFile): void {
    if (!sourceMayHold(file, /\\[([]|\$\$/)) return
    visit(tree, 'element', (node: Element) => {
      if (SKIPPED.has(node.tagName) || classesOf(node).some((name) => name.startsWith('math') || name === 'language-math' || name === 'katex')) return SKIP
      for (let index = 0; index < node.children.length; index++) {
        const child = node.children[index]
        if (child?.type !== 'text') continue
        const parts = split(child)
        if (!parts) continue
        node.children.splice(index, 1, ...parts)
        index += parts.length - 1
      }
      return undefined
    })
  }
}

const SKIPPED = new Set(['code', 'pre', 'script', 'style', 'textarea', 'math', 'svg', 'kbd', 'samp'])

const DELIMITED = /\\\(([\s\S]+?)\\\)|\\\[([\s\S]+?)\\\]|\$\$([\s\S]+?)\$\$/g

function split(node: Text): ElementContent[] | undefined {
  DELIMITED.lastIndex = 0
  if (!DELIMITED.test(node.value)) return undefined
  DELIMITED.lastIndex = 0
  const parts: ElementContent[] = []
  let last = 0
  for (const match of node.value.matchAll(DELIMITED)) {
    const tex = (match[1] ?? match[2] ?? match[3] ?? '').trim()
    if (tex === '') continue
    if (match.index > last) parts.push({type: 'text', value: node.value.slice(last, match.index)})
    const display = match[1] === undefined
    const math: Element = {type: 'element', tagName: 'code', properties: {className: ['language-math', display ? 'math-display' : 'math-inline']}, children: [{type: 'text', value: tex}]}
    if (node.position) math.position = node.position
    parts.push(math)
    last = match.index + match[0].length
  }
  if (parts.length === 0) return undefined
  if (last < node.value.length) parts.push({type: 'text', value: node.value.slice(last)})
  return parts
}

function classesOf(node: Element): string[] {
  const value: unknown = node.properties.className
  return Array.isArray(value) ? value.map(String) : []
}
