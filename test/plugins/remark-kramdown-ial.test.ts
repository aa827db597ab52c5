import {describe, expect, it} from 'vitest'
import {parseAttributeList} from '../../src/markdown/kramdown/attribute-list.js'
import {remarkKramdownIal} from '../../src/markdown/kramdown/remark-kramdown-ial.js'
import {pluginFixtures} from '../plugin-fixtures.js'

pluginFixtures('remark-kramdown-ial', () => [], (options) => [[remarkKramdownIal, options]])

describe('parseAttributeList', () => {
  it('reads classes, ids, quoted attributes and references', () => {
    expect(parseAttributeList(' .a #b c="d e" f=\'g\' ref .h')).toEqual({
      id: 'b',
      classes: ['a', 'h'],
      attributes: [['c', 'd e'], ['f', 'g']],
      refs: ['ref'],
      problems: []
    })
  })

  it('splits class="…" into classes and reads id="…"', () => {
    const list = parseAttributeList('class="x y" id="z"')
    expect(list.classes).toEqual(['x', 'y'])
    expect(list.id).toBe('z')
  })

  it('refuses names that would carry quotes or angle brackets', () => {
    const list = parseAttributeList('.a"b class="<c>" #"d"')
    expect(list.classes).toEqual([])
    expect(list.id).toBeUndefined()
    expect(list.problems.length).toBeGreaterThan(0)
  })
})
