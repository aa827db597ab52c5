import {describe, expect, it} from 'vitest'
import {makeSite, read, runCli} from './helpers.js'

/** One post with each kramdown construct Galley reads, in its own words. */
const body = [
  'An opening paragraph for the excerpt.',
  '',
  '{: class="table-of-content"}',
  '* TOC',
  '{:toc}',
  '',
  '## Tides',
  '',
  '![A tide chart](https://example.com/tides.png)',
  '{: style="width: 80%;" class="center"}',
  '*Figure 1. High and low water over one day.*',
  '{:.image-caption}',
  '',
  '{:note: .callout}',
  'A paragraph that uses a definition.',
  '{: note}',
  '',
  '{::comment}',
  'Only for the author.',
  '{:/comment}',
  '',
  '{::nomarkdown}',
  '<p class="raw">*left alone*</p>',
  '{:/}',
  '',
  '<div class="aside" markdown="1">',
  'Some **marked** words.',
  '</div>',
  '',
  '### Currents',
  '',
  'Read [the notes](https://example.com/notes){:target="_blank"} first.',
  ''
].join('\n')

const post = `---\nlayout: post\ntitle: Water\n---\n${body}`

/** The page's article, where the post's body lands in the default theme. */
function article(html: string): string {
  const start = html.indexOf('<article')
  const end = html.lastIndexOf('</article>')
  return start === -1 || end === -1 ? html : html.slice(start, end)
}

describe('kramdown sites', () => {
  it('a Jekyll site (_config.yml) reads kramdown syntax: none of it is left as text', async () => {
    const dir = await makeSite({'_config.yml': 'title: Tides\nurl: https://tides.example\n', '_posts/2024-05-12-water.md': post})
    const result = await runCli(['build', '--source', dir, '--no-cache'])
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    const page = article(await read(dir, '_site/2024/05/12/water/index.html'))
    expect(page).not.toContain('{:')
    expect(page).not.toContain('markdown="1"')
    expect(page).toMatch(/<ul class="table-of-content" id="markdown-toc"><li><a href="#tides" id="markdown-toc-tides">Tides<\/a><ul><li><a href="#currents"/)
    expect(page).toContain('<p class="center" style="width: 80%;"><img')
    expect(page).toContain('<p class="image-caption"><em>Figure 1.')
    expect(page).toContain('<p class="callout">A paragraph that uses a definition.</p>')
    expect(page).not.toContain('Only for the author')
    expect(page).toContain('<p class="raw">*left alone*</p>')
    expect(page).toMatch(/<div class="aside">\s*<p>Some <strong>marked<\/strong> words.<\/p>\s*<\/div>/)
    expect(page).toContain('target="_blank">the notes</a>')
  })

  it('markdown: kramdown in site.yml turns it on too', async () => {
    const dir = await makeSite({'site.yml': 'title: Tides\nmarkdown: kramdown\n', 'posts/2024-05-12-water.md': post})
    expect((await runCli(['build', '--source', dir, '--no-cache'])).code).toBe(0)
    expect(article(await read(dir, '_site/2024/05/12/water/index.html'))).not.toContain('{:')
  })

  it('a site.yml site keeps CommonMark: the same text stays as written', async () => {
    const dir = await makeSite({'site.yml': 'title: Tides\n', 'posts/2024-05-12-water.md': post})
    const result = await runCli(['build', '--source', dir, '--no-cache'])
    expect(result.code).toBe(0)
    const page = article(await read(dir, '_site/2024/05/12/water/index.html'))
    expect(page).toContain('{: class="table-of-content"}')
    expect(page).toContain('{:.image-caption}')
    expect(page).toContain('{:target="_blank"}')
    expect(page).toContain('markdown="1"')
    expect(page).not.toContain('markdown-toc')
  })

  it('a _config.yml naming another engine keeps CommonMark', async () => {
    const dir = await makeSite({'_config.yml': 'title: Tides\nmarkdown: CommonMarkGhPages\n', '_posts/2024-05-12-water.md': post})
    expect((await runCli(['build', '--source', dir, '--no-cache'])).code).toBe(0)
    expect(article(await read(dir, '_site/2024/05/12/water/index.html'))).toContain('{:toc}')
  })

  it('honours kramdown: {toc_levels, parse_block_html} from _config.yml', async () => {
    const dir = await makeSite({
      '_config.yml': 'title: Tides\nkramdown:\n  toc_levels: 2..2\n  parse_block_html: true\n',
      '_posts/2024-05-12-water.md': post
    })
    expect((await runCli(['build', '--source', dir, '--no-cache'])).code).toBe(0)
    const page = article(await read(dir, '_site/2024/05/12/water/index.html'))
    expect(page).toContain('<a href="#tides" id="markdown-toc-tides">Tides</a></li></ul>')
    expect(page).not.toContain('markdown-toc-currents')
  })
  it('keeps footnotes at the end only, as Jekyll did, unless the site asks for sidenotes', async () => {
    const noted = '---\ntitle: Noted\n---\nA claim.[^why]\n\n[^why]: The reason, in a note.\n'
    const jekyll = await makeSite({'_config.yml': 'title: Notes\n', '_posts/2024-05-12-noted.md': noted})
    expect((await runCli(['build', '--source', jekyll, '--no-cache'])).code).toBe(0)
    const plain = article(await read(jekyll, '_site/2024/05/12/noted/index.html'))
    expect(plain).toContain('<div class="footnotes" role="doc-endnotes">')
    expect(plain).not.toContain('sidenote')
    expect(plain.split('The reason, in a note.').length - 1).toBe(1)

    const asked = await makeSite({'_config.yml': 'title: Notes\nsidenotes: true\n', '_posts/2024-05-12-noted.md': noted})
    expect((await runCli(['build', '--source', asked, '--no-cache'])).code).toBe(0)
    const margin = article(await read(asked, '_site/2024/05/12/noted/index.html'))
    expect(margin).toContain('<span class="sidenote" aria-hidden="true">')
    expect(margin.split('The reason, in a note.').length - 1).toBe(2)

    const galley = await makeSite({'site.yml': 'title: Notes\n', 'posts/2024-05-12-noted.md': noted})
    expect((await runCli(['build', '--source', galley, '--no-cache'])).code).toBe(0)
    expect(await read(galley, '_site/2024/05/12/noted/index.html')).toContain('class="sidenote"')
  })
})
