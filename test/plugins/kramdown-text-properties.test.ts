import fc from 'fast-check'
import type {Nodes, Root} from 'mdast'
import {toString} from 'mdast-util-to-string'
import remarkMath from 'remark-math'
import remarkParse from 'remark-parse'
import remarkGfm from 'remark-gfm'
import {unified} from 'unified'
import {VFile} from 'vfile'
import {describe, expect, it} from 'vitest'
import {kramdownSlug} from '../../src/markdown/kramdown/kramdown-slug.js'
import {remarkKramdownAbbreviations} from '../../src/markdown/kramdown/remark-kramdown-abbreviations.js'
import {remarkKramdownDefinitionLists} from '../../src/markdown/kramdown/remark-kramdown-definition-lists.js'
import {remarkKramdownFootnotes} from '../../src/markdown/kramdown/remark-kramdown-footnotes.js'
import {remarkTypography} from '../../src/markdown/typography/remark-typography.js'

/** Text made of the pieces these plugins react to, and plain words between them. */
const pieces = ['word', ' ', '<<', '>', '\n', '\n\n', "'", '"', '--', '---', '...', ': ', '`co"de`', ' $$m--n$$ ', '[^n]', '\n\n[^n]: note\n\n', '\n\n*[GPS]: Global\n\n', 'GPS', '*', '_', ' https://x.example/u--v ', '# ', '- ', '> ']
const markdownish = fc.array(fc.constantFrom(...pieces), {maxLength: 30}).map((parts) => parts.join(''))

function treeOf(markdown: string, plugins: unknown[]): Root {
  const processor = unified().use(remarkParse).use(remarkGfm).use(remarkMath, {singleDollarTextMath: false})
  for (const plugin of plugins) processor.use(plugin as never)
  const file = new VFile({path: 'posts/x.md', value: markdown})
  return processor.runSync(processor.parse(file), file) as Root
}

/** The tree's text, a space between nodes (so a term and its definition, `<dt>`/`<dd>`, stay two words). */
function textOf(markdown: string, plugins: unknown[]): string {
  const spaced = (node: Nodes): string => ('children' in node ? node.children.map((child) => spaced(child as Nodes)).join(' ') : toString(node))
  return spaced(treeOf(markdown, plugins))
}

/** The values typography must leave alone: inline code, math, and the text of links that show their URL. */
function untouchable(tree: Nodes): string[] {
  const found: string[] = []
  const walk = (node: Nodes) => {
    if (node.type === 'inlineCode' || node.type === 'inlineMath' || node.type === 'math' || node.type === 'code') found.push(node.value)
    else if (node.type === 'link' && toString(node) === node.url) found.push(node.url)
    if ('children' in node) for (const child of node.children) walk(child)
  }
  walk(tree)
  return found.sort()
}

/** Typography's replacements undone: what is left must be the text as it was. */
function straighten(text: string): string {
  return text.replace(/[‘’]/g, "'").replace(/[“”]/g, '"').replace(/—/g, '---').replace(/–/g, '--').replace(/…/g, '...').replace(/«/g, '<<').replace(/»/g, '>>')
}

describe('kramdown text plugins on any text', () => {
  it('typography changes only quotes, dashes and dots, and never code, math or URLs', () => {
    fc.assert(
      fc.property(markdownish, (markdown) => {
        const before = textOf(markdown, [])
        const after = textOf(markdown, [remarkTypography])
        expect(straighten(after)).toBe(straighten(before))
        // Code, math and URLs keep their straight characters.
        const kept = untouchable(treeOf(markdown, []))
        expect(untouchable(treeOf(markdown, [remarkTypography]))).toEqual(kept)
      }),
      {numRuns: 300}
    )
  })

  it('definition lists and abbreviations keep every word of the text (abbreviation lines aside)', () => {
    fc.assert(
      fc.property(markdownish, (markdown) => {
        const words = (text: string) => text.replace(/\*\[GPS\]: Global/g, '').match(/[A-Za-z]+/g) ?? []
        // Any line that is an abbreviation definition (`*[^n]: ` too, with nothing defined) goes, as kramdown drops it.
        const before = words(textOf(markdown.replace(/^ {0,3}\*\[.+?\]:.*$/gm, ''), []))
        const after = words(textOf(markdown, [remarkKramdownDefinitionLists, remarkKramdownAbbreviations]))
        expect(after.filter((word) => word !== 'Global')).toEqual(before.filter((word) => word !== 'Global'))
      }),
      {numRuns: 300}
    )
  })

  it('footnotes keep the text of every note the body calls, and drop only notes nobody calls', () => {
    fc.assert(
      fc.property(markdownish, (markdown) => {
        const before = treeOf(markdown, [])
        const definitions = before.children.filter((node) => node.type === 'footnoteDefinition')
        let called = false
        const walk = (node: Nodes) => {
          if (node.type === 'footnoteDefinition') return
          if (node.type === 'footnoteReference') called = true
          if ('children' in node) for (const child of node.children) walk(child)
        }
        walk(before)
        const after = toString(treeOf(markdown, [remarkKramdownFootnotes]))
        // Definitions anywhere (in a quote or list too: `>[^n]: x`) are notes, not body text.
        const withoutNotes = (node: Nodes): string => (node.type === 'footnoteDefinition' ? '' : 'children' in node ? node.children.map((child) => withoutNotes(child as Nodes)).join('') : toString(node))
        const body = withoutNotes(before)
        const note = definitions[0] ? toString(definitions[0]) : ''
        if (called) expect(after).toContain(note)
        else expect(after).toBe(body)
      }),
      {numRuns: 300}
    )
  })

  it('kramdown slugs hold only letters, marks, digits, `_` and `-`', () => {
    fc.assert(
      fc.property(fc.string({maxLength: 40}), (text) => {
        expect(kramdownSlug(text)).toMatch(/^[\p{L}\p{M}\p{Nd}\p{Pc}-]*$/u)
      }),
      {numRuns: 500}
    )
  })
})
