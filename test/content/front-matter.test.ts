import {describe, expect, it} from 'vitest'
import {VFile} from 'vfile'
import {readFrontMatter} from '../../src/content/front-matter.js'

function read(value: string) {
  const file = new VFile({path: 'posts/x.md', value})
  try {
    return {file, matter: readFrontMatter(file)}
  } catch (error) {
    return {file, error}
  }
}

describe('readFrontMatter', () => {
  it('parses YAML and blanks the block, keeping every line', () => {
    const {matter} = read('---\ntitle: Hi <br> there\nauthor: A\n---\nBody line\n')
    expect(matter?.data).toEqual({title: 'Hi <br> there', author: 'A'})
    expect(matter?.body).toBe('\n\n\n\nBody line\n')
    expect(matter?.body.split('\n')[4]).toBe('Body line')
    expect(matter?.keyLines).toEqual({title: 2, author: 3})
  })

  it('keeps dates as the text the author wrote (no YAML timestamp type)', () => {
    const {matter} = read('---\ndate: 2024-05-12 00:00:00 +09:00\nother: 2024-05-12\n---\n')
    expect(matter?.data.date).toBe('2024-05-12 00:00:00 +09:00')
    expect(matter?.data.other).toBe('2024-05-12')
  })

  it('returns the text unchanged when there is no front matter', () => {
    const {matter} = read('# Title\n\ntext\n')
    expect(matter?.present).toBe(false)
    expect(matter?.body).toBe('# Title\n\ntext\n')
  })

  it.each([
    ['a bad indent on line 4', '---\ntitle: ok\nauthor: me\n  bad: indent\n---\nbody\n', 4],
    ['an unclosed quote on line 3', '---\nlayout: post\ntitle: "unclosed\nauthor: me\n---\n', 5],
    ['a tab-indented key on line 2', '---\n\tkey: value\n---\n', 2],
    ['a duplicate key on line 3', '---\ntitle: a\ntitle: b\n---\n', 3]
  ])('reports %s at its line in the file', (_name, text, line) => {
    const {file, error} = read(text)
    expect(error).toBeDefined()
    const message = file.messages[0]
    expect(message?.fatal).toBe(true)
    expect(message?.ruleId).toBe('yaml')
    expect(message?.line).toBe(line)
    expect(message?.reason).toMatch(/^invalid YAML in front matter: /)
  })

  it('does not share results between identical inputs (no gray-matter cache)', () => {
    const first = read('---\ntags: [a]\n---\n').matter
    ;(first?.data.tags as string[]).push('mutated')
    expect(read('---\ntags: [a]\n---\n').matter?.data.tags).toEqual(['a'])
  })

  it.each([
    ['lone CR', '\r'],
    ['CRLF', '\r\n']
  ])('reads %s line endings as lines: data, key lines, body and YAML error positions', (_name, eol) => {
    const {matter} = read(['---', 'title: Old Mac', 'tags: [a]', '---', 'Body line', ''].join(eol))
    expect(matter?.present).toBe(true)
    expect(matter?.data).toEqual({title: 'Old Mac', tags: ['a']})
    expect(matter?.keyLines).toEqual({title: 2, tags: 3})
    expect(matter?.body).toBe('\n\n\n\nBody line\n')
    const {file, error} = read(['---', 'title: ok', '  bad: indent', '---', ''].join(eol))
    expect(error).toBeDefined()
    expect(file.messages[0]?.line).toBe(3)
  })
})
