import {toHtml} from 'hast-util-to-html'
import {describe, expect, it} from 'vitest'
import {barChart, intersects, linearScale, linearTicks, logScale, logTicks, placeLabels, scatterChart} from '../../src/markdown/compare/chart.js'
import {formatValue} from '../../src/markdown/compare/remark-compare.js'
import {remarkCompare} from '../../src/markdown/compare/remark-compare.js'
import {pluginFixtures} from '../plugin-fixtures.js'

pluginFixtures('remark-compare', () => [], (options) => [[remarkCompare, options]])

describe('ticks and scales', () => {
  it('gives round linear ticks, one tick for equal values, and handles zero and negatives', () => {
    expect(linearTicks(0, 10)).toEqual([0, 2, 4, 6, 8, 10])
    expect(linearTicks(-3, 3)).toEqual([-2, 0, 2])
    expect(linearTicks(5, 5)).toEqual([5])
    const one = linearScale([5], 0, 100)
    expect(one(5)).toBe(50)
    const zero = linearScale([0, 0], 0, 100)
    expect(zero(0)).toBe(50)
  })

  it('gives powers of ten (with 2 and 5 over a short range) on a log axis', () => {
    expect(logTicks(1e8, 1e11)).toEqual([1e8, 1e9, 1e10, 1e11])
    expect(logTicks(1, 100)).toEqual([1, 2, 5, 10, 20, 50, 100])
    expect(logTicks(0, 10)).toEqual([])
    const scale = logScale([1e9, 1e10], 0, 100)
    expect(scale(1e9)).toBeLessThan(scale(1e10))
    expect(logScale([8e9], 0, 100)(8e9)).toBe(50)
  })

  it('formats figures with their units', () => {
    expect(formatValue('parameters', 8e9)).toBe('8B')
    expect(formatValue('parameters', 2.7e8)).toBe('270M')
    expect(formatValue('training_tokens', 15e12)).toBe('15T')
    expect(formatValue('vocab_size', 128256)).toBe('128,256')
    expect(formatValue('scores.mmlu', 66.6)).toBe('66.6')
  })
})

describe('label placement', () => {
  it('keeps labels apart on crowded data', () => {
    const points = Array.from({length: 12}, (_, index) => ({x: 200 + (index % 3) * 3, y: 200 + index * 2, label: `Model number ${index}`}))
    const boxes = placeLabels(points, {x: 0, y: 0, width: 640, height: 400})
    for (const [i, a] of boxes.entries()) for (const b of boxes.slice(i + 1)) expect(intersects(a, b)).toBe(false)
  })
})

describe('charts', () => {
  const data = [
    {label: 'A', x: 1e9, y: 40, group: 'a'},
    {label: 'B', x: 7e9, y: 60, group: 'a'},
    {label: 'C', x: 3e9, y: 55, group: 'b'}
  ]
  const scatter = () =>
    toHtml(scatterChart({id: 'c', title: 'T', desc: 'D', data, xLabel: 'X', yLabel: 'Y', xLog: true, formatX: String, formatY: String, lineByGroup: true}), {space: 'svg'})

  it('draws the same bytes for the same data, with a title, a description and no script', () => {
    expect(scatter()).toBe(scatter())
    expect(scatter()).toMatch(/^<svg [^>]*role="img"[^>]*aria-labelledby="c-title c-desc"/)
    expect(scatter()).toContain('<title id="c-title">T</title><desc id="c-desc">D</desc>')
    expect(scatter()).not.toContain('<script')
    expect(scatter()).toMatch(/viewBox="0 0 440 \d+"/)
    const bars = toHtml(barChart({id: 'b', title: 'T', desc: 'D', data, xLabel: 'X', formatX: String}), {space: 'svg'})
    expect(bars.indexOf('>B<')).toBeLessThan(bars.indexOf('>C<'))
  })
})
