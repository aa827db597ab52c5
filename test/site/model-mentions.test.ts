import {describe, expect, it} from 'vitest'
import type {Model} from '../../src/markdown/compare/types.js'
import fc from 'fast-check'
import type {ElementContent, Root, RootContent} from 'hast'
import {fromHtml} from 'hast-util-from-html'
import {toHtml} from 'hast-util-to-html'
import {BLOCKS, mentionFinder, mentions, modelsInPost, proseOf} from '../../src/site/model-mentions.js'

/** The reference for proseOf: a real parse, skipping code, links, scripts, styles, SVG and figures, a space at each block's edges. */
function proseByParse(html: string): string {
  const parts: string[] = []
  const walk = (node: Root | RootContent): void => {
    if (node.type === 'text') parts.push(node.value)
    else if (node.type === 'element') {
      const figure = node.tagName === 'figure' && Array.isArray(node.properties.className) && node.properties.className.includes('galley-compare')
      if (figure || ['code', 'pre', 'a', 'script', 'style', 'svg'].includes(node.tagName)) return void parts.push(' ')
      const block = BLOCKS.has(node.tagName)
      if (block) parts.push(' ')
      for (const child of node.children) walk(child)
      if (block) parts.push(' ')
    } else if (node.type === 'root') for (const child of node.children) walk(child)
  }
  walk(fromHtml(html, {fragment: true}))
  return parts.join('')
}

const squash = (text: string) => text.replace(/\s+/g, ' ').trim()

const models: Model[] = [
  {id: 'alpha-7b', name: 'Alpha 7B', aliases: ['Alpha-7B'], figures: {}},
  {id: 'alpha-70b', name: 'Alpha 70B', aliases: [], figures: {}},
  {id: 'beta', name: 'Beta', aliases: [], figures: {}}
]

describe('model mentions', () => {
  it('finds names and aliases as whole words', () => {
    expect(mentions('We tried Alpha 7B today.', 'Alpha 7B')).toBe(true)
    expect(mentions('We tried Alpha 70B today.', 'Alpha 7B')).toBe(false)
    expect(mentions('Alphabet', 'Alpha')).toBe(false)
    expect(mentions('alpha\n7b', 'Alpha 7B')).toBe(true)
    expect(modelsInPost('<p>Alpha-7B beats Beta.</p>', {}, models)).toEqual(['alpha-7b', 'beta'])
  })

  it('does not count names inside code or links', () => {
    expect(modelsInPost('<p><code>Alpha 7B</code> and <a href="/x">Beta</a></p><pre><code>Alpha 70B</code></pre>', {}, models)).toEqual([])
  })

  it('adds the models front matter lists, and `models: false` turns detection off', () => {
    expect(modelsInPost('<p>Nothing.</p>', {models: ['alpha-70b']}, models)).toEqual(['alpha-70b'])
    expect(modelsInPost('<p>Beta.</p>', {models: false}, models)).toEqual([])
  })

  it('counts the models a comparison figure shows, even with `models: false`, but not the names written inside the figure', () => {
    const figure = '<figure class="galley-compare" id="compare-1" data-models="beta"><table><tbody><tr><th scope="row">Alpha 7B</th></tr></tbody></table></figure>'
    expect(modelsInPost(figure, {}, models)).toEqual(['beta'])
    expect(modelsInPost(figure, {models: false}, models)).toEqual(['beta'])
    expect(modelsInPost(`<p>Alpha 70B.</p>${figure}`, {models: false}, models)).toEqual(['beta'])
  })

  it('skips the parse when no name occurs in the HTML at all (the cheap check), and never misses a mention it would have found', () => {
    const finder = mentionFinder(models)
    expect(finder.mayMention('<p>Nothing here.</p>')).toBe(false)
    expect(finder.mayMention('<p>an ALPHA\n7b run</p>')).toBe(true)
    expect(mentionFinder([]).mayMention('<p>Alpha 7B</p>')).toBe(false)
    expect(modelsInPost('<p>We ran R&amp;D 1B.</p>', {}, [{id: 'rd', name: 'R&D 1B', aliases: [], figures: {}}])).toEqual(['rd'])
    expect(proseOf('<p>One <svg viewBox="0 0 1 1"/> Beta <script>if (a <b) "Alpha 7B"</script> end.</p>')).toBe(' One   Beta   end. ')
    // The check only skips work: with or without it, the same models are found.
    const words = fc.constantFrom('Alpha', '7B', 'Alpha-7B', 'Alpha 70B', 'Beta', 'beta', 'the', '<code>Beta</code>', '<a href="/b">Alpha 7B</a>', '-', '.', '\n')
    fc.assert(
      fc.property(fc.array(words, {maxLength: 12}), (parts) => {
        const html = `<p>${parts.join(' ')}</p>`
        const never = {mayMention: () => true}
        expect(modelsInPost(html, {}, models, finder)).toEqual(modelsInPost(html, {}, models, never))
      })
    )
  })

  it('reads the prose of rendered HTML as a parse does, without parsing (generated trees, serialised as the pipeline does)', () => {
    const word = fc.constantFrom('Alpha', '7B', 'Alpha 7B', 'Beta', 'a<b', 'R&D', 'x > y', '"quoted"', ' ', '\n', '—', 'é')
    const text = word.map((value): ElementContent => ({type: 'text', value}))
    const tree: fc.Arbitrary<ElementContent> = fc.letrec<{node: ElementContent}>((tie) => ({
      node: fc.oneof(
        {depthSize: 'small', withCrossShrink: true},
        text,
        fc.tuple(fc.constantFrom('p', 'em', 'strong', 'span', 'li', 'div', 'code', 'pre', 'a', 'td', 'svg', 'figure', 'h2', 'b'), fc.array(tie('node'), {maxLength: 4}), fc.boolean(), word).map(([tagName, children, flag, title]): ElementContent => ({
          type: 'element',
          tagName,
          properties: tagName === 'a' ? {href: '/x', title} : tagName === 'figure' && flag ? {className: ['galley-compare'], dataModels: 'beta'} : flag ? {title} : {},
          children: tagName === 'svg' ? [] : children
        })),
        fc.constant<ElementContent>({type: 'comment', value: ' Alpha 7B '})
      )
    })).node
    fc.assert(
      fc.property(fc.array(tree, {maxLength: 6}), (children) => {
        // The pipeline's bodies are serialised parsed trees (rehype-raw parses authors' HTML): so are these.
        const html = toHtml(fromHtml(toHtml({type: 'root', children}), {fragment: true}))
        expect(squash(proseOf(html))).toBe(squash(proseByParse(html)))
      }),
      {numRuns: 300}
    )
  })
})
