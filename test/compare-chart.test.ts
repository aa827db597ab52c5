import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {intersects, labelWidth, linearScale, linearTicks, logScale, logTicks, MARK, placeLabels, WIDTH} from '../src/markdown/compare/chart.js'

/** Whether `value` is 1, 2 or 5 times a power of ten (a round tick step or log tick). */
function isRound(value: number): boolean {
  const power = 10 ** Math.floor(Math.log10(Math.abs(value)) + 1e-9)
  return [1, 2, 5, 10].some((factor) => Math.abs(Math.abs(value) / power - factor) < 1e-6)
}

describe('linear ticks', () => {
  it('are round steps over positive, negative and mixed ranges, and one tick for equal values', () => {
    expect(linearTicks(0, 10)).toEqual([0, 2, 4, 6, 8, 10])
    expect(linearTicks(-10, -2)).toEqual([-10, -8, -6, -4, -2])
    expect(linearTicks(-3, 3)).toEqual([-2, 0, 2])
    expect(linearTicks(0, 0.1)).toEqual([0, 0.02, 0.04, 0.06, 0.08, 0.1])
    expect(linearTicks(0, 15e12)).toEqual([0, 5e12, 10e12, 15e12])
    expect(linearTicks(7, 7)).toEqual([7])
    expect(linearTicks(0, 0)).toEqual([0])
    expect(linearTicks(Number.NaN, 1)).toEqual([])
  })

  it('for any range: ascending, inside it, evenly spaced by a round step, between 2 and 11 of them', () => {
    fc.assert(
      fc.property(fc.double({min: -1e13, max: 1e13, noNaN: true}), fc.double({min: 1e-3, max: 1e13, noNaN: true}), (min, span) => {
        const max = min + span
        fc.pre(max > min && span / Math.max(Math.abs(min), Math.abs(max)) > 1e-9)
        const ticks = linearTicks(min, max)
        expect(ticks.length).toBeGreaterThanOrEqual(2)
        expect(ticks.length).toBeLessThanOrEqual(11)
        const step = (ticks[1] as number) - (ticks[0] as number)
        expect(isRound(step)).toBe(true)
        for (const [index, tick] of ticks.entries()) {
          expect(tick).toBeGreaterThanOrEqual(min - step * 1e-6)
          expect(tick).toBeLessThanOrEqual(max + step * 1e-6)
          if (index > 0) expect(Math.abs(tick - (ticks[index - 1] as number) - step)).toBeLessThan(step * 1e-6 + 1e-9)
        }
      })
    )
  })
})

describe('log ticks', () => {
  it('are powers of ten, with 2 and 5 between them over two decades or less, and none without positive bounds', () => {
    expect(logTicks(1e8, 1e11)).toEqual([1e8, 1e9, 1e10, 1e11])
    expect(logTicks(1, 100)).toEqual([1, 2, 5, 10, 20, 50, 100])
    expect(logTicks(3e9, 4e9)).toEqual([])
    expect(logTicks(0, 10)).toEqual([])
    expect(logTicks(-5, 10)).toEqual([])
  })

  it('for any positive range: ascending, inside it, each 1, 2 or 5 times a power of ten', () => {
    fc.assert(
      fc.property(fc.double({min: 1e-3, max: 1e13, noNaN: true}), fc.double({min: 1.0001, max: 1e6, noNaN: true}), (min, ratio) => {
        const max = min * ratio
        const ticks = logTicks(min, max)
        for (const [index, tick] of ticks.entries()) {
          expect(isRound(tick)).toBe(true)
          expect(tick).toBeGreaterThanOrEqual(min / 1.0001)
          expect(tick).toBeLessThanOrEqual(max * 1.0001)
          if (index > 0) expect(tick).toBeGreaterThan(ticks[index - 1] as number)
        }
        if (ratio >= 10) expect(ticks.length).toBeGreaterThanOrEqual(1)
      })
    )
  })
})

