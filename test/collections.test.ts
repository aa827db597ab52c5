import {execFile} from 'node:child_process'
import {existsSync, promises as fs} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fromHtml} from 'hast-util-from-html'
import {select, selectAll} from 'hast-util-select'
import {toString} from 'hast-util-to-string'
import {describe, expect, it} from 'vitest'
import {makeSite, read, root, runCli, sharedDir} from './helpers.js'

const doc = (front: string, body: string) => `---\n${front}\n---\n${body}`

/** A Jekyll-style site with three collections: two written (one with its own permalink), one only read. */
const site = {
  '_config.yml': [
    'title: Workshop',
    'permalink: pretty',
    'collections:',
    '  guides:',
    '    output: true',
    '    permalink: /:collection/:path/',
    '  notes:',
    '    output: true',
    '  tools:',
    '    output: false',
    '    sort_by: rank',
    ''
  ].join('\n'),
  '_layouts/default.html': '<html><body><main data-collection="{{ page.collection }}">{{ content }}</main></body></html>\n',
  '_layouts/post.html': '---\nlayout: default\n---\n<article>{{ content }}</article>\n',
  '_guides/setup.md': doc('title: Setting up', '## First steps {#first}\n\nUnpack the *kit*.\n'),
  '_guides/advanced/tuning.md': doc('', 'Turn the dial slowly.\n'),
  '_guides/advanced/dial.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>',
  '_guides/moved.md': doc('title: Moved\npermalink: /elsewhere/moved.html', 'Here now.\n'),
  '_notes/2024-02-03-field-day.md': doc('title: Field day', 'Mud everywhere.\n'),
  '_notes/2999-01-01-someday.md': doc('title: Someday', 'Not yet.\n'),
  '_tools/saw.md': doc('title: Saw\nrank: 2', 'Cuts.\n'),
  '_tools/file.md': doc('title: File\nrank: 1', 'Smooths.\n'),
  '_posts/2024-03-01-workshop-log.md': doc(
    'title: Workshop log',
    [
      'Start with [the setup]({% link _guides/setup.md %}#first), then [tuning]({% link _guides/advanced/tuning.md %}).',
      '',
      'The [dial]({% link _guides/advanced/dial.svg %}) and [the field day]({% link _notes/2024-02-03-field-day.md %}).',
      '',
      '<ul class="guides">{% for g in site.guides %}<li data-url="{{ g.url }}">{{ g.title }}</li>{% endfor %}</ul>',
      '<ul class="labels">{% for c in site.collections %}<li>{{ c.label }}:{{ c.docs | size }}:{{ c.output }}</li>{% endfor %}</ul>',
      '<p class="tools">{{ site.tools | map: "title" | join: "," }}</p>',
      ''
    ].join('\n')
  )
}

