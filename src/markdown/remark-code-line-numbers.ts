import type {Code, Root} from 'mdast'
import {visit} from 'unist-util-visit'
import type {VFile} from 'vfile'
import {sourceMayHold} from './source-check.js'

/**
 * Code blocks that ask for line numbers — `{% highlight python linenos %}`
 * (Jekyll's tag, which Galley turns into a fence with that info string) or
 * a fence written ```` ```python linenos ```` — get the class `linenos` on
 * their `code` (the info string does not survive rehype-raw, a class does,
 * and the highlighter keeps the `code`'s classes). The theme numbers each
 * `span.line` with a CSS counter, so the numbers show but are not part of
 * the text a reader copies.
 */
export function remarkCodeLineNumbers() {
  return function transform(tree: Root, file: VFile): void {
    if (!sourceMayHold(file, 'linenos')) return
    visit(tree, 'code', (node: Code) => {
      if (typeof node.meta !== 'string' || !/(^|\s)linenos(=\S*)?(\s|$)/.test(node.meta)) return
      const data = (node.data ??= {})
      const properties = (data.hProperties ??= {})
      properties.className = [...(node.lang ? [`language-${node.lang}`] : []), 'linenos']
    })
  }
}