describe('scales', () => {
  it('put one point, and equal values, in the middle', () => {
    expect(linearScale([5], 0, 100)(5)).toBe(50)
    expect(linearScale([3, 3, 3], 0, 100)(3)).toBe(50)
    expect(linearScale([3, 3], 0, 100).ticks.length).toBeGreaterThan(0)
    expect(linearScale([0, 0], 0, 100)(0)).toBe(50)
    expect(linearScale([-4], 0, 100)(-4)).toBe(50)
    expect(logScale([8e9], 0, 100)(8e9)).toBe(50)
    expect(logScale([8e9, 8e9], 0, 100).ticks.length).toBeGreaterThan(0)
  })

  it('take in zero for bars, place negatives below it, and run either way on screen', () => {
    const bars = linearScale([3, 7], 100, 500, {zero: true})
    expect(bars(0)).toBe(100)
    expect(bars.ticks[0]).toBe(0)
    const mixed = linearScale([-5, 5], 0, 100)
    expect(mixed(-5)).toBeLessThan(mixed(0))
    expect(mixed(0)).toBeLessThan(mixed(5))
    expect(mixed(0)).toBe(50)
    // A y axis: larger values higher up (smaller pixel y).
    const y = linearScale([60, 80], 300, 20)
    expect(y(80)).toBeLessThan(y(60))
  })

  it('a log scale leaves out zero and negative values and orders the rest', () => {
    const scale = logScale([0, -1, 10, 100], 0, 100)
    expect(scale(10)).toBeLessThan(scale(100))
    expect(scale(10)).toBeGreaterThanOrEqual(0)
    expect(scale(100)).toBeLessThanOrEqual(100)
  })

  it('keep every value of the data inside the pixel range, monotonically', () => {
    fc.assert(
      fc.property(fc.array(fc.double({min: -1e12, max: 1e12, noNaN: true}), {minLength: 1, maxLength: 20}), (values) => {
        const scale = linearScale(values, 40, 400)
        const sorted = [...values].sort((a, b) => a - b)
        for (const value of sorted) {
          expect(scale(value)).toBeGreaterThanOrEqual(40)
          expect(scale(value)).toBeLessThanOrEqual(400)
        }
        for (let index = 1; index < sorted.length; index++) expect(scale(sorted[index] as number)).toBeGreaterThanOrEqual(scale(sorted[index - 1] as number))
      })
    )
  })
})

describe('label placement', () => {
  const bounds = {x: 60, y: 20, width: WIDTH - 76, height: 290}

  it('keeps labels apart, off every point and inside the plot on generated crowded data', () => {
    const point = fc.record({
      // Crowded: every point within a 60-unit square somewhere in the plot.
      dx: fc.integer({min: 0, max: 60}),
      dy: fc.integer({min: 0, max: 60}),
      label: fc.string({minLength: 1, maxLength: 16})
    })
    fc.assert(
      fc.property(fc.integer({min: 0, max: bounds.width - 60}), fc.integer({min: 0, max: bounds.height - 60}), fc.array(point, {minLength: 2, maxLength: 12}), (left, top, raw) => {
        const points = raw.map((one) => ({x: bounds.x + left + one.dx, y: bounds.y + top + one.dy, label: one.label}))
        const boxes = placeLabels(points, bounds)
        expect(boxes).toHaveLength(points.length)
        for (const [i, box] of boxes.entries()) {
          expect(box.width).toBe(labelWidth(points[i]?.label ?? ''))
          expect(box.x).toBeGreaterThanOrEqual(bounds.x)
          expect(box.y).toBeGreaterThanOrEqual(bounds.y)
          expect(box.x + box.width).toBeLessThanOrEqual(bounds.x + bounds.width)
          expect(box.y + box.height).toBeLessThanOrEqual(bounds.y + bounds.height)
          for (const other of boxes.slice(i + 1)) expect(intersects(box, other), `${JSON.stringify(box)} and ${JSON.stringify(other)}`).toBe(false)
          for (const mark of points) expect(intersects(box, {x: mark.x - MARK, y: mark.y - MARK, width: 2 * MARK, height: 2 * MARK})).toBe(false)
        }
      }),
      {numRuns: 150}
    )
  })

  it('puts a label next to its point when there is room, and joins a displaced one to it by a leader line', () => {
    const [alone] = placeLabels([{x: 100, y: 100, label: 'Alone'}], bounds)
    expect(alone?.leader).toBe(false)
    expect(alone?.x).toBe(100 + MARK + 3)
    // Eight points on one spot: only a few labels fit beside it, the rest move away with leaders.
    const crowd = placeLabels(Array.from({length: 8}, (_, index) => ({x: 200, y: 150, label: `Model ${index}`})), bounds)
    expect(crowd.some((box) => box.leader)).toBe(true)
    expect(crowd.some((box) => !box.leader)).toBe(true)
  })

  it('is deterministic', () => {
    const points = Array.from({length: 10}, (_, index) => ({x: 150 + (index % 3) * 5, y: 120 + index * 3, label: `Model number ${index}`}))
    expect(placeLabels(points, bounds)).toEqual(placeLabels(points, bounds))
  })
})
