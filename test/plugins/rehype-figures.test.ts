import {describe, expect, it} from 'vitest'
import {isCaptionLike} from '../../src/markdown/figures/caption-like.js'
import {rehypeCrossReferences} from '../../src/markdown/figures/rehype-cross-references.js'
import {rehypeFigures} from '../../src/markdown/figures/rehype-figures.js'
import {remarkEquationLabels} from '../../src/markdown/figures/remark-equation-labels.js'
import {mathPlugins} from '../../src/markdown/math.js'
import {rehypeImages} from '../../src/markdown/rehype-images.js'
import {pluginFixtures} from '../plugin-fixtures.js'

const math = mathPlugins()

pluginFixtures(
  'rehype-figures',
  (options) => [...math.rehype, [rehypeImages, {lazy: false}], [rehypeFigures, options], [rehypeCrossReferences, options]],
  () => [...math.remark, remarkEquationLabels]
)

describe('isCaptionLike', () => {
  it.each([
    'A comparison of two models on one benchmark. (Annotated figure based on a plot from https://example.com/a.b)',
    'Training loss per step',
    'Fig. 2 shows the same data on a log scale.',
    'Source: the authors’ own measurements.'
  ])('reads %j as a caption', (text) => {
    expect(isCaptionLike(text)).toBe(true)
  })

  it.each([
    ['a lead-in', 'Here are the most interesting bits:'],
    ['two sentences', 'The first run diverged. The second one did not.'],
    ['the writer speaking', 'In short, I recommend reading the appendix too.'],
    ['the reader addressed', 'Note how your own runs may differ here.'],
    ['a section title', '3.4 Conclusion'],
    ['too long', 'word '.repeat(45)],
    ['empty', '   ']
  ])('does not read %s as a caption', (_name, text) => {
    expect(isCaptionLike(text)).toBe(false)
  })
})
