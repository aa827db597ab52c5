import type {KatexOptions} from 'katex'
import remarkMath from 'remark-math'
import type {PluggableList} from 'unified'
import {rehypeMath} from './rehype-math.js'
import {remarkDisplayMath} from './remark-display-math.js'
import {remarkEscapedMath} from './remark-escaped-math.js'
import {remarkMathLabels} from './math/remark-math-labels.js'
import {remarkMathTablePipes} from './math/remark-math-table-pipes.js'
import {remarkTexEnvironments} from './math/remark-tex-environments.js'
import {remarkKramdownMathFlow} from './math/micromark-kramdown-math-flow.js'
import {rehypeHtmlMath} from './math/rehype-html-math.js'

export interface MathOptions {
  /**
   * Also read `$…$` as inline math. Off, as in kramdown, so prices such as
   * `$100,000` stay text; `$$…$$`, `\\(…\\)` and `\\[…\\]` work either way.
   * Default: false.
   */
  readonly singleDollar?: boolean
  /**
   * Math as Jekyll sites write it for MathJax, on top: `\begin{…}`
   * environments in the text, `\|` in table cells, `\label`/`\eqref`.
   * Default: false.
   */
  readonly kramdown?: boolean
}

export interface MathPlugins {
  /** After remark-parse (and remark-gfm), before remark-rehype. */
  readonly remark: PluggableList
  /** After rehype-raw, before rehype-highlight-code (which leaves math alone either way) and the URL plugins. KaTeX loads on the first page with math. */
  readonly rehype: PluggableList
}

const emptyOptions: MathOptions = Object.freeze({})

/**
 * KaTeX settings shared by the check and the renderer, so that what passes the
 * check renders. `strict: 'ignore'`: KaTeX's default (`'warn'`) prints to the
 * console for LaTeX-incompatible but renderable input (Unicode in math mode),
 * and modules below the CLI never print.
 */
const katexOptions: Readonly<Omit<KatexOptions, 'displayMode' | 'throwOnError'>> = Object.freeze({strict: 'ignore'})

/**
 * The plugins for math rendered at build time, in order:
 * - remark: remark-math (`$$…$$` blocks and inline, `$…$` only with
 *   `singleDollar`), then `remarkEscapedMath` (`\(…\)`, `\[…\]` in text),
 *   then `remarkDisplayMath` (a paragraph of nothing but `$$…$$` or `\[…\]`
 *   is a block, as in kramdown), which needs the nodes the first two made;
 *   with `kramdown`, `$$` blocks only where kramdown takes them
 *   (`remarkKramdownMathFlow`), `remarkTexEnvironments` before it (`\begin{align}…`
 *   in the text is display math too) and after it `remarkMathTablePipes`
 *   and `remarkMathLabels` (which need every formula made);
 * - rehype: `rehypeMath`: on a page with math, `rehypeMathCheck` (bad TeX →
 *   `span.math-error` + warning, sets `file.data.math`), then rehype-katex
 *   (HTML + MathML, no client script); KaTeX is imported only then.
 */
export function mathPlugins(options: MathOptions = emptyOptions): MathPlugins {
  return {
    remark: options.kramdown
      ? [[remarkMath, {singleDollarTextMath: options.singleDollar ?? false}], remarkKramdownMathFlow, remarkEscapedMath, remarkTexEnvironments, remarkDisplayMath, remarkMathTablePipes, remarkMathLabels]
      : [[remarkMath, {singleDollarTextMath: options.singleDollar ?? false}], remarkEscapedMath, remarkDisplayMath],
    // kramdown sites: math in raw HTML too (MathJax typeset it on the Jekyll page), before it is typeset.
    rehype: [...(options.kramdown ? [rehypeHtmlMath] : []), [rehypeMath, {katex: katexOptions, mathjaxCompat: options.kramdown ?? false}]]
  }
}
