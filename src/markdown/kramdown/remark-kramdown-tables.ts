import type {Root} from 'mdast'
import type {} from 'remark-parse'
import type {Processor} from 'unified'
import type {VFile} from 'vfile'
import {kramdownTableFromMarkdown} from './mdast-kramdown-table.js'
import {kramdownTable} from './micromark-kramdown-table.js'

export {kramdownTableHandler} from './hast-kramdown-table.js'

/**
 * kramdown's tables instead of GFM's (see micromark-kramdown-table.ts for
 * the syntax, mdast-kramdown-table.ts for the tree): use after remark-parse
 * and remark-gfm (or remarkGfmParts), whose table construct it turns off,
 * and give remark-rehype `kramdownTableHandler` for `table` so the head,
 * bodies and footer come out as kramdown writes them. It wraps the parser
 * only to let the syntax see the document it parses (where a list item or
 * quote follows a table). No options.
 */
export function remarkKramdownTables(this: Processor): void {
  let document = ''
  const data = this.data()
  ;(data.micromarkExtensions ??= []).push(kramdownTable({source: () => document}))
  ;(data.fromMarkdownExtensions ??= []).push(kramdownTableFromMarkdown())
  const parse = this.parser
  if (!parse) return
  this.parser = function (text: string, file: VFile): Root {
    const outer = document
    document = text
    try {
      return parse(text, file) as Root
    } finally {
      document = outer
    }
  }
}
