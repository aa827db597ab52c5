import {HtmlValidate} from 'html-validate'
import {describe, expect, it} from 'vitest'
import {articleOf, makeSite, read, runCli, writeFiles} from './helpers.js'

const models = (mmlu: number) =>
  [
    'alpha-1b:',
    '  name: Alpha 1B',
    '  family: alpha',
    '  parameters: {value: 1B, source: "https://example.com/alpha"}',
    '  training_tokens: 3T',
    '  scores:',
    `    mmlu: {value: ${mmlu}, eval: 5-shot, source: "https://example.com/alpha"}`,
    'alpha-7b:',
    '  name: Alpha 7B',
    '  family: alpha',
    '  parameters: {value: 7B, source: "https://example.com/alpha"}',
    '  training_tokens: 2.5T',
    '  scores:',
    '    mmlu: {value: 60.2, eval: 5-shot, source: "https://example.com/alpha"}',
    ''
  ].join('\n')

const comparing = [
  '---',
  'title: Sizes',
  '---',
  'Two sizes of one family.',
  '',
  '```compare',
  'models: [alpha-1b, alpha-7b]',
  'columns: [parameters, training_tokens, scores.mmlu]',
  'chart: {type: scatter, x: parameters, y: scores.mmlu, x_scale: log}',
  'caption: MMLU against parameters.',
  '```',
  ''
].join('\n')

const other = ['---', 'title: Other', '---', 'Nothing to compare here, though it says compare.', ''].join('\n')

