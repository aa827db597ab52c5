import {readFileSync} from 'node:fs'
import path from 'node:path'
import {fromHtml} from 'hast-util-from-html'
import {select, selectAll} from 'hast-util-select'
import {toString} from 'hast-util-to-string'
import {describe, expect, it} from 'vitest'
import {fixtures, hasSeed, makeSite, read, runCli, seedPath} from './helpers.js'

const NAME = '2024-05-12-how-good-are-the-latest-open-llms.md'
const PAGE = '_site/2024/05/12/how-good-are-the-latest-open-llms/index.html'

/** The reading-list lines of a source (`… (date), https://arxiv.org/abs/ID` at the end of a line), found with plain string work. */
function referenceLines(source: string): Array<{line: number; text: string; id: string}> {
  return source.split('\n').flatMap((text, index) => {
    const match = /^(.+ \([^()]*\d[^()]*\)), (https:\/\/arxiv\.org\/abs\/(\S+))$/.exec(text)
    return match ? [{line: index + 1, text, id: `arXiv:${match[3]}`}] : []
  })
}

function warningsOf(stderr: string): string[] {
  return stderr.split('\n').filter((line) => / warning: /.test(line) && /\(paper-id-[a-z]+\)$/.test(line))
}

describe.runIf(hasSeed)('the real seed post (../shared)', () => {
  it('reports exactly the two reused ids, marks up every reference without changing its text, and lists the papers', async () => {
    const seed = readFileSync(seedPath, 'utf8')
    const dir = await makeSite({
      'site.yml': 'title: Seed\nurl: https://blog.example\n',
      [`posts/${NAME}`]: seed,
      'assets/ahead_of_ai.png': readFileSync(path.join(fixtures, 'sites/seed-mirror/assets/ahead_of_ai.png'))
    })
    const result = await runCli(['build', '--source', dir])
    expect(result.code).toBe(0)
    const warnings = warningsOf(result.stderr)
    expect(warnings).toHaveLength(2)
    const lines = referenceLines(seed)
    const lineOf = (id: string) => lines.filter((line) => line.id === id).map((line) => line.line)
    // The two slips, found from the source itself: one id, two lines.
    const reused = [...new Set(lines.map((line) => line.id))].filter((id) => lineOf(id).length > 1)
    expect(reused.sort()).toEqual(['arXiv:2404.02151', 'arXiv:2404.14662'])
    for (const id of reused) {
      const [first, second] = lineOf(id) as [number, number]
      const warning = warnings.find((line) => line.includes(id))
      expect(warning).toMatch(new RegExp(`^posts/${NAME}:${second}:\\d+: warning: `))
      expect(warning).toContain(`line ${first}`)
      expect(warning).toContain(`line ${second}`)
    }
    expect([lineOf('arXiv:2404.14662'), lineOf('arXiv:2404.02151')]).toEqual([[233, 239], [346, 358]])

    const page = fromHtml(await read(dir, PAGE))
    const refs = selectAll('.post-content .paper-ref', page)
    expect(refs).toHaveLength(lines.length)
    expect(refs).toHaveLength(59)
    refs.forEach((ref, index) => {
      const line = lines[index] as (typeof lines)[number]
      expect(toString(ref)).toBe(line.text)
      expect(ref.properties.dataPaperId).toBe(line.id)
      const cite = select('cite > a', ref)
      expect(line.text.startsWith(toString(cite!))).toBe(true)
      expect(select('.paper-authors', ref)).toBeTruthy()
      expect(select('a.paper-badge', ref)?.properties.href).toBe(`https://arxiv.org/pdf/${line.id.slice(6)}`)
    })

    // JSON-LD lists each paper once.
    const jsonLd = JSON.parse(toString(select('script[type="application/ld+json"]', page)!))
    const distinct = new Set(lines.map((line) => line.id))
    expect(distinct.size).toBe(57)
    expect(jsonLd.citation.map((paper: {identifier: string}) => paper.identifier).sort()).toEqual([...distinct].sort())

    // The papers index: every distinct paper, under its month, linking the post; in the sitemap.
    const index = fromHtml(await read(dir, '_site/papers/index.html'))
    const entries = selectAll('.paper-entry', index)
    expect(entries.map((entry) => entry.properties.dataPaperId).sort()).toEqual([...distinct].sort())
    // Each section's heading names the month of its papers' ids (2404.x → April 2024).
    const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']
    const sections = selectAll('section', index)
    expect(sections.length).toBeGreaterThan(0)
    for (const section of sections) {
      for (const entry of selectAll('.paper-entry', section)) {
        const [, yy, mm] = /^arXiv:(\d\d)(\d\d)\./.exec(String(entry.properties.dataPaperId)) ?? []
        expect(toString(select('h2', section)!)).toBe(`${months[Number(mm) - 1]} 20${yy}`)
      }
    }
    for (const entry of entries) expect(select('.paper-posts a', entry)?.properties.href).toBe('/2024/05/12/how-good-are-the-latest-open-llms/')
    expect(await read(dir, '_site/sitemap.xml')).toContain('<loc>https://blog.example/papers/</loc>')
  })
})

describe('papers across posts', () => {
  it('groups papers by month, with each post and the title it gives, and leaves out a site with none', async () => {
    const dir = await makeSite({
      'site.yml': 'title: Papers\n',
      'posts/2024-03-01-first.md': '---\ntitle: First\n---\nQuiet Rivers of Data by Osei and Varga (2 Feb), https://arxiv.org/abs/2402.00042\n\nAlso [Loud Lakes](https://doi.org/10.1000/lakes.7).\n',
      'posts/2024-04-01-second.md': '---\ntitle: Second\n---\nWe return to [Quiet rivers, the paper](https://arxiv.org/pdf/2402.00042v2).\n\nOld Tides by Brann (1998), https://arxiv.org/abs/hep-ph/9812001\n'
    })
    const result = await runCli(['build', '--source', dir])
    expect(result.code).toBe(0)
    const index = fromHtml(await read(dir, '_site/papers/index.html'))
    expect(selectAll('section h2', index).map((h) => toString(h))).toEqual(['February 2024', 'December 1998', 'Other papers'])
    const quiet = select('[data-paper-id="arXiv:2402.00042"]', index)!
    expect(selectAll('.paper-posts li', quiet).map((li) => toString(li))).toEqual(['Second (as “Quiet rivers, the paper”)', 'First'])
    expect(toString(select('[data-paper-id="doi:10.1000/lakes.7"] cite', index)!)).toBe('Loud Lakes')

    const none = await makeSite({'site.yml': 'title: None\n', 'posts/2024-03-01-first.md': '---\ntitle: First\n---\nNo papers here, https://example.com/abs/2402.00042\n'})
    expect((await runCli(['build', '--source', none])).code).toBe(0)
    await expect(read(none, '_site/papers/index.html')).rejects.toThrow()
  })
})
