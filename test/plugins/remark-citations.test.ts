import fc from 'fast-check'
import remarkParse from 'remark-parse'
import {unified} from 'unified'
import {VFile} from 'vfile'
import {describe, expect, it} from 'vitest'
import type {CitationLibrary} from '../../src/markdown/citations/library.js'
import {remarkCitations} from '../../src/markdown/citations/remark-citations.js'

const library: CitationLibrary = {
  files: [['refs.bib', [{id: 'okafor2023', type: 'book', title: 'Sparse Gardens'}, {id: 'mbeki2021', type: 'book', title: 'Counting Pebbles'}]]],
  defaults: ['refs.bib'],
  style: 'apa',
  numeric: false
}

/** The mdast after the plugin, as the list of raw HTML values it made (the citations) and the text left. */
function run(markdown: string): {cites: string[]; text: string} {
  const processor = unified().use(remarkParse).use(remarkCitations, {library})
  const file = new VFile({path: 'posts/x.md', value: markdown, data: {matter: {}}})
  const tree = processor.runSync(processor.parse(file), file)
  const cites: string[] = []
  let text = ''
  const walk = (node: {type: string; value?: string; children?: unknown[]}) => {
    if (node.type === 'html' && node.value?.startsWith('<d-cite')) cites.push(node.value)
    else if (node.type === 'text') text += node.value
    for (const child of (node.children ?? []) as Array<typeof node>) walk(child)
  }
  walk(tree as never)
  return {cites, text}
}

describe('remark-citations', () => {
  it('reads each pandoc form', () => {
    expect(run('A [@okafor2023] b.').cites).toEqual(['<d-cite key="okafor2023"></d-cite>'])
    expect(run('A [@okafor2023, p. 3].').cites).toEqual(['<d-cite key="okafor2023" data-items="[{&quot;key&quot;:&quot;okafor2023&quot;,&quot;locator&quot;:&quot;p. 3&quot;}]"></d-cite>'])
    expect(run('A [see @okafor2023; @mbeki2021].').cites[0]).toMatch(/^<d-cite key="okafor2023,mbeki2021" data-items=/)
    expect(run('As @mbeki2021 says.').cites).toEqual(['<d-cite key="mbeki2021" data-in-text=""></d-cite>'])
    expect(run('Unknown [@nobody] is still a citation (reported later).').cites).toEqual(['<d-cite key="nobody"></d-cite>'])
  })

  it('leaves e-mail addresses, @-mentions of no key, code and links alone', () => {
    for (const markdown of ['mail me@okafor2023.org', 'ping @someone', '`[@okafor2023]`', '[text @okafor2023](https://example.com)', 'x@mbeki2021', '[mail me@x.com]']) {
      expect(run(markdown).cites, markdown).toEqual([])
    }
  })

  it('never loses text: without a citation the text is unchanged, and each citation stands for exactly its own characters', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', ' ', '@', '[', ']', ';', ',', 'okafor2023', 'mbeki2021', 'p. 3', '-', '.', 'x@y.z', '\n'), {maxLength: 30}), (parts) => {
        const markdown = parts.join('')
        const {cites, text} = run(markdown)
        const plain = run(markdown.replace(/@/g, '＠')).text.replace(/＠/g, '@')
        if (cites.length === 0) expect(text).toBe(plain)
        else expect(text.length).toBeLessThan(plain.length)
      }),
      {numRuns: 300}
    )
  })
})
