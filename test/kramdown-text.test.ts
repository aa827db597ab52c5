import {describe, expect, it} from 'vitest'
import {makeSite, read, runCli, writeFiles} from './helpers.js'

/** One post with the kramdown text constructs: footnotes, abbreviations, a definition list, header ids, typography, math. */
const body = [
  '[^early]: A note written before the text that calls it.',
  '',
  '# Log of the "Heron" -- day one {#log}',
  '',
  'We left at dawn[^early], the tide said so[^tide], and the GPS agreed[^early].',
  '',
  'Bowline',
  ': A knot that does not slip.',
  '',
  'The GPS unit sits by `the GPS code`, and it\'s "fine"...',
  '',
  '| quantity | value |',
  '|---|---|',
  '| speed | $$\\|v\\|$$ |',
  '',
  '\\begin{equation}',
  'v_1 = \\frac{d}{t} \\label{eq:speed}',
  '\\end{equation}',
  '',
  'By \\eqref{eq:speed}, we were quick.',
  '',
  '*[GPS]: Global Positioning System',
  '',
  '[^tide]: The tide table, *printed*.',
  ''
].join('\n')

const post = `---\nlayout: post\ntitle: Heron\n---\n${body}`

function article(html: string): string {
  const start = html.indexOf('<article')
  const end = html.lastIndexOf('</article>')
  return start === -1 || end === -1 ? html : html.slice(start, end)
}

describe('kramdown sites: text constructs', () => {
  it('a Jekyll site renders footnotes, abbreviations, definition lists, ids, typography and math as kramdown does', async () => {
    const dir = await makeSite({'_config.yml': 'title: Logs\nurl: https://logs.example\n', '_posts/2024-06-01-heron.md': post})
    const result = await runCli(['build', '--source', dir, '--no-cache'])
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    const page = article(await read(dir, '_site/2024/06/01/heron/index.html'))
    expect(page).toContain('<h1 id="log">Log of the “Heron” – day one')
    expect(page).toContain('dawn<sup id="fnref:early" role="doc-noteref"><a href="#fn:early" class="footnote" rel="footnote">1</a></sup>')
    expect(page).toContain('so<sup id="fnref:tide" role="doc-noteref"><a href="#fn:tide" class="footnote" rel="footnote">2</a></sup>')
    expect(page).toContain('<sup id="fnref:early:1" role="doc-noteref">')
    expect(page).toMatch(/<div class="footnotes" role="doc-endnotes">\s*<ol>\s*<li id="fn:early" role="doc-endnote">\s*<p>A note written before the text that calls it\. <a href="#fnref:early" class="reversefootnote" role="doc-backlink">↩<\/a> <a href="#fnref:early:1" class="reversefootnote" role="doc-backlink">↩<sup>2<\/sup><\/a><\/p>/)
    expect(page).toContain('the <abbr title="Global Positioning System">GPS</abbr> agreed')
    expect(page).toContain('<code>the GPS code</code>')
    expect(page).not.toContain('*[GPS]')
    expect(page).toMatch(/<dl>\s*<dt>Bowline<\/dt>\s*<dd>A knot that does not slip\.<\/dd>\s*<\/dl>/)
    expect(page).toContain('it’s “fine”…')
    expect(page).toContain('<annotation encoding="application/x-tex">|v|</annotation>')
    expect(page).toContain('<annotation encoding="application/x-tex">\\begin{equation}')
    expect(page).not.toContain('\\label')
    expect(page).toContain('By (1), we were quick.')
  })

  it('a site.yml site keeps CommonMark/GFM: GFM footnotes, straight quotes, no abbreviations or lists', async () => {
    const dir = await makeSite({'site.yml': 'title: Logs\n', 'posts/2024-06-01-heron.md': post})
    expect((await runCli(['build', '--source', dir, '--no-cache'])).code).toBe(0)
    const page = article(await read(dir, '_site/2024/06/01/heron/index.html'))
    expect(page).toContain('data-footnote-ref')
    expect(page).not.toContain('fnref:early')
    expect(page).toContain('it\'s "fine"...')
    expect(page).toContain('*[GPS]: Global Positioning System')
    expect(page).not.toContain('<dl>')
    expect(page).toContain('{#log}')
  })

  it('typography: false and math: false switch those off, and a cached build follows the switch', async () => {
    const dir = await makeSite({'_config.yml': 'title: Logs\n', '_posts/2024-06-01-heron.md': post})
    expect((await runCli(['build', '--source', dir])).code).toBe(0)
    expect(article(await read(dir, '_site/2024/06/01/heron/index.html'))).toContain('it’s “fine”…')
    await writeFiles(dir, {'_config.yml': 'title: Logs\ntypography: false\nmath: false\n'})
    expect((await runCli(['build', '--source', dir])).code).toBe(0)
    const page = article(await read(dir, '_site/2024/06/01/heron/index.html'))
    expect(page).toContain('it\'s "fine"...')
    expect(page).not.toContain('class="katex"')
    expect(page).toContain('\\begin{equation}')
  })
})
