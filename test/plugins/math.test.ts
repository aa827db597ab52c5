import path from 'node:path'
import rehypeStringify from 'rehype-stringify'
import remarkParse from 'remark-parse'
import remarkRehype from 'remark-rehype'
import {unified} from 'unified'
import {VFile} from 'vfile'
import {describe, expect, it} from 'vitest'
import {katexAssets} from '../../src/markdown/katex-assets.js'
import {mathPlugins} from '../../src/markdown/math.js'
import {existsSync} from 'node:fs'
import {pluginFixtures} from '../plugin-fixtures.js'

pluginFixtures(
  'math',
  (options) => mathPlugins(options).rehype,
  (options) => mathPlugins(options).remark
)

async function render(markdown: string) {
  const {remark, rehype} = mathPlugins()
  const file = new VFile({path: 'posts/x.md', value: markdown})
  const result = await unified().use(remarkParse).use(remark).use(remarkRehype).use(rehype).use(rehypeStringify).process(file)
  return {html: String(result.value), file}
}

describe('math', () => {
  it('the kramdown $$ rules read blank lines and CRLF without a malformed token (vitest runs micromark\'s checking build)', () => {
    const processor = unified().use(remarkParse).use(mathPlugins({kramdown: true}).remark)
    for (const source of ['$$\r\n\n', '$$\n\nx\n$$\n', '$$\r\n\r\nx$$\r\n', '$$\nx\n\n$$\n', '$$a  \n- b$$  \n\n']) {
      expect(() => processor.runSync(processor.parse(source)), JSON.stringify(source)).not.toThrow()
    }
  })

  it('what KaTeX prints itself becomes a warning at the formula, never console output', async () => {
    const printed: string[] = []
    const original = {log: console.log, warn: console.warn, error: console.error}
    console.log = console.warn = console.error = (...args: unknown[]) => void printed.push(args.join(' '))
    let file: VFile
    try {
      ;({file} = await render('Intro.\n\n$$\n\\message{hello} x\n$$\n\n$$\n\\text{\\textbf{ᚠ}}\n$$\n'))
    } finally {
      Object.assign(console, original)
    }
    expect(printed).toEqual([])
    expect(file.messages.map((message) => `${message.line}:${message.column} ${message.reason} (${message.ruleId})`)).toEqual([
      '3:1 KaTeX, in display math `\\message{hello} x`: hello (math)',
      "7:1 KaTeX, in display math `\\text{\\textbf{ᚠ}}`: No character metrics for 'ᚠ' in style 'Main-Bold' and mode 'text' (math)"
    ])
  })

  it('marks files with math, and only those', async () => {
    expect((await render('$$x$$')).file.data.math).toBe(true)
    expect((await render('\\\\(x\\\\)')).file.data.math).toBe(true)
    expect((await render('costs $5')).file.data.math).toBeUndefined()
    // Nothing rendered: no KaTeX stylesheet needed.
    expect((await render('$$\\frac{$$')).file.data.math).toBeUndefined()
  })

  it('maps positions of escaped math back through the markdown escapes', async () => {
    const {file} = await render('Text \\\\(\\foo\\\\) after')
    expect(file.messages).toHaveLength(1)
    expect(file.messages[0]?.place).toMatchObject({start: {line: 1, column: 6}, end: {line: 1, column: 16}})
  })

  it('never prints: KaTeX strict warnings are off', async () => {
    const {html, file} = await render('$$é$$')
    expect(html).toContain('class="katex"')
    expect(file.messages).toEqual([])
  })

  it('lists katex.min.css and the woff2 fonts, all existing', () => {
    const assets = katexAssets()
    expect(assets[0]?.to).toBe('assets/katex/katex.min.css')
    const fonts = assets.slice(1)
    expect(fonts.length).toBeGreaterThan(10)
    for (const asset of assets) {
      expect(path.isAbsolute(asset.from)).toBe(true)
      expect(existsSync(asset.from), asset.from).toBe(true)
    }
    for (const font of fonts) expect(font.to).toMatch(/^assets\/katex\/fonts\/KaTeX_[\w-]+\.woff2$/)
  })
})
