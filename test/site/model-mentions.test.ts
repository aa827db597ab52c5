import {describe, expect, it} from 'vitest'
import type {Model} from '../../src/markdown/compare/types.js'
import {mentions, modelsInPost} from '../../src/site/model-mentions.js'

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
})
