import type {Element, Root} from 'hast'
import {toString} from 'hast-util-to-string'
import katex, {type KatexOptions} from 'katex'
import {catchKatexConsole} from './katex-console.js'
import {SKIP, visit} from './walk.js'
import type {VFile} from 'vfile'
import {report} from '../report.js'
import './data.js'
import {mathjaxCompat} from './math/mathjax-compat.js'

export interface MathCheckOptions {
  /**
   * The KaTeX settings math is rendered with: pass the same object to
   * rehype-katex, so what passes here renders there.
   * Default: `{}` (KaTeX's defaults).
   */
  readonly katex?: Readonly<Omit<KatexOptions, 'displayMode' | 'throwOnError'>>
  /**
   * When KaTeX refuses a formula, try it once more as MathJax would read it
   * (`mathjaxCompat`: `t_\max`, `\text{a_b}`), and render that when KaTeX
   * takes it. For sites written for MathJax (kramdown sites). Default: false.
   */
  readonly mathjaxCompat?: boolean
}

const emptyOptions: MathCheckOptions = Object.freeze({})

/** Classes rehype-katex renders (remark-math's, and ` ```math ` fences). */
const mathClasses = ['language-math', 'math-display', 'math-inline']

/**
 * Run before rehype-katex: try each formula with KaTeX, and replace one that
 * does not parse by its TeX source as text in `span.math-error`
 * (`pre.math-error` for display math), with a warning (`math`) at its position, so bad TeX
 * never stops the build and shows up as what the author wrote rather than
 * rehype-katex's red error markup. Sets `file.data.math` when any formula is
 * left for rehype-katex, so the build knows the page needs KaTeX's CSS.
 * A formula rendered as MathJax reads it is noted in `file.data.mathSources`
 * (rendered TeX → the author's), for `restoreMathSources` after rehype-katex.
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
        const compatible = options.mathjaxCompat ? mathjaxCompat(tex) : undefined
        if (compatible !== undefined && renders(compatible, math.display, settings)) {
          setText(node, compatible)
          // The annotation KaTeX writes should still read as the author wrote it (copy-paste, screen readers' TeX).
          ;(file.data.mathSources ??= new Map()).set(compatible, tex)
          rendered = true
          return SKIP
        }
        report(file, {
          reason: `bad TeX in ${math.display ? 'display' : 'inline'} math \`${short(tex)}\`: ${explain(error)}; shown as source`,
          ruleId: 'math',
          severity: 'warning',
          place: node.position,
          cause: error
        })
        // The source as text: `span.math-error` inline, `pre.math-error` for display math (its lines kept).
        const replacement: Element = {type: 'element', tagName: math.display && node.tagName === 'pre' ? 'pre' : 'span', properties: {className: ['math-error']}, children: [{type: 'text', value: tex}]}
        if (node.position) replacement.position = node.position
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

function renders(tex: string, display: boolean, settings: MathCheckOptions['katex']): boolean {
  try {
    katex.renderToString(tex, {...settings, displayMode: display, throwOnError: true})
    return true
  } catch {
    return false
  }
}

/** The formula's TeX, in the one text node the math element (or its `code`) holds. */
function setText(node: Element, tex: string): void {
  const holder = node.tagName === 'pre' ? node.children.find((child) => child.type === 'element') : node
  if (holder && holder.type === 'element') holder.children = [{type: 'text', value: tex}]
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

/**
 * After rehype-katex: the TeX annotation of each formula that rendered only
 * as MathJax reads it (`mathSources`) holds the author's TeX again, not the
 * rewrite KaTeX was given.
 */
export function restoreMathSources(tree: Root, file: VFile): void {
  const sources = file.data.mathSources
  if (!sources || sources.size === 0) return
  visit(tree, 'element', (node: Element) => {
    if (node.tagName !== 'annotation' || node.properties.encoding !== 'application/x-tex') return undefined
    const original = sources.get(toString(node))
    if (original !== undefined) node.children = [{type: 'text', value: original}]
    return SKIP
  })
}
