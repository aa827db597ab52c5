import type {Heading, Root} from 'mdast'
import type {VFile} from 'vfile'
import {sourceMayHold} from '../source-check.js'
import {visit} from '../walk.js'

/**
 * kramdown's explicit header id, `# Title {#custom-id}` (ATX or setext):
 * the `{#…}` after a space or tab at the very end of the heading's text is
 * removed and becomes the heading's id (`data.hProperties.id`, which heading
 * ids keep). The id must be an XML name, as kramdown's `HEADER_ID` demands;
 * any other `{#…}` stays text. No options; skips a post without `{#`.
 */
export function remarkKramdownHeaderIds() {
  return function transform(tree: Root, file: VFile): void {
    if (!sourceMayHold(file, '{#')) return
    visit(tree, 'heading', (node: Heading) => {
      const last = node.children.at(-1)
      if (last?.type !== 'text') return
      const match = HEADER_ID.exec(last.value)
      if (!match?.[1]) return
      last.value = last.value.slice(0, match.index).replace(/[ \t]+$/, '')
      if (last.value === '') node.children.pop()
      const data = (node.data ??= {})
      data.hProperties = {...data.hProperties, id: match[1]}
    })
  }
}

/** kramdown's `HEADER_ID`: `[\t ]{#name}` at the end, `name` an XML name. */
const HEADER_ID = /[\t ]\{#([\p{L}_:][\p{L}\p{M}\p{Nd}_:.\-\u00B7]*)\}$/u
