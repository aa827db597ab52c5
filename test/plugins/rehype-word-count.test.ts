import rehypeParse from 'rehype-parse'
import {unified} from 'unified'
import {VFile} from 'vfile'
import {describe, expect, it} from 'vitest'
import fc from 'fast-check'
import {countWords, rehypeWordCount} from '../../src/markdown/rehype-word-count.js'

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

describe('countWords in one pass', () => {
  // The patterns it replaced, as the reference.
  const cjk = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/gu
  const reference = (text: string) => (text.match(cjk)?.length ?? 0) + (text.replace(cjk, ' ').match(/[\p{L}\p{N}][\p{L}\p{N}\p{M}'’_-]*/gu)?.length ?? 0)

  it('counts as the patterns do, on any text (letters, marks, joiners, CJK, astral and lone surrogates)', () => {
    const pieces = ['a', 'Z', '9', ' ', "'", '’', '_', '-', '.', 'é', 'e\u0301', '\u0301', 'ß', 'Ж', '٣', '漢', 'か', 'カ', '한', '𝒜', '😀', '\ud800', '\udc00', '\n', '\u00a0', 'don\'t', '8x22B']
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), {maxLength: 40}), fc.string({unit: 'grapheme', maxLength: 20}), (parts, extra) => {
        const text = parts.join('') + extra
        expect(countWords(text)).toBe(reference(text))
      }),
      {numRuns: 3000}
    )
  })
})
