import type {Element, Root} from 'hast'
import rehypeRaw from 'rehype-raw'
import rehypeStringify from 'rehype-stringify'
import remarkParse from 'remark-parse'
import remarkRehype from 'remark-rehype'
import {unified} from 'unified'
import {visit} from 'unist-util-visit'
import {VFile} from 'vfile'
import {describe, expect, it} from 'vitest'
import {codeStylesheet, createCodeHighlighter, rehypeHighlightCode, type CodeHighlighter} from '../../src/markdown/rehype-highlight-code.js'
import {pluginFixtures} from '../plugin-fixtures.js'

/** One highlighter for the whole file: grammars are compiled once, as in a build. */
const highlighter = createCodeHighlighter()

pluginFixtures('rehype-highlight-code', (options) => [[rehypeHighlightCode, {...options, highlighter}]])

/** The real highlighter, counting the blocks it is asked to highlight. */
function counting(inner: CodeHighlighter): CodeHighlighter & {calls: number} {
  const wrapper = {
    calls: 0,
    themes: inner.themes,
    language: (name: string) => inner.language(name),
    stylesheet: () => inner.stylesheet(),
    highlight(code: string, language: string) {
      wrapper.calls++
      return inner.highlight(code, language)
    }
  }
  return wrapper
}

function render(markdown: string, plugin: Parameters<typeof rehypeHighlightCode>[0]) {
  const processor = unified().use(remarkParse).use(remarkRehype, {allowDangerousHtml: true}).use(rehypeRaw).use(rehypeHighlightCode, plugin).use(rehypeStringify)
  const file = new VFile({path: 'posts/x.md', value: markdown})
  return processor.process(file).then((result) => ({html: String(result.value), file}))
}

describe('rehypeHighlightCode cache', () => {
  const markdown = '```python\nprint("hi")\n```\n'

  it('highlights a block once and serves the same block from the cache afterwards, across processors', async () => {
    const cache = new Map<string, Element>()
    const spy = counting(highlighter)
    const first = await render(markdown, {cache, highlighter: spy})
    const second = await render(markdown, {cache, highlighter: spy})
    const alias = await render('```py\nprint("hi")\n```\n', {cache, highlighter: spy})
    expect(spy.calls).toBe(1)
    expect(cache.size).toBe(1)
    expect(second.html).toBe(first.html)
    // Same block under an alias: same cache entry, the author's class kept.
    expect(alias.html).toBe(first.html.replace('language-python', 'language-py'))
  })

  it('hands out clones: changing one page’s tree leaves the cache intact', async () => {
    const cache = new Map<string, Element>()
    const mutate = () => (tree: Root) => {
      visit(tree, 'text', (node) => {
        node.value = node.value.toUpperCase()
      })
    }
    const processor = unified().use(remarkParse).use(remarkRehype).use(rehypeHighlightCode, {cache, highlighter}).use(mutate).use(rehypeStringify)
    await processor.process(markdown)
    const again = await render(markdown, {cache, highlighter})
    expect(again.html).toContain('"hi"')
  })

  it('keys on the code: a changed block is highlighted again', async () => {
    const cache = new Map<string, Element>()
    const spy = counting(highlighter)
    await render(markdown, {cache, highlighter: spy})
    await render(markdown.replace('hi', 'ho'), {cache, highlighter: spy})
    expect(spy.calls).toBe(2)
    expect(cache.size).toBe(2)
  })
})

describe('rehypeHighlightCode output', () => {
  it('keeps the positions of the pre and code it replaces', async () => {
    const processor = unified().use(remarkParse).use(remarkRehype).use(rehypeHighlightCode, {highlighter})
    const tree = await processor.run(processor.parse('Text.\n\n```js\nlet a\n```\n'))
    const pre = (tree as Root).children.find((node): node is Element => node.type === 'element' && node.tagName === 'pre')
    expect(pre?.position?.start).toMatchObject({line: 3, column: 1})
    expect(pre?.position?.end).toMatchObject({line: 5, column: 4})
    const code = pre?.children[0]
    expect(code?.type === 'element' && code.position?.start.line).toBe(3)
  })

  it('uses classes only, and the stylesheet has a rule for every class it uses', async () => {
    const samples: Record<string, string> = {
      python: 'import os\n@decorator\nclass A(B):\n    """doc"""\n    def f(self, x=1, *a, **k):\n        return f"{x!r}" if x else None  # c\n',
      ts: 'export async function f<T extends object>(x: T): Promise<void> { const re = /a+/g; await g(`t${x}`) }\n',
      bash: 'for f in *.md; do echo "${f%.md}" | sed -e \'s/a/b/\' >> out; done\n',
      markdown: '# Title\n\n*it* **bold** ~~gone~~ [link](https://example.com) `code`\n\n> quote\n',
      diff: '--- a\n+++ b\n@@ -1 +1 @@\n-old\n+new\n',
      html: '<!doctype html><style>p{color:red}</style><script>let a = 1</script><p class="x">&amp;</p>\n',
      css: '@media (min-width: 1px) { a:hover { color: #fff !important; } }\n',
      json: '{"a": [1, true, null, "s"]}\n',
      yaml: 'key: value\nlist:\n  - 1 # c\n',
      rust: 'fn main() { let x: &str = "a"; println!("{}", x); }\n',
      sql: 'SELECT a, COUNT(*) FROM t WHERE b = \'x\' GROUP BY a;\n',
      latex: '\\section{A} $x^2$ \\textbf{b} % c\n'
    }
    const markdown = Object.entries(samples)
      .map(([lang, code]) => '```' + lang + '\n' + code + '```\n')
      .join('\n')
    const {html, file} = await render(markdown, {highlighter})
    expect(file.messages).toEqual([])
    expect(html).not.toContain('style=')
    const css = await highlighter.stylesheet()
    const used = new Set([...html.matchAll(/class="([^"]*)"/g)].flatMap((match) => (match[1] ?? '').split(' ')))
    for (const name of used) {
      if (name === 'line' || name.startsWith('language-')) continue
      expect(css, name).toContain(`.${name} {`)
    }
    expect(used.size).toBeGreaterThan(20)
  })

  it('codeStylesheet gives the light colours first and the dark ones under the media query', async () => {
    const css = await codeStylesheet()
    const dark = css.indexOf('@media (prefers-color-scheme: dark)')
    expect(css.indexOf('.shiki .l-d73a49 { color: #d73a49; }')).toBeGreaterThan(-1)
    expect(css.indexOf('.shiki .l-d73a49 {')).toBeLessThan(dark)
    expect(css.indexOf('.shiki .d-f97583 { color: #f97583; }')).toBeGreaterThan(dark)
    expect(css).toBe(await highlighter.stylesheet())
  })

  it('resolves fence languages through shiki’s aliases and ours', async () => {
    const table: Record<string, string | undefined> = {
      py: 'python',
      python3: 'python',
      sh: 'shellscript',
      shell: 'shellscript',
      bash: 'shellscript',
      console: 'shellsession',
      js: 'javascript',
      ts: 'typescript',
      yml: 'yaml',
      'c++': 'cpp',
      jsonc: 'jsonc',
      dockerfile: 'docker',
      bibtex: 'bibtex',
      text: 'text',
      plaintext: 'text',
      none: 'text',
      '': 'text',
      curl: undefined,
      code: undefined
    }
    for (const [name, id] of Object.entries(table)) expect(await highlighter.language(name), name).toBe(id)
  })
})
