import {readFileSync} from 'node:fs'
import type {Element, Root} from 'hast'
import {toHtml} from 'hast-util-to-html'
import rehypeRaw from 'rehype-raw'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import remarkRehype from 'remark-rehype'
import {unified} from 'unified'
import {visit} from 'unist-util-visit'
import {VFile} from 'vfile'
import {describe, expect, it} from 'vitest'
import {rehypeStrayTags} from '../../src/markdown/rehype-stray-tags.js'
import {hasSeed, seedPath} from '../helpers.js'
import {pluginFixtures} from '../plugin-fixtures.js'

pluginFixtures('rehype-stray-tags', (options) => [[rehypeStrayTags, options]])

async function toHast(markdown: string): Promise<{tree: Root; file: VFile}> {
  const processor = unified().use(remarkParse).use(remarkGfm).use(remarkRehype, {allowDangerousHtml: true}).use(rehypeRaw).use(rehypeStrayTags)
  const file = new VFile({path: 'posts/2024-05-12-case.md', value: markdown})
  const tree = await processor.run(processor.parse(file), file)
  return {tree, file}
}

describe('rehypeStrayTags', () => {
  it('keeps positions on the text and paragraphs it makes', async () => {
    const {tree} = await toHast('Intro.\n\n<eos>\nends it.\n\nA token <RET> here.\n')
    const [, , paragraph, , second] = tree.children
    expect(paragraph).toMatchObject({type: 'element', tagName: 'p', position: {start: {line: 3, column: 1, offset: 8}}})
    expect((paragraph as Element).children[0]).toMatchObject({type: 'text', value: '<eos>', position: {start: {line: 3, column: 1}, end: {line: 3, column: 6}}})
    expect((second as Element).children[1]).toMatchObject({type: 'text', value: '<RET>', position: {start: {line: 6, column: 9}, end: {line: 6, column: 14}}})
  })

  it('writes the tag from the tree when the source is not at hand', () => {
    const tree: Root = {
      type: 'root',
      children: [{type: 'element', tagName: 'p', properties: {}, children: [{type: 'element', tagName: 'ret', properties: {id: 'x'}, children: [{type: 'text', value: ' when'}]}]}]
    }
    rehypeStrayTags()(tree, new VFile())
    expect(toHtml(tree)).toBe('<p>&#x3C;ret id="x"> when</p>')
  })

  it.runIf(hasSeed)('shows the seed’s <RET> and leaves no unknown element', async () => {
    const {tree, file} = await toHast(readFileSync(seedPath, 'utf8'))
    const names = new Set<string>()
    visit(tree, 'element', (node: Element) => {
      names.add(node.tagName)
    })
    expect(names.has('ret')).toBe(false)
    expect(toHtml(tree)).toContain('via a special token &#x3C;RET> when it doesn\'t know the answer.')
    expect(file.messages).toEqual([])
  })
})
