import {describe, expect, it} from 'vitest'
import type {Model} from '../../src/markdown/compare/types.js'
import fc from 'fast-check'
import {mentionFinder, mentions, modelsInPost} from '../../src/site/model-mentions.js'

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
})
