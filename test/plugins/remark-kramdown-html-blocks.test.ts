import fc from 'fast-check'
import type {Root} from 'mdast'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import {unified} from 'unified'
import {VFile} from 'vfile'
import {describe, expect, it} from 'vitest'
import {remarkKramdownHtmlBlocks} from '../../src/markdown/kramdown/remark-kramdown-html-blocks.js'
import {pluginFixtures} from '../plugin-fixtures.js'

// Expected outputs checked against kramdown (GFM input): node scripts/compare-fixtures-with-kramdown.mjs test/fixtures/plugins/remark-kramdown-html-blocks
pluginFixtures('remark-kramdown-html-blocks', () => [], () => [[remarkKramdownHtmlBlocks]])

describe('remark-kramdown-html-blocks on any text', () => {
  const processor = unified().use(remarkParse).use(remarkGfm).use(remarkKramdownHtmlBlocks)
  // Lines that exercise the rules: block and span tags, end tags, blank and indented lines, comments, text.
  const line = fc.constantFrom(
    '<div>', '</div>', '<div class="a">text</div> tail', '<section>', '</section>', '<img src="x.png">', '<i>it</i>', '</a>', '<br>',
    '', '    indented <b>', '<!-- note', '-->', 'plain *words*', '# heading', '- item', '<details>', '<summary>s</summary>', '</details>', '[r]: https://example.com', 'see [r]'
  )
  const documents = fc.array(line, {maxLength: 24}).map((lines) => lines.join('\n'))

  it('regroups blocks without losing, repeating or moving any of the text', () => {
    fc.assert(
      fc.property(documents, (document) => {
        const tree = processor.parse(new VFile(document)) as Root
        let at = 0
        for (const child of tree.children) {
          const start = child.position?.start.offset
          const end = child.position?.end.offset
          expect(start).toBeTypeOf('number')
          expect(end).toBeTypeOf('number')
          // In order, not overlapping, and nothing but blank space between blocks.
          expect(start as number).toBeGreaterThanOrEqual(at)
          expect(document.slice(at, start).trim()).toBe('')
          if (child.type === 'html') expect(child.value).toBe(document.slice(start, end))
          at = end as number
        }
        expect(document.slice(at).trim()).toBe('')
      })
    )
  })
})
