import type {Element, Root} from 'hast'
import type {KatexOptions} from 'katex'
import type {VFile} from 'vfile'
import {catchKatexConsole} from './katex-console.js'
import {EXIT, visit} from './walk.js'

export interface MathOptions {
  /** KaTeX settings for the check and the typesetting alike, so what passes the check renders. */
  readonly katex: Readonly<Omit<KatexOptions, 'displayMode' | 'throwOnError'>>
  /** Retry a formula KaTeX refuses as MathJax reads it (see `rehypeMathCheck`). Default: false. */
  readonly mathjaxCompat?: boolean
}

/** Classes remark-math gives math (and ` ```math ` fences): what rehype-katex typesets. */
const mathClasses = new Set(['language-math', 'math-display', 'math-inline'])

/**
 * Math typeset at build time: rehypeMathCheck (bad TeX becomes its source in
 * `span.math-error`, with a warning), then rehype-katex, then the author's TeX
 * back in the annotations of formulas rendered as MathJax reads them. Both load KaTeX, a
 * large module, so they are imported the first time a page has math, and a
 * page without any skips them after one look for math classes.
 */
export function rehypeMath(options: MathOptions) {
  let loaded: Promise<Array<(tree: Root, file: VFile) => void>> | undefined
  const load = () =>
    (loaded ??= Promise.all([import('./rehype-math-check.js'), import('rehype-katex')]).then(([check, katex]) => [
      check.rehypeMathCheck({katex: options.katex, mathjaxCompat: options.mathjaxCompat ?? false}),
      katex.default(options.katex) as (tree: Root, file: VFile) => void,
      check.restoreMathSources
    ]))
  return async function transform(tree: Root, file: VFile): Promise<void> {
    if (!hasMath(tree)) return
    // The check reports what KaTeX prints; the typesetting prints the same again, which is dropped.
    for (const step of await load()) catchKatexConsole(() => step(tree, file))
  }
}

function hasMath(tree: Root): boolean {
  let found = false
  visit(tree, 'element', (node: Element) => {
    const className = node.properties.className
    if (Array.isArray(className) && className.some((name) => mathClasses.has(String(name)))) {
      found = true
      return EXIT
    }
    return undefined
  })
  return found
}
