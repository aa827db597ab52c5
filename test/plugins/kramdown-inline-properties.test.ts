import fc from 'fast-check'
import remarkParse from 'remark-parse'
import {unified, type Pluggable} from 'unified'
import {removePosition} from 'unist-util-remove-position'
import {describe, expect, it} from 'vitest'
import {remarkKramdownCodeSpans} from '../../src/markdown/kramdown/micromark-kramdown-code-spans.js'
import {remarkKramdownEmphasis} from '../../src/markdown/kramdown/remark-kramdown-emphasis.js'
import {remarkKramdownEscapes} from '../../src/markdown/kramdown/remark-kramdown-escapes.js'
import {remarkKramdownLinks} from '../../src/markdown/kramdown/remark-kramdown-links.js'
import {remarkKramdownOrderedLists} from '../../src/markdown/kramdown/remark-kramdown-ordered-lists.js'
import {remarkGfmParts} from '../../src/markdown/remark-gfm-parts.js'

/** The mdast of `markdown` (positions dropped) with GFM and the given syntax plugins. */
function treeWith(plugins: Pluggable[]) {
  const processor = unified().use(remarkParse).use(remarkGfmParts).use(plugins).freeze()
  return (markdown: string) => {
    const tree = processor.parse(markdown)
    removePosition(tree, {force: true})
    return JSON.stringify(tree)
  }
}

const commonmark = treeWith([])
const kramdown = treeWith([[remarkKramdownEscapes], [remarkKramdownCodeSpans], [remarkKramdownEmphasis], [remarkKramdownLinks], [remarkKramdownOrderedLists]])

/** Markdown-ish text from the pieces these rules are about, and their neighbours. */
const pieces = ['[', ']', '(', ')', ' ', '\n', '\n\n', '"', "'", '\\', '\\\\', '`', '``', '1)', '1.', '2)', '- ', '*', '_', 'a', 'b c', '%', ';', '&amp;', '<', '>', '[x]: /x', 'x', '!', '~']
const markdownish = fc.array(fc.constantFrom(...pieces), {maxLength: 30}).map((parts) => parts.join(''))

describe('kramdown inline and list syntax (properties)', () => {
  it('never throws, whatever the text', () => {
    fc.assert(
      fc.property(markdownish, (markdown) => {
        kramdown(markdown)
      }),
      {numRuns: 2000}
    )
  }, 60_000)

  it('reads text as CommonMark does when it holds none of what the rules are about (`\\`, a backtick, `]`, a digit before `)`, `*` or `_` next to punctuation)', () => {
    fc.assert(fc.property(markdownish, (markdown) => /[\\`\]]|\d\)|[*_][^\sa-z*_]|[^\sa-z*_][*_]|^[*_]|[*_]$/.test(markdown) || kramdown(markdown) === commonmark(markdown)), {numRuns: 1000})
  }, 60_000)

  it('keeps the words, the kept backslashes, URLs with spaces and spaced references of a paragraph (random lines)', () => {
    // A link's URL is no visible text on either side; the words around and inside it stay.
    const words = fc.array(fc.constantFrom('tide', 'gull', 'jetty', '40\\%', 'a\\;b', '[chart](/a b)', '[log] [x]'), {minLength: 1, maxLength: 8}).map((parts) => parts.join(' '))
    fc.assert(
      fc.property(words, (line) => {
        const tree = kramdown(`${line}\n\n[x]: /x\n`)
        for (const word of ['tide', 'gull', 'jetty']) if (line.includes(word)) expect(tree).toContain(word)
        if (line.includes('40\\%')) expect(tree).toContain('40\\\\%')
        if (line.includes('a\\;b')) expect(tree).toContain('a\\\\;b')
        if (line.includes('[chart](/a b)')) expect(tree).toContain('"url":"/a b"')
        if (line.includes('[log] [x]')) expect(tree).toContain('"type":"linkReference"')
      }),
      {numRuns: 300}
    )
  })
})
