import {describe, expect, it} from 'vitest'
import {remarkMermaid, scopeStyle} from '../../src/markdown/diagrams/remark-mermaid.js'
import {pluginFixtures} from '../plugin-fixtures.js'
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {fixtures} from '../helpers.js'

pluginFixtures('remark-mermaid', () => [], (options) => [[remarkMermaid, options]])

describe('remark-mermaid output', () => {
  const read = (name: string) => readFileSync(path.join(fixtures, 'plugins/remark-mermaid', name, 'output.html'), 'utf8')

  it('draws the diagram as inline SVG that loads nothing from elsewhere and follows the text colour', () => {
    const html = read('flowchart')
    expect(html).toMatch(/<figure class="diagram diagram-mermaid"><svg [^>]*id="mermaid-[0-9a-f]{10}-1"/)
    for (const label of ['Draft', 'Ready?', 'Published', 'yes', 'no']) expect(html).toContain(`>${label}</text>`)
    expect(html).not.toMatch(/@import|fonts\.googleapis|<script|https?:\/\/(?!www\.w3\.org)/)
    expect(html).toContain('--fg:currentColor')
    expect(html).not.toContain('```')
  })

  it('scopes every style rule and id to its own diagram, so two diagrams on a page do not collide', () => {
    const html = read('two-diagrams')
    const ids = [...html.matchAll(/ id="([^"]+)"/g)].map((match) => match[1])
    expect(ids.length).toBeGreaterThan(2)
    expect(new Set(ids).size).toBe(ids.length)
    for (const match of html.matchAll(/url\(#([^)]+)\)/g)) expect(ids).toContain(match[1])
    const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((match) => match[1] ?? '')
    expect(styles).toHaveLength(2)
    styles.forEach((css, index) => {
      const selectors = [...css.matchAll(/([^{}]+)\{[^{}]*\}/g)].flatMap((rule) => (rule[1] ?? '').split(',').map((selector) => selector.trim()))
      expect(selectors.length).toBeGreaterThan(1)
      for (const selector of selectors) expect(selector).toMatch(new RegExp(`^#mermaid-[0-9a-f]{10}-${index + 1}( [.\\w-]+)?$`))
      expect(css.replace(/([^{}]+)\{[^{}]*\}/g, '').trim()).toBe('')
    })
  })

  it('keeps a diagram it cannot draw as code, with a warning at its line', () => {
    expect(read('cannot-draw')).toContain('<code class="language-mermaid">pie title Breakfast')
    expect(readFileSync(path.join(fixtures, 'plugins/remark-mermaid/cannot-draw/messages.txt'), 'utf8')).toMatch(/^posts\/2024-05-12-case\.md:3:1: warning: this mermaid diagram cannot be drawn \(.+\); it is kept as code \(mermaid\)\n$/)
  })

  it('scopes selector lists and drops imports', () => {
    expect(scopeStyle("@import url('https://x.test/f.css?family=A:wght@400;500&amp;display=swap');\n  text, .mono { a: b; }\n  svg { --c: d; }", 'm')).toBe('\n  #m text, #m .mono { a: b; }\n  #m { --c: d; }')
  })
})
