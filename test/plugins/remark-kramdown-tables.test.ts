import fc from 'fast-check'
import {toString} from 'hast-util-to-string'
import rehypeRaw from 'rehype-raw'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import remarkRehype from 'remark-rehype'
import {unified} from 'unified'
import {describe, expect, it} from 'vitest'
import {tableLayout, type LineKind} from '../../src/markdown/kramdown/kramdown-table-layout.js'
import {remarkKramdownIal} from '../../src/markdown/kramdown/remark-kramdown-ial.js'
import {kramdownTableHandler, remarkKramdownTables} from '../../src/markdown/kramdown/remark-kramdown-tables.js'
import {mathPlugins} from '../../src/markdown/math.js'
import {remarkGfmParts} from '../../src/markdown/remark-gfm-parts.js'
import {pluginFixtures} from '../plugin-fixtures.js'

// Expected outputs checked against kramdown itself: node scripts/compare-fixtures-with-kramdown.mjs test/fixtures/plugins/remark-kramdown-tables
pluginFixtures('remark-kramdown-tables', () => [], () => [remarkKramdownTables, remarkKramdownIal, ...mathPlugins({kramdown: true}).remark], {handlers: {table: kramdownTableHandler}})

const processor = unified().use(remarkParse).use(remarkGfm).use(remarkKramdownTables).use(remarkRehype, {allowDangerousHtml: true, handlers: {table: kramdownTableHandler}}).use(rehypeRaw).freeze()

/** Lines of text built from what tables are made of (and what almost makes them). */
const pieces = ['|', '|', ' | ', '\\|', '---', ':-', '-:', '===', '+', ' ', '\t', '\n', '\n\n', '`', '``', 'ab', 'cd', 'x1', '*', '> ', '- ', '# ', '$$', '    ']
// Fenced code is left out: its info string is not text (and not a table's business).
const tableish = fc
  .array(fc.constantFrom(...pieces), {maxLength: 50})
  .map((parts) => parts.join(''))
  .filter((markdown) => !markdown.includes('```'))

/** Letters and digits, in order: what no table rule may drop. */
const words = (text: string) => text.replace(/[^A-Za-z0-9]/g, '')

describe('kramdown tables', () => {
  it('never throw and never lose text (random pipes, separators, code and containers)', () => {
    fc.assert(
      fc.property(tableish, (markdown) => {
        const tree = processor.runSync(processor.parse(markdown))
        return words(toString(tree)) === words(markdown)
      }),
      {numRuns: 1500}
    )
  }, 60_000)

  it('change nothing in text without a pipe (random text)', () => {
    // As the kramdown preset runs: GFM without its tables, with and without kramdown's.
    const plain = unified().use(remarkParse).use(remarkGfmParts, {tables: false}).freeze()
    const tables = unified().use(remarkParse).use(remarkGfmParts, {tables: false}).use(remarkKramdownTables).freeze()
    fc.assert(
      fc.property(tableish, (markdown) => {
        const text = markdown.replaceAll('|', '/')
        return JSON.stringify(tables.parse(text)) === JSON.stringify(plain.parse(text))
      }),
      {numRuns: 800}
    )
  }, 60_000)

  it('lay rows out as kramdown does: a head only before the first separator, a body after each later one, the footer after `|===|`', () => {
    const kinds = (pattern: string): LineKind[] => [...pattern].map((c) => (c === 'r' ? 'row' : c === 's' ? 'separator' : 'footer'))
    const sections = (pattern: string) => tableLayout(kinds(pattern)).rows.map((row) => `${row.section}${row.group}`).join(' ')
    expect(sections('rsrr')).toBe('thead0 tbody1 tbody1')
    expect(sections('srsr')).toBe('thead0 tbody1')
    expect(sections('rrsrsrs')).toBe('thead0 thead0 tbody1 tbody2')
    expect(sections('rsrfr')).toBe('thead0 tbody1 tfoot2')
    // After the footer separator, separators change nothing.
    expect(sections('rfrsr')).toBe('tbody0 tfoot1 tfoot1')
    expect(tableLayout(kinds('rs')).hasBody).toBe(false)
    expect(tableLayout(kinds('srrs')).hasBody).toBe(false)
    expect(tableLayout(kinds('r')).hasBody).toBe(true)
    expect(tableLayout(kinds('fr')).hasBody).toBe(false)
    expect(tableLayout(kinds('rsr')).alignmentLine).toBe(1)
  })
})
