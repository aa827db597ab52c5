import {existsSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {loadConfig} from '../src/config.js'
import {makeSite, read, runCli} from './helpers.js'

/** `figures:` and `toc:` as a site gets them: on (auto) for a site.yml site, off for a Jekyll site unless it asks. */
async function settings(files: Record<string, string>): Promise<{figures: string; toc: boolean | string}> {
  const dir = await makeSite(files)
  const {config} = loadConfig({source: dir, now: 0})
  if (!config) throw new Error('no config')
  return {figures: config.markdown.figures, toc: config.markdown.toc}
}

describe('figures and toc settings', () => {
  it.each([
    ['a site.yml site', {'site.yml': 'title: A\n'}, {figures: 'auto', toc: 'auto'}],
    ['a Jekyll site (_config.yml)', {'_config.yml': 'title: A\n'}, {figures: 'off', toc: false}],
    ['a Jekyll site that asks', {'_config.yml': 'title: A\nfigures: auto\ntoc: auto\n'}, {figures: 'auto', toc: 'auto'}],
    ['markdown: kramdown in site.yml', {'site.yml': 'markdown: kramdown\n'}, {figures: 'off', toc: false}],
    ['figures: false, toc: false', {'site.yml': 'figures: false\ntoc: false\n'}, {figures: 'off', toc: false}],
    ['toc: true', {'site.yml': 'toc: true\n'}, {figures: 'auto', toc: true}]
  ])('%s', async (_name, files, expected) => {
    expect(await settings(files)).toEqual(expected)
  })
})

describe('figures in a build (the real CLI)', () => {
  const post = (body: string) => `---\nlayout: post\ntitle: Figures\ndate: 2024-05-12\n---\n${body}`

  it('reports an unknown cross-reference at its line and column, and writes nothing', async () => {
    const dir = await makeSite({
      'site.yml': 'title: A\n',
      'posts/2024-05-12-figures.md': post('![A chart](https://example.com/a.png "A chart"){#fig-chart}\n\nSee @fig-chart and\nthen @fig-chrat.\n')
    })
    const result = await runCli(['build', '--source', dir])
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('posts/2024-05-12-figures.md:9:6: error: unknown cross-reference `@fig-chrat`')
    expect(result.stderr).toContain('(xref)')
    expect(result.stderr).not.toMatch(/\n\s+at /)
    expect(existsSync(path.join(dir, '_site'))).toBe(false)
  })

  it('numbers figures and links references; a Jekyll site keeps the same text as written', async () => {
    const body = post('<img src="https://example.com/b_800x400.png" alt="Bars">\n\nBars of the two runs.\n\n![Line](https://example.com/l.png "A line"){#fig-line}\n\nAs @fig-line shows.\n')
    const ours = await makeSite({'site.yml': 'title: A\n', 'posts/2024-05-12-figures.md': body})
    expect((await runCli(['build', '--source', ours])).code).toBe(0)
    const html = await read(ours, '_site/2024/05/12/figures/index.html')
    expect(html).toContain('<figcaption>Bars of the two runs.</figcaption>')
    expect(html).toContain('<figcaption><span class="figure-number">Figure 1:</span> A line</figcaption>')
    expect(html).toContain('<a class="xref" href="#fig-line">Figure 1</a>')

    const jekyll = await makeSite({'_config.yml': 'title: A\n', '_posts/2024-05-12-figures.md': body})
    expect((await runCli(['build', '--source', jekyll])).code).toBe(0)
    const kept = await read(jekyll, '_site/2024/05/12/figures/index.html')
    expect(kept).not.toContain('<figure')
    expect(kept).toContain('<p>Bars of the two runs.</p>')
    expect(kept).toContain('As @fig-line shows.')
  })
})
