import type {Element, Root} from 'hast'
import {toString} from 'hast-util-to-string'
import katex, {type KatexOptions} from 'katex'
import {catchKatexConsole} from './katex-console.js'
import {SKIP, visit} from './walk.js'
import type {VFile} from 'vfile'
import {report} from '../report.js'
import './data.js'

export interface MathCheckOptions {
  /**
   * The KaTeX settings math is rendered with: pass the same object to
   * rehype-katex, so what passes here renders there.
   * Default: `{}` (KaTeX's defaults).
   */
  readonly katex?: Readonly<Omit<KatexOptions, 'displayMode' | 'throwOnError'>>
}

const emptyOptions: MathCheckOptions = Object.freeze({})

/** Classes rehype-katex renders (remark-math's, and ` ```math ` fences). */
const mathClasses = ['language-math', 'math-display', 'math-inline']

/**
 * Run before rehype-katex: try each formula with KaTeX, and replace one that
 * does not parse by its TeX source as text in `code.math-error` (in a `pre`
 * for display math), with a warning (`math`) at its position, so bad TeX
 * never stops the build and shows up as what the author wrote rather than
 * rehype-katex's red error markup. Sets `file.data.math` when any formula is
 * left for rehype-katex, so the build knows the page needs KaTeX's CSS.
 */
export function rehypeMathCheck(options: MathCheckOptions = emptyOptions) {
  const settings = options.katex ?? {}
  return function transform(tree: Root, file: VFile): void {
    let rendered = false
    visit(tree, 'element', (node: Element, index, parent) => {
      if (!parent || index === undefined) return
      const math = mathOf(node)
      if (!math) return
      const tex = toString(node)
      try {
        const {printed} = catchKatexConsole(() => katex.renderToString(tex, {...settings, displayMode: math.display, throwOnError: true}))
        for (const line of new Set(printed)) {
          report(file, {reason: `KaTeX, in ${math.display ? 'display' : 'inline'} math \`${short(tex)}\`: ${line}`, ruleId: 'math', severity: 'warning', place: node.position})
        }
        rendered = true
        return SKIP
      } catch (error) {
        report(file, {
          reason: `bad TeX in ${math.display ? 'display' : 'inline'} math \`${short(tex)}\`: ${explain(error)}; shown as source`,
          ruleId: 'math',
          severity: 'warning',
          place: node.position,
          cause: error
        })
        const code: Element = {type: 'element', tagName: 'code', properties: {className: ['math-error']}, children: [{type: 'text', value: tex}]}
        const replacement: Element = node.tagName === 'pre' ? {type: 'element', tagName: 'pre', properties: {}, children: [code]} : code
        if (node.position) replacement.position = node.position
        if (node.tagName === 'pre') {
          const inner = node.children.find((child) => child.type === 'element')
          if (inner?.position) code.position = inner.position
        }
        parent.children[index] = replacement
        return SKIP
      }
    })
    if (rendered) file.data.math = true
  }
}

/**
 * Whether `node` is math rehype-katex would render, and how: a `pre` around
 * `code.language-math` is display math (rehype-katex replaces the `pre`), a
 * `code` (or other element) with a math class is math in its own right.
 */
function mathOf(node: Element): {display: boolean} | undefined {
  if (node.tagName === 'pre') {
    const elements = node.children.filter((child) => child.type === 'element')
    const only = elements.length === 1 ? elements[0] : undefined
    if (only?.tagName === 'code' && classesOf(only).includes('language-math')) return {display: true}
    return undefined
  }
  const classes = classesOf(node)
  if (!mathClasses.some((name) => classes.includes(name))) return undefined
  return {display: classes.includes('math-display')}
}

function classesOf(node: Element): string[] {
  const value: unknown = node.properties.className
  return Array.isArray(value) ? value.map(String) : []
}

/** KaTeX's reason without its underlined excerpt (`Undefined control sequence: \foo at position 1`). */
function explain(error: unknown): string {
  if (error instanceof katex.ParseError) return error.rawMessage + (Number.isInteger(error.position) ? ` at position ${error.position + 1}` : '')
  return error instanceof Error ? error.message : String(error)
}

function short(tex: string): string {
  const flat = tex.replace(/\s+/g, ' ').trim()
  return flat.length > 40 ? flat.slice(0, 39) + '…' : flat
}
