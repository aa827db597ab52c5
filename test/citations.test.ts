import {fromHtml} from 'hast-util-from-html'
import {select, selectAll} from 'hast-util-select'
import {toString} from 'hast-util-to-string'
import type {Element} from 'hast'
import {describe, expect, it} from 'vitest'
import {makeSite, read, runCli, snapshotTree, writeFiles} from './helpers.js'
import {citationJs} from '../src/markdown/citations/parse-bibliography.js'

/** Own test entries (invented works). */
const BIB = `@article{okafor2023,
  title = {Sparse Gardens of Attention},
  author = {Okafor, Ada and Lindqvist, Bo},
  journal = {Journal of Imaginary Results},
  year = {2023},
  volume = {7},
  pages = {11--29}
}

@book{mbeki2021,
  title = {Counting Pebbles},
  author = {Mbeki, Thandi},
  publisher = {Riverside Press},
  year = {2021}
}
`
const CSL_JSON = JSON.stringify([{id: 'varga2019', type: 'report', title: 'Quiet Rivers of Data', author: [{family: 'Varga', given: 'Ilona'}, {family: 'Osei', given: 'Kwame'}, {family: 'Brandt', given: 'Lena'}], issued: {'date-parts': [[2019]]}}], null, 2)
const DISTILL_BIB = `@inproceedings{holm2022,
  title = {Reading Between Lines},
  author = {Holm, Sigrid and Eze, Chidi},
  booktitle = {Proceedings of Made-Up Things},
  year = {2022}
}
`

const PANDOC = `---
title: Pandoc citations
---
Gardens are sparse [@okafor2023, p. 12], and pebbles count [see @mbeki2021; @okafor2023].
As @mbeki2021 argues, rivers are quiet [@varga2019], as they were [-@okafor2023]. Mail me at me@example.com or ping @someone.

\`[@okafor2023]\` in code stays as it is.

[^refs]

## After the references

The end.
`
const DISTILL = `---
layout: distill
title: A Distill post
bibliography: distill.bib
---
<p>Lines can be read between <d-cite key="holm2022"></d-cite>.</p>

<d-bibliography></d-bibliography>

<p>Closing words.</p>
`

function page(html: string) {
  return fromHtml(html)
}

function citationLinks(tree: ReturnType<typeof fromHtml>): Element[] {
  return selectAll('.post-content a[role="doc-biblioref"]', tree)
}

