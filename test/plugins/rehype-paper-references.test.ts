import {describe, expect, it} from 'vitest'
import fc from 'fast-check'
import {paperLinkOf} from '../../src/markdown/papers/paper-id.js'
import {readReference} from '../../src/markdown/papers/reference-line.js'
import {rehypePaperLint} from '../../src/markdown/papers/rehype-paper-lint.js'
import {rehypePaperReferences} from '../../src/markdown/papers/rehype-paper-references.js'
import {pluginFixtures} from '../plugin-fixtures.js'

pluginFixtures('rehype-paper-references', () => [[rehypePaperReferences], [rehypePaperLint]])

describe('paperLinkOf', () => {
  const cases: Array<[string, string | undefined, string?]> = [
    ['https://arxiv.org/abs/2404.14662', 'arXiv:2404.14662', 'https://arxiv.org/pdf/2404.14662'],
    ['https://arxiv.org/abs/2404.14662v3', 'arXiv:2404.14662'],
    ['http://www.arxiv.org/pdf/2404.14662v1.pdf', 'arXiv:2404.14662'],
    ['https://arxiv.org/html/2404.14662v2/', 'arXiv:2404.14662'],
    ['https://arxiv.org/abs/hep-th/9901001', 'arXiv:hep-th/9901001', 'https://arxiv.org/pdf/hep-th/9901001'],
    ['https://arxiv.org/abs/math.GT/0309136v2', 'arXiv:math.GT/0309136'],
    ['https://doi.org/10.1145/3581783.3612345', 'doi:10.1145/3581783.3612345'],
    ['https://dx.doi.org/10.1000/ABC', 'doi:10.1000/abc'],
    ['https://openreview.net/forum?id=AbC123xyz', 'openreview:AbC123xyz', 'https://openreview.net/pdf?id=AbC123xyz'],
    ['https://openreview.net/pdf?id=AbC123xyz', 'openreview:AbC123xyz'],
    ['https://aclanthology.org/2023.acl-long.42/', 'acl:2023.acl-long.42', 'https://aclanthology.org/2023.acl-long.42.pdf'],
    ['https://aclanthology.org/P19-1001.pdf', 'acl:P19-1001'],
    ['https://proceedings.mlr.press/v202/quist23a.html', 'pmlr:v202/quist23a', 'https://proceedings.mlr.press/v202/quist23a/quist23a.pdf'],
    ['https://proceedings.mlr.press/v202/quist23a/quist23a.pdf', 'pmlr:v202/quist23a'],
    ['https://arxiv.org/list/cs.CL/recent', undefined],
    ['https://example.com/abs/2404.14662', undefined],
    ['javascript:alert(1)', undefined],
    ['not a url', undefined]
  ]
  for (const [href, id, pdf] of cases) {
    it(href, () => {
      const link = paperLinkOf(href)
      expect(link?.id).toBe(id)
      if (pdf) expect(link?.pdf).toBe(pdf)
    })
  }

  it('dates new-style ids by month and rejects impossible ones', () => {
    expect(paperLinkOf('https://arxiv.org/abs/2404.14662')?.month).toBe('2024-04')
    expect(paperLinkOf('https://arxiv.org/abs/hep-th/9901001')?.month).toBe('1999-01')
    expect(paperLinkOf('https://arxiv.org/abs/0801.1234')?.invalid).toBeUndefined()
    expect(paperLinkOf('https://arxiv.org/abs/2413.00001')?.invalid).toMatch(/month 13/)
    expect(paperLinkOf('https://arxiv.org/abs/1401.12345')?.invalid).toMatch(/4 digits/)
    expect(paperLinkOf('https://arxiv.org/abs/1501.1234')?.invalid).toMatch(/5 digits/)
  })

  it('gives every version and form of one arXiv id the same paper', () => {
    fc.assert(
      fc.property(fc.integer({min: 15, max: 30}), fc.integer({min: 1, max: 12}), fc.integer({min: 0, max: 99999}), fc.integer({min: 1, max: 9}), fc.constantFrom('abs', 'pdf', 'html'), (yy, mm, n, v, form) => {
        const id = `${yy}${String(mm).padStart(2, '0')}.${String(n).padStart(5, '0')}`
        const a = paperLinkOf(`https://arxiv.org/abs/${id}`)
        const b = paperLinkOf(`https://arxiv.org/${form}/${id}v${v}${form === 'pdf' ? '.pdf' : ''}`)
        expect(a?.id).toBe(`arXiv:${id}`)
        expect(b?.id).toBe(a?.id)
        expect(a?.invalid).toBeUndefined()
      })
    )
  })
})

describe('readReference', () => {
  it('never claims a span outside the text, and the spans do not overlap', () => {
    fc.assert(
      fc.property(fc.string({maxLength: 120}), (text) => {
        const parts = readReference(text)
        if (!parts) return
        const spans = [parts.title, parts.authors, ...(parts.date ? [parts.date] : [])].sort((a, b) => a.start - b.start)
        let at = 0
        for (const span of spans) {
          expect(span.start).toBeGreaterThanOrEqual(at)
          expect(span.end).toBeGreaterThan(span.start)
          at = span.end
        }
        expect(at).toBeLessThanOrEqual(text.length)
      })
    )
  })

  it('does not take prose for a reference', () => {
    expect(readReference('Read this, ')).toBeUndefined()
    expect(readReference('see the notes (2021), ')).toBeUndefined()
  })
})
