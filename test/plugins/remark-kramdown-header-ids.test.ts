import {describe, expect, it} from 'vitest'
import {KramdownSlugger, kramdownSlug} from '../../src/markdown/kramdown/kramdown-slug.js'
import {remarkKramdownHeaderIds} from '../../src/markdown/kramdown/remark-kramdown-header-ids.js'
import {rehypeHeadingIds} from '../../src/markdown/rehype-heading-ids.js'
import {pluginFixtures} from '../plugin-fixtures.js'

// The heading ids keep `{#…}` ids, so they run too: the fixtures show the final ids.
pluginFixtures('remark-kramdown-header-ids', () => [[rehypeHeadingIds, {slugs: 'kramdown', anchors: false}]], () => [[remarkKramdownHeaderIds]])

describe('kramdownSlug', () => {
  // Each expected id was made by Debian's kramdown 2.4 with kramdown-parser-gfm 1.1 (Jekyll's defaults).
  it.each([
    ['Hello World! It’s “ok” – yes — no…', 'hello-world-its-ok--yes--no'],
    ['Über café & 3 things', 'über-café--3-things'],
    ['1. Starts with digit', '1-starts-with-digit'],
    ['snake_case and kebab-case', 'snake_case-and-kebab-case'],
    ['Tabs\tand  spaces', 'tabs-and--spaces']
  ])('%s → %s', (text, id) => {
    expect(kramdownSlug(text)).toBe(id)
  })

  it('numbers repeats from 1, per base id', () => {
    const slugger = new KramdownSlugger()
    expect(['A', 'B', 'A', 'a', 'B'].map((text) => slugger.slug(text))).toEqual(['a', 'b', 'a-1', 'a-2', 'b-1'])
  })
})