describe('a site with model data and a comparison block', () => {
  it('builds the figure into the page, and an edit of models.yml re-renders only the post that shows it', async () => {
    const dir = await makeSite({'site.yml': 'title: Test\nurl: https://example.com\n', 'data/models.yml': models(40.5), 'posts/2024-01-01-sizes.md': comparing, 'posts/2024-01-02-other.md': other})
    const first = await runCli(['build', '--source', dir])
    expect(first.code, first.stderr).toBe(0)
    expect(first.stderr).toBe('')
    const page = await read(dir, '_site/2024/01/01/sizes/index.html')
    const article = articleOf(page)
    expect(article).toContain('<figure class="galley-compare" id="compare-1" data-models="alpha-1b alpha-7b"><svg')
    expect(article).toMatch(/<title id="compare-1-chart-title">MMLU against parameters.<\/title><desc id="compare-1-chart-desc">Scatter chart of MMLU against Parameters \(log scale\)/)
    expect(article).toContain('<table class="galley-compare-table">')
    expect(article).toContain('<td class="galley-num" title="5-shot">40.5<sup>')
    expect(article).toContain('<figcaption>MMLU against parameters.</figcaption>')
    // No script runs on the page (the layout's JSON-LD is data, not a script).
    expect(page.replace(/<script type="application\/ld\+json">[^<]*<\/script>/g, '')).not.toContain('<script')
    // The same preset as validate.test.ts.
    const validator = new HtmlValidate({extends: ['html-validate:recommended'], rules: {'no-inline-style': 'off', 'valid-id': ['error', {relaxed: true}]}})
    const problems = async (html: string) =>
      (await validator.validateString(html, 'page.html')).results.flatMap((result) => result.messages.filter((message) => message.severity === 2).map((message) => `${message.line}:${message.column}: ${message.message} (${message.ruleId})`))
    expect(await problems(page)).toEqual([])
    const otherPage = await read(dir, '_site/2024/01/02/other/index.html')
    // A page per model, listing the posts that name it (the table of the figure names both models).
    const modelPage = await read(dir, '_site/models/alpha-7b/index.html')
    expect(modelPage).toContain('<h1 class="page-heading">Alpha 7B</h1>')
    expect(modelPage).toContain('href="/2024/01/01/sizes/"')
    expect(modelPage).not.toContain('href="/2024/01/02/other/"')
    expect(modelPage).toMatch(/<th scope="row">Parameters<\/th><td class="galley-num">7B <a href="https:\/\/example.com\/alpha">source<\/a><\/td>/)
    // A chart placing it among its family (and models of about its size), itself in bold.
    expect(modelPage).toContain('<title id="model-alpha-7b-chart-title">Parameters of Alpha 7B, its family and models of about its size</title>')
    expect(modelPage).toContain('Bar chart of Parameters, largest first: Alpha 7B (this model), 7B; Alpha 1B, 1B.')
    expect(modelPage).toMatch(/font-weight="bold">Alpha 7B<\/text>/)
    expect(await problems(modelPage)).toEqual([])
    const index = await read(dir, '_site/models/index.html')
    expect(index).toContain('<h2 id="family-1">alpha</h2>')
    expect(index).toContain('<th scope="row"><a href="/models/alpha-1b/">Alpha 1B</a></th><td class="galley-num">1B</td><td class="galley-num">—</td><td class="galley-num">3T</td>')
    expect(await problems(index)).toEqual([])

    await writeFiles(dir, {'data/models.yml': models(41.5)})
    const second = await runCli(['build', '--source', dir])
    expect(second.code, second.stderr).toBe(0)
    expect(second.stdout).toContain('reused 1 of 2 rendered posts')
    const edited = await read(dir, '_site/2024/01/01/sizes/index.html')
    expect(edited).not.toBe(page)
    expect(articleOf(edited)).toContain('41.5<sup>')
    expect(await read(dir, '_site/2024/01/02/other/index.html')).toBe(otherPage)
  }, 60_000)

  it('fails the build on an unknown model id, at the id in the block, naming the closest ids; and on an invalid models.yml at its line and column', async () => {
    const dir = await makeSite({'site.yml': 'title: Test\n', 'data/models.yml': models(40.5), 'posts/2024-01-01-sizes.md': comparing.replace('alpha-7b]', 'alpha-7]')})
    const unknown = await runCli(['build', '--source', dir])
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toContain('posts/2024-01-01-sizes.md:7:20: error: unknown model `alpha-7` (closest known: alpha-7b, alpha-1b) (compare)')
    expect(unknown.stderr).not.toMatch(/\n\s+at /)
    await writeFiles(dir, {'posts/2024-01-01-sizes.md': comparing})
    await writeFiles(dir, {'data/models.yml': models(40.5).replace('training_tokens: 3T', 'training_tokens: 3X')})
    const failed = await runCli(['build', '--source', dir])
    expect(failed.code).not.toBe(0)
    expect(failed.stderr).toMatch(/data\/models\.yml:5:20: error: .*unknown unit/)
  }, 60_000)

  it('lists the models each post discusses under it, links them both ways, and puts model pages in the sitemap and models in the feeds', async () => {
    const post = (title: string, matter: string, body: string) => ['---', `title: ${title}`, matter, '---', body, ''].filter((line) => line !== '').join('\n')
    const dir = await makeSite({
      'site.yml': 'title: Test\nurl: https://example.com\nauthor: Tester\n',
      'data/models.yml': models(40.5),
      'posts/2024-01-01-sizes.md': comparing,
      'posts/2024-01-02-prose.md': post('Prose', '', 'We ran Alpha 7B for a week. The `Alpha 1B` name in code and [Alpha 1B](https://example.com/) in a link do not count.'),
      'posts/2024-01-03-quiet.md': post('Quiet', 'models: false', 'Alpha 7B is named here, but this post turned detection off.'),
      'posts/2024-01-04-listed.md': post('Listed', 'models: [alpha-1b]', 'Nothing named in the text.'),
      'posts/2024-01-05-typo.md': post('Typo', 'models: [alpha-7]', 'A mistyped id in front matter.')
    })
    const result = await runCli(['build', '--source', dir])
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr).toContain('posts/2024-01-05-typo.md:3:1: warning: `models` lists `alpha-7`, which the model data does not have (closest known: alpha-7b, alpha-1b) (models)')
    const listOf = async (slug: string) => {
      const page = await read(dir, `_site/2024/01/0${slug}/index.html`)
      const nav = /<nav class="post-models" aria-label="Models in this post">([\s\S]*?)<\/nav>/.exec(page)?.[1]
      return nav === undefined ? undefined : [...nav.matchAll(/<a href="([^"]+)">([^<]+)<\/a>/g)].map((match) => `${match[2]} ${match[1]}`)
    }
    expect(await listOf('1/sizes')).toEqual(['Alpha 1B /models/alpha-1b/', 'Alpha 7B /models/alpha-7b/'])
    expect(await listOf('2/prose')).toEqual(['Alpha 7B /models/alpha-7b/'])
    expect(await listOf('3/quiet')).toBeUndefined()
    expect(await listOf('4/listed')).toEqual(['Alpha 1B /models/alpha-1b/'])

    // Each model page lists the posts that discuss it, newest first.
    const linked = async (id: string) => [...(await read(dir, `_site/models/${id}/index.html`)).matchAll(/href="(\/2024\/[^"]+)"/g)].map((match) => match[1]).filter((url, index, all) => all.indexOf(url) === index)
    expect(await linked('alpha-7b')).toEqual(['/2024/01/02/prose/', '/2024/01/01/sizes/'])
    expect(await linked('alpha-1b')).toEqual(['/2024/01/04/listed/', '/2024/01/01/sizes/'])

    const sitemap = await read(dir, '_site/sitemap.xml')
    for (const url of ['/models/', '/models/alpha-1b/', '/models/alpha-7b/']) expect(sitemap).toContain(`<loc>https://example.com${url}</loc>`)

    const atom = await read(dir, '_site/feed.xml')
    const entry = (slug: string) => /<entry>[\s\S]*?<\/entry>/g[Symbol.match](atom)?.find((one) => one.includes(`/2024/01/0${slug}/`)) ?? ''
    expect(entry('2/prose')).toContain('<category label="Alpha 7B" scheme="https://example.com/models/" term="alpha-7b"/>')
    expect(entry('3/quiet')).not.toContain('term="alpha-7b"')
    const json = JSON.parse(await read(dir, '_site/feed.json')) as {items: Array<{url: string; tags?: string[]}>}
    expect(json.items.find((item) => item.url.endsWith('/2024/01/01/sizes/'))?.tags).toEqual(['Alpha 1B', 'Alpha 7B'])
  }, 60_000)
})
