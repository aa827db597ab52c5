import rehypeParse from 'rehype-parse'
import {unified} from 'unified'
import {VFile} from 'vfile'
import {describe, expect, it} from 'vitest'
import {rehypeWordCount} from '../../src/markdown/rehype-word-count.js'

async function wordsOf(html: string): Promise<number | undefined> {
  const file = new VFile({value: html})
  const processor = unified().use(rehypeParse, {fragment: true}).use(rehypeWordCount)
  await processor.run(processor.parse(file), file)
  return file.data.words
}

describe('rehype-word-count', () => {
  it('counts the words of prose, across elements', async () => {
    expect(await wordsOf('<h2>Two words</h2><p>Three <em>more</em> words.</p>')).toBe(5)
  })

  it('leaves out code, scripts and math', async () => {
    const html = '<p>One two</p><pre><code>for x in range(10): print(x)</code></pre><p>three <code>inline_code</code></p><script>var a = 1</script><span class="katex"><span class="katex-mathml">x squared plus y</span></span><math><mi>x</mi></math>'
    expect(await wordsOf(html)).toBe(3)
  })

  it('is 0 for an empty body', async () => {
    expect(await wordsOf('')).toBe(0)
  })
})