describe('Jekyll collections, built by the CLI', () => {
  it('writes the documents of collections with output: true to their permalinks, and {% link %} finds them', async () => {
    const dir = await makeSite(site)
    const result = await runCli(['build', '--source', dir, '--no-cache'])
    expect(result.stderr.split('\n').filter((line) => /: (error|warning): /.test(line) && !line.endsWith('(site-url)'))).toEqual([])
    expect(result.code).toBe(0)

    const setup = fromHtml(await read(dir, '_site/guides/setup/index.html'))
    expect(toString(select('h2', setup)!)).toBe('First steps')
    expect(select('em', setup)).toBeTruthy()
    expect(select('main', setup)?.properties.dataCollection).toBe('guides')
    // No title: the file name titleized, as Jekyll does.
    expect(await read(dir, '_site/guides/advanced/tuning/index.html')).toContain('Turn the dial slowly.')
    // A document's own permalink wins; a collection without one ends like the site's style (pretty: a folder).
    expect(await read(dir, '_site/elsewhere/moved.html')).toContain('Here now.')
    expect(await read(dir, '_site/notes/2024-02-03-field-day/index.html')).toContain('Mud everywhere.')
    expect(await read(dir, '_site/guides/advanced/dial.svg')).toContain('<svg')
    // output: false: read and rendered for Liquid, never written.
    expect(existsSync(path.join(dir, '_site/tools'))).toBe(false)
    // A document dated in the future waits, as a post does (future: false).
    expect(existsSync(path.join(dir, '_site/notes/2999-01-01-someday'))).toBe(false)

    const log = fromHtml(await read(dir, '_site/2024/03/01/workshop-log/index.html'))
    expect(selectAll('article a', log).map((a) => a.properties.href)).toEqual(['/guides/setup/#first', '/guides/advanced/tuning/', '/guides/advanced/dial.svg', '/notes/2024-02-03-field-day/'])
    expect(selectAll('.guides li', log).map((li) => [li.properties.dataUrl, toString(li)])).toEqual([
      ['/guides/advanced/tuning/', 'Tuning'],
      ['/elsewhere/moved.html', 'Moved'],
      ['/guides/setup/', 'Setting up']
    ])
    expect(selectAll('.labels li', log).map((li) => toString(li))).toEqual(['guides:3:true', 'notes:1:true', 'posts:1:true', 'tools:2:false'])
    expect(toString(select('.tools', log)!)).toBe('File,Saw')
  })

  it('gives links under the baseurl once, and warns for a link to a document that is not written', async () => {
    const dir = await makeSite({
      ...site,
      '_posts/2024-03-02-tools.md': doc(
        'title: Tools\nguide: _guides/setup.md\nother: _guides/gone.md',
        'See [the saw]({% link _tools/saw.md %}) and [setup]({% link _guides/setup.md %}).\n\nBy name: [guide]({% link {{ page.guide }} %}), [other]({% link {{ page.other }} %}).\n'
      )
    })
    const result = await runCli(['build', '--source', dir, '--no-cache', '--base-url', '/shop'])
    expect(result.code).toBe(0)
    expect(result.stderr).toMatch(/_posts\/2024-03-02-tools\.md:\d+:\d+: warning: no file called "_tools\/saw\.md": the link points nowhere \("#"\) \(missing-file\)/)
    const page = fromHtml(await read(dir, '_site/2024/03/02/tools/index.html'))
    // A name holding Liquid is rendered first, as Jekyll does.
    expect(result.stderr).toMatch(/_posts\/2024-03-02-tools\.md:\d+:\d+: warning: no file called "_guides\/gone\.md" \(from "\{\{ page\.other \}\}"\): the link points nowhere \("#"\) \(missing-file\)/)
    expect(selectAll('article a', page).map((a) => a.properties.href)).toEqual(['#', '/shop/guides/setup/', '/shop/guides/setup/', '#'])
    const log = fromHtml(await read(dir, '_site/2024/03/01/workshop-log/index.html'))
    expect(selectAll('article a', log).map((a) => a.properties.href)[0]).toBe('/shop/guides/setup/#first')
  })

  it('rebuilds a changed document from the cache, and its page shows the change', async () => {
    const dir = await makeSite(site)
    expect((await runCli(['build', '--source', dir])).code).toBe(0)
    await fs.writeFile(path.join(dir, '_guides/setup.md'), doc('title: Setting up', 'Unpack the *box* first.\n'))
    expect((await runCli(['build', '--source', dir])).code).toBe(0)
    expect(await read(dir, '_site/guides/setup/index.html')).toContain('Unpack the <em>box</em> first.')
  })
})

const jekyllDocs = path.join(sharedDir, 'corpus', 'jekyll__jekyll', 'docs')
const releasePosts = ['2023-01-29-jekyll-3-9-3-released.markdown', '2023-12-28-jekyll-3-9-4-released.markdown', '2024-06-23-jekyll-3-10-0-released.markdown']
const hasJekyll = await new Promise<boolean>((resolve) => execFile('jekyll', ['--version'], (error) => resolve(!error)))
const hasPosts = releasePosts.every((name) => existsSync(path.join(jekyllDocs, '_posts', name)))

describe.skipIf(!hasJekyll || !hasPosts)("Jekyll's own release posts (jekyll-docs corpus), compared with Jekyll", () => {
  it('link {% link _docs/history.md %}#… to the docs collection as Jekyll does', async () => {
    const copy = await fs.mkdtemp(path.join(os.tmpdir(), 'galley-collections-'))
    await fs.mkdir(path.join(copy, '_posts'))
    await fs.copyFile(path.join(jekyllDocs, '_config.yml'), path.join(copy, '_config.yml'))
    for (const name of releasePosts) await fs.copyFile(path.join(jekyllDocs, '_posts', name), path.join(copy, '_posts', name))
    const output = await new Promise<string>((resolve, reject) =>
      execFile('bash', [path.join(root, 'scripts/compare-with-jekyll.sh'), copy], {cwd: root, maxBuffer: 16 * 1024 * 1024}, (error, stdout, stderr) => (error ? reject(new Error(stderr || String(error))) : resolve(stdout)))
    )
    expect(output).toMatch(/: 3 posts, 0 differ \(3 compared;/)
  })
})