describe('citations', () => {
  it('formats pandoc and Distill citations with cards and a bibliography (author-year), with no script', async () => {
    const dir = await makeSite({
      'site.yml': 'title: Cites\nbibliography: [assets/bibliography/refs.bib, data/more.json]\n',
      'assets/bibliography/refs.bib': BIB,
      'data/more.json': CSL_JSON,
      'posts/2024-05-01-pandoc.md': PANDOC,
      'posts/2024-05-02-distill.md': DISTILL,
      'posts/distill.bib': DISTILL_BIB
    })
    const result = await runCli(['build', '--source', dir])
    expect(result.stderr).not.toMatch(/: error: /)
    expect(result.code).toBe(0)

    const pandoc = page(await read(dir, '_site/2024/05/01/pandoc/index.html'))
    const links = citationLinks(pandoc)
    expect(links.map((link) => toString(link))).toEqual(['Okafor & Lindqvist, 2023, p. 12', 'Mbeki, 2021', 'Okafor & Lindqvist, 2023', 'Mbeki (2021)', 'Varga et al., 2019', '2023'])
    const groups = selectAll('.post-content .citation-group', pandoc).map((group) => toString(group).replace(/(?<=\d)[A-Z][^)]*?\.(?=[;)]|$)/g, ''))
    expect(groups[1]).toMatch(/^\(see Mbeki, 2021/)
    const entries = selectAll('ol[role="doc-bibliography"] > li', pandoc)
    // Author-year: sorted by author.
    expect(entries.map((entry) => entry.properties.id)).toEqual(['ref-mbeki2021', 'ref-okafor2023', 'ref-varga2019'])
    expect(toString(entries[1]!)).toContain('Sparse Gardens of Attention')
    for (const link of links) {
      const target = String(link.properties.href).slice(1)
      expect(entries.some((entry) => entry.properties.id === target)).toBe(true)
      // The card follows the link, is named by it, and shows the full reference.
      const card = select(`#${String(link.properties.ariaDescribedBy)}`, pandoc)!
      expect(card.properties.role).toBe('tooltip')
      expect(toString(card)).toBe(toString(entries.find((entry) => entry.properties.id === target)!))
    }
    // The References section stands where [^refs] was, before the heading that followed it.
    const content = select('.post-content', pandoc)!
    const order = content.children.filter((child): child is Element => child.type === 'element').map((child) => (child.tagName === 'section' ? 'references' : toString(child).slice(0, 12)))
    expect(order.indexOf('references')).toBeLessThan(order.indexOf('After the re'))
    expect(toString(content)).not.toContain('[^refs]')
    // Not citations: code, an e-mail address, an @-mention of no key.
    expect(toString(select('code', content)!)).toBe('[@okafor2023]')
    expect(toString(content)).toContain('ping @someone.')
    expect(select('a[href="mailto:me@example.com"]', content)).toBeTruthy()

    const distillHtml = await read(dir, '_site/2024/05/02/distill/index.html')
    expect(result.stderr).not.toContain('layout "distill" not found')
    const distill = page(distillHtml)
    expect(select('article.post', distill)).toBeTruthy()
    expect(citationLinks(distill).map((link) => toString(link))).toEqual(['Holm & Eze, 2022'])
    const distillContent = select('.post-content', distill)!
    const kinds = distillContent.children.filter((child): child is Element => child.type === 'element').map((child) => child.tagName)
    expect(kinds).toEqual(['p', 'section', 'p'])
    expect(selectAll('d-cite, d-bibliography', distill)).toHaveLength(0)
    // No script but JSON-LD on either page.
    for (const tree of [pandoc, distill]) expect(selectAll('script', tree).every((script) => script.properties.type === 'application/ld+json')).toBe(true)
  })

  it('numbers citations in first-cite order with a numeric style', async () => {
    const dir = await makeSite({
      'site.yml': 'title: Numeric\ncsl: numeric\nbibliography: refs.bib\n',
      'refs.bib': BIB + '\n@misc{nasty, title = {<script>alert(1)</script> <img src=x onerror=alert(2)>}, author = {Quux, Q.}, year = {2020}, url = {javascript:alert(3)}}\n',
      'posts/2024-05-01-numbers.md': '---\ntitle: Numbers\n---\nPebbles [@mbeki2021], gardens [@okafor2023; @mbeki2021], again [@okafor2023, p. 3]. And [@nasty].\n'
    })
    const result = await runCli(['build', '--source', dir])
    expect(result.code).toBe(0)
    const tree = page(await read(dir, '_site/2024/05/01/numbers/index.html'))
    expect(selectAll('.post-content .citation-group', tree).map((group) => toString(select('a', group)!) && group.children.filter((child) => child.type === 'text' || (child.type === 'element' && child.properties.className?.toString() === 'citation')).map((child) => (child.type === 'text' ? child.value : toString(select('a', child as Element)!))).join(''))).toEqual(['[1]', '[2, 1]', '[2, p. 3]', '[3]'])
    const entries = selectAll('ol[role="doc-bibliography"] > li', tree)
    expect(entries.map((entry) => entry.properties.id)).toEqual(['ref-mbeki2021', 'ref-okafor2023', 'ref-nasty'])
    // BibTeX text is text: no element, attribute or link comes out of it.
    expect(selectAll('.post-content script, .post-content img, .post-content [onerror], .post-content a[href^="javascript"]', tree)).toEqual([])
    expect(toString(entries[2]!)).toContain('<script>alert(1)</script>')
    expect(toString(entries[0]!)).toMatch(/^Mbeki T\. Counting Pebbles/)
  })

  it('reports an unknown key at its line with the closest keys, and a broken .bib at its line', async () => {
    const dir = await makeSite({
      'site.yml': 'title: Broken\nbibliography: refs.bib\n',
      'refs.bib': BIB,
      'posts/2024-05-01-typo.md': '---\ntitle: Typo\n---\nFine [@okafor2023].\n\nA typo here: [@okafor2032].\n'
    })
    const result = await runCli(['build', '--source', dir])
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('posts/2024-05-01-typo.md:6:14: error: unknown citation key `okafor2032` (closest: okafor2023, mbeki2021) (citation)')
    expect(result.stderr).not.toMatch(/\n\s+at /)

    const broken = await makeSite({
      'site.yml': 'title: Broken\nbibliography: refs.bib\n',
      'refs.bib': BIB.replace('  year = {2021}\n}', '  year = {2021\n'),
      'posts/2024-05-01-post.md': '---\ntitle: Post\n---\nNo citations here.\n'
    })
    const bad = await runCli(['build', '--source', broken])
    expect(bad.code).toBe(1)
    expect(bad.stderr).toMatch(/^refs\.bib:1[56]:\d+: error: invalid BibTeX: .+ \(bibliography\)$/m)

    const missing = await makeSite({'site.yml': 'title: Missing\nbibliography: nowhere.bib\n', 'posts/2024-05-01-post.md': '---\ntitle: Post\nbibliography: gone.bib\n---\nText.\n'})
    const gone = await runCli(['build', '--source', missing])
    expect(gone.code).toBe(1)
    expect(gone.stderr).toContain('site.yml:2:1: error: bibliography nowhere.bib not found in the site folder (bibliography)')
    expect(gone.stderr).toContain('posts/2024-05-01-post.md:3:1: error: bibliography gone.bib not found (looked in assets/bibliography/gone.bib and posts/gone.bib) (bibliography)')
  })

  it("gives a post with citation: true a BibTeX entry that parses back, and reads jekyll-scholar's tags", async () => {
    const title = 'Gardens & Pebbles: 100% {curly} #1 under_score'
    const dir = await makeSite({
      'site.yml': 'title: The Margins\nurl: https://blog.example\nbibliography: refs.bib\n',
      'refs.bib': BIB,
      'posts/2024-05-12-cite-me.md': `---\ntitle: "${title}"\nauthor: Ada Okafor, PhD\ncitation: true\n---\nAs shown {% cite okafor2023 --locator 14 %} and {% cite mbeki2021 okafor2023 %}.\n\n{% bibliography %}\n\nAfter.\n`,
      'posts/2024-05-13-plain.md': '---\ntitle: Plain\n---\nNothing to cite.\n'
    })
    const result = await runCli(['build', '--source', dir])
    expect(result.stderr).not.toMatch(/: error: /)
    expect(result.code).toBe(0)
    const tree = page(await read(dir, '_site/2024/05/12/cite-me/index.html'))
    expect(citationLinks(tree).map((link) => toString(link))).toEqual(['Okafor & Lindqvist, 2023, p. 14', 'Mbeki, 2021', 'Okafor & Lindqvist, 2023'])
    const content = select('.post-content', tree)!
    expect(content.children.filter((child): child is Element => child.type === 'element').map((child) => child.tagName)).toEqual(['p', 'section', 'p'])

    const section = select('section.cite-this-post', tree)!
    const bibtex = toString(select('pre', section)!)
    expect(bibtex).toMatch(/^@article\{okafor2024/)
    const {Cite} = await citationJs()
    const [entry] = (await Cite.async(bibtex, {forceType: '@biblatex/text'})).data as Array<Record<string, unknown>>
    expect(entry?.title).toBe(title)
    expect(entry?.author).toEqual([{family: 'Okafor', given: 'Ada'}])
    expect(entry?.URL).toBe('https://blog.example/2024/05/12/cite-me/')
    expect(entry?.['container-title']).toBe('The Margins')
    expect((entry?.issued as {'date-parts': number[][]})['date-parts'][0]?.slice(0, 2)).toEqual([2024, 5])
    expect(toString(select('.cite-this-post-text', section)!)).toBe(`Okafor, A. (2024, May 12). ${title}. The Margins. https://blog.example/2024/05/12/cite-me/`)
    expect(select('section.cite-this-post', page(await read(dir, '_site/2024/05/13/plain/index.html')))).toBeFalsy()
  })

  it('re-renders only the posts that may cite when a bibliography changes', async () => {
    const dir = await makeSite({
      'site.yml': 'title: Cache\nbibliography: refs.bib\n',
      'refs.bib': BIB,
      'posts/2024-05-01-cites.md': '---\ntitle: Cites\n---\nPebbles [@mbeki2021].\n',
      'posts/2024-05-02-plain.md': '---\ntitle: Plain\n---\nNo citation at all.\n'
    })
    expect((await runCli(['build', '--source', dir])).code).toBe(0)
    await writeFiles(dir, {'refs.bib': BIB.replace('Riverside Press', 'Lakeside Press')})
    const again = await runCli(['build', '--source', dir])
    expect(again.code).toBe(0)
    expect(again.stdout).toMatch(/reused 1 of 2 rendered posts/)
    expect(await read(dir, '_site/2024/05/01/cites/index.html')).toContain('Lakeside Press')
  })

  it('writes byte-identical output on one thread and on two', async () => {
    const files = {
      'site.yml': 'title: Same\ncsl: numeric\nbibliography: refs.bib\n',
      'refs.bib': BIB,
      'posts/2024-05-01-a.md': '---\ntitle: A\ncitation: true\n---\nPebbles [@mbeki2021] and gardens [@okafor2023].[^n]\n\n[^n]: A note.\n',
      'posts/2024-05-02-b.md': '---\ntitle: B\n---\nReading list: Quiet Rivers by Osei and Varga (2 Feb), https://arxiv.org/abs/2402.00042\n\nGardens [@okafor2023].\n'
    }
    const one = await makeSite(files)
    const two = await makeSite(files)
    expect((await runCli(['build', '--source', one, '--workers', '1', '--no-cache'], {env: {SOURCE_DATE_EPOCH: '1717000000'}})).code).toBe(0)
    expect((await runCli(['build', '--source', two, '--workers', '2', '--no-cache'], {env: {SOURCE_DATE_EPOCH: '1717000000'}})).code).toBe(0)
    expect(await snapshotTree(`${two}/_site`)).toEqual(await snapshotTree(`${one}/_site`))
  })
})
