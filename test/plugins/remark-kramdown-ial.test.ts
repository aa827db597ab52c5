import remarkParse from 'remark-parse'
import {unified} from 'unified'
import {VFile} from 'vfile'
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

describe('remarkKramdownIal positions', () => {
  it('gives each part of a split paragraph its own lines, and messages the line of a dropped list', () => {
    const file = new VFile({path: 'posts/x.md', value: '![a](b.png)\n{: .c}\n*cap*\n{:.d}\n\n\n{: .lost}\n\nEnd.\n'})
    const processor = unified().use(remarkParse).use(remarkKramdownIal)
    const tree = processor.runSync(processor.parse(file), file)
    const lines = tree.children.map((node) => [node.position?.start.line, node.position?.end.line])
    expect(lines).toEqual([[1, 1], [3, 3], [9, 9]])
    expect(file.messages.map((message) => [message.line, message.column, message.ruleId])).toEqual([[7, 1, 'kramdown-ial']])
  })
})
