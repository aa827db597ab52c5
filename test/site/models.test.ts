import {VFile} from 'vfile'
import {describe, expect, it} from 'vitest'
import {parseModels, parseQuantity} from '../../src/site/models.js'
import {formatMessages} from '../../src/report.js'

const parse = (text: string) => {
  const file = new VFile({path: 'data/models.yml', value: text})
  const result = parseModels(text, file)
  return {...result, messages: formatMessages([file])}
}

describe('parseQuantity', () => {
  it('reads units as numbers', () => {
    expect(parseQuantity('8B')).toBe(8e9)
    expect(parseQuantity('141B')).toBe(141e9)
    expect(parseQuantity('270M')).toBe(270e6)
    expect(parseQuantity('15T')).toBe(15e12)
    expect(parseQuantity('1.1B')).toBe(1.1e9)
    expect(parseQuantity('128,256')).toBe(128256)
    expect(parseQuantity(8192)).toBe(8192)
    expect(parseQuantity('8X')).toBeUndefined()
  })
})

describe('parseModels', () => {
  it('validates and normalises a model', () => {
    const {data, messages} = parse(
      [
        'llama-3-8b:',
        '  name: Llama 3 8B',
        '  aliases: [Llama-3-8B]',
        '  family: llama',
        '  architecture: dense',
        '  parameters: 8B',
        '  training_tokens: {value: 15T, source: "https://example.com/card"}',
        '  context_length: 8192',
        '  scores:',
        '    mmlu: {value: 66.6, eval: 5-shot, source: "https://example.com/card"}',
        ''
      ].join('\n')
    )
    expect(messages).toEqual([])
    expect(data?.models[0]).toEqual({
      id: 'llama-3-8b',
      name: 'Llama 3 8B',
      aliases: ['Llama-3-8B'],
      family: 'llama',
      architecture: 'dense',
      figures: {
        parameters: {value: 8e9},
        // Dense: every parameter is active.
        active_parameters: {value: 8e9},
        training_tokens: {value: 15e12, source: 'https://example.com/card'},
        context_length: {value: 8192},
        'scores.mmlu': {value: 66.6, eval: '5-shot', source: 'https://example.com/card'}
      }
    })
    expect(data?.hash).toMatch(/^[0-9a-f]{16}$/)
  })

  it('puts a wrong type, an unknown unit and an unknown key at their line and column', () => {
    const {data, messages} = parse(['a:', '  name: A', '  parameters: 8X', '  context_length: [1]', '  colour: red', ''].join('\n'))
    expect(data).toBeUndefined()
    expect(messages.join('\n')).toContain('data/models.yml:3:15')
    expect(messages.join('\n')).toContain('unknown unit')
    expect(messages.join('\n')).toContain('data/models.yml:4:19')
    expect(messages.join('\n')).toMatch(/data\/models\.yml:5:3: .*colour/)
  })

  it('reports a duplicate id at its line', () => {
    const {data, messages} = parse(['a:', '  name: A', 'a:', '  name: B', ''].join('\n'))
    expect(data).toBeUndefined()
    expect(messages.join('\n')).toMatch(/data\/models\.yml:3:1: .*duplicate/)
  })

  it('warns about a score without a source', () => {
    const {data, messages} = parse(['a:', '  name: A', '  scores:', '    mmlu: 60', ''].join('\n'))
    expect(data?.models).toHaveLength(1)
    expect(messages.join('\n')).toMatch(/data\/models\.yml:4:11: warning.*no source/)
  })

  it('takes only http(s) URLs as sources (a source becomes a link)', () => {
    const {data, messages} = parse(['a:', '  name: A', '  parameters: {value: 1B, source: "javascript:alert(1)"}', ''].join('\n'))
    expect(data).toBeUndefined()
    expect(messages.join('\n')).toMatch(/data\/models\.yml:3:\d+: error: `a\.parameters\.source`: a source is an http or https URL \(models\)/)
  })
})
