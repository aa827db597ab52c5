import type {Root} from 'hast'

/**
 * Whitespace between top-level blocks becomes a single line break. Raw HTML
 * lines often end in stray spaces (`<img …> `) that would otherwise reach the
 * page as trailing whitespace; between blocks it never renders, so nothing
 * the reader sees changes. Whitespace inside blocks (and `<pre>`) is untouched.
 */
export function rehypeBlockWhitespace() {
  return function transform(tree: Root): void {
    for (const node of tree.children) {
      if (node.type === 'text' && node.value.trim() === '' && node.value !== '\n') node.value = node.value.includes('\n') ? '\n' : ''
    }
  }
}
