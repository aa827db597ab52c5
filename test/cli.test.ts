import {existsSync, promises as fs, readFileSync} from 'node:fs'
import path from 'node:path'
import type {Root} from 'hast'
import {fromHtml} from 'hast-util-from-html'
import {select, selectAll} from 'hast-util-select'
import {toString} from 'hast-util-to-string'
import {describe, expect, it} from 'vitest'
import {copyFixture, hasSeed, makeSite, read, root, runCli, seedPath, snapshotTree, writeFiles} from './helpers.js'

const SEED_NAME = '2024-05-12-how-good-are-the-latest-open-llms.md'
const SEED_PAGE = '_site/2024/05/12/how-good-are-the-latest-open-llms/index.html'
const ZONES = ['UTC', 'America/Los_Angeles', 'Pacific/Kiritimati']

/** What a seed-shaped post says about itself, read from its source with plain string work (not with Galley). */
function describeSource(text: string) {
  const front = /^---\n([\s\S]*?)\n---\n/.exec(text)?.[1] ?? ''
  const field = (key: string) => new RegExp(`^${key}:\\s*(.*)$`, 'm').exec(front)?.[1]?.trim() ?? ''
  const body = text.slice(text.indexOf('\n---\n', 4) + 5)
  const intro = body.slice(0, body.indexOf('<!--more-->'))
  return {
    title: field('title').replace(/<br\s*\/?>/g, ' ').replace(/\s+/g, ' ').trim(),
    author: field('author'),
    caption: field('image_caption'),
    headings: [...body.matchAll(/<h([234])>(.*?)<\/h\1>/g)].map((match) => match[2]?.replace(/&amp;/g, '&')),
    images: [...body.matchAll(/<img [^>]*src="([^"]+)"/g)].map((match) => match[1]),
    arxiv: [...new Set([...body.matchAll(/https:\/\/arxiv\.org\/abs\/[\d.]+/g)].map((match) => match[0]))],
    introParagraphs: intro.split(/\n/).filter((line) => line.trim() !== '' && !line.startsWith('<h')),
    afterMore: body.slice(body.indexOf('<!--more-->') + 11).split('\n').find((line) => line.trim() !== '') ?? ''
  }
}

async function parsePage(dir: string, file: string): Promise<Root> {
  return fromHtml(await read(dir, file))
}

/** Every acceptance point of the foundation issue for one built seed-shaped site. */
async function checkSeedSite(dir: string, source: string): Promise<void> {
  const expected = describeSource(source)
  const page = await parsePage(dir, SEED_PAGE)
  expect(toString(select('title', page)!)).toBe(expected.title)
  const h1 = select('h1', page)!
  expect(select('br', h1)).toBeDefined()
  expect(toString(h1).replace(/\s+/g, ' ').trim()).toBe(expected.title)
  const article = select('article', page)!
  expect(toString(article)).toContain(expected.author)
  const time = select('article time', page)!
  expect(time.properties.dateTime).toBe('2024-05-12T00:00:00+09:00')
  expect(toString(time)).toBe('May 12, 2024')

  const hero = select('figure.hero img', page)!
  expect(hero.properties.src).toBe('/assets/ahead_of_ai.png')
  expect(existsSync(path.join(dir, '_site/assets/ahead_of_ai.png'))).toBe(true)
  expect(toString(select('figure.hero figcaption', page)!)).toBe(expected.caption)

  const content = select('.post-content', page)!
  const images = selectAll('img', content).map((img) => img.properties.src)
  expect(images).toHaveLength(14)
  expect(images).toEqual(expected.images)
  // The post's own numbered list of sections (not the automatic table of contents, which comes first: the post has ≥ 4 sections).
  const lists = selectAll(':scope > ol', content)
  expect(selectAll(':scope > li', lists[0]!)).toHaveLength(4)
  expect(select('nav.toc', content)).toBeDefined()
  const headings = selectAll('h2, h3, h4', content).map((node) => toString(node))
  expect(headings).toHaveLength(19)
  expect(headings).toEqual(expected.headings)
  const links = new Set(selectAll('a', content).map((a) => String(a.properties.href)))
  expect(expected.arxiv.length).toBeGreaterThan(0)
  for (const url of expected.arxiv) expect(links, url).toContain(url)

  const index = await parsePage(dir, '_site/index.html')
  const summary = selectAll('article', index).find((node) => select('a[href="/2024/05/12/how-good-are-the-latest-open-llms/"]', node))
  expect(summary).toBeDefined()
  const paragraphs = selectAll('p', summary!).map((p) => toString(p).trim()).filter((text) => expected.introParagraphs.some((line) => line.startsWith(text.slice(0, 30))))
  expect(paragraphs).toHaveLength(2)
  expect(toString(summary!)).not.toContain(expected.afterMore.slice(0, 40))
}

describe('galley CLI', () => {
  it('prints help and exits 0; unknown commands and flags exit 2', async () => {
    const help = await runCli(['--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('galley <command>')
    const buildHelp = await runCli(['build', '--help'])
    expect(buildHelp.code).toBe(0)
    for (const flag of ['--source', '--out', '--base-url', '--drafts', '--future']) expect(buildHelp.stdout).toContain(flag)
    expect((await runCli(['explode'])).code).toBe(2)
    const badFlag = await runCli(['build', '--nope'])
    expect(badFlag.code).toBe(2)
    expect(badFlag.stderr).toMatch(/galley: .*--nope/)
  })

  it('prints its version (the package.json one) for --version, -v and version', async () => {
    const {version} = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {version: string}
    for (const flag of ['--version', '-v', 'version']) {
      const result = await runCli([flag])
      expect(result.code, flag).toBe(0)
      expect(result.stdout).toBe(`galley ${version}\n`)
    }
  })

  describe.each(ZONES)('the seed mirror fixture under TZ=%s', (zone) => {
    it('builds with every acceptance point of the foundation', async () => {
      const dir = await copyFixture('sites/seed-mirror')
      const result = await runCli(['build', '--source', dir], {env: {TZ: zone}})
      expect(result.stderr).not.toMatch(/: error: /)
      expect(result.code).toBe(0)
      await checkSeedSite(dir, readFileSync(path.join(dir, 'posts', SEED_NAME), 'utf8'))
    })
  })

  describe.runIf(hasSeed).each(ZONES)('the real seed post (../shared) under TZ=%s', (zone) => {
    it('builds with every acceptance point of the foundation', async () => {
      const seed = readFileSync(seedPath, 'utf8')
      const dir = await makeSite({[`posts/${SEED_NAME}`]: seed, 'assets/ahead_of_ai.png': readFileSync(path.join(root, 'test/fixtures/sites/seed-mirror/assets/ahead_of_ai.png'))})
      const result = await runCli(['build', '--source', dir], {env: {TZ: zone}})
      expect(result.code).toBe(0)
      await checkSeedSite(dir, seed)
    })
  })

  it('exits 1 on broken YAML, prints path:line:column, and leaves the previous _site byte for byte', async () => {
    const dir = await copyFixture('sites/seed-mirror')
    expect((await runCli(['build', '--source', dir])).code).toBe(0)
    const before = await snapshotTree(path.join(dir, '_site'))
    await writeFiles(dir, {'posts/2024-06-01-broken.md': '---\nlayout: post\ntitle: "Unclosed quote\nauthor: Someone\n---\nBody\n'})
    const result = await runCli(['build', '--source', dir])
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/^posts\/2024-06-01-broken\.md:\d+:\d+: error: invalid YAML/m)
    expect(result.stderr).toMatch(/was left as it was/)
    expect(await snapshotTree(path.join(dir, '_site'))).toEqual(before)
  })

  it('builds the repository sample blog: an index and a page per sample post', async () => {
    const out = await fs.mkdtemp(path.join((await import('node:os')).tmpdir(), 'galley-sample-'))
    const target = path.join(out, '_site')
    const result = await runCli(['build', '--out', target])
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    const posts = (await fs.readdir(path.join(root, 'posts'))).filter((name) => name.endsWith('.md'))
    expect(posts.length).toBeGreaterThanOrEqual(4)
    const index = await read(target, 'index.html')
    for (const name of posts) {
      const [, year, month, day, slug] = /^(\d{4})-(\d{2})-(\d{2})-(.+)\.md$/.exec(name) ?? []
      const url = `/${year}/${month}/${day}/${slug}/`
      expect(existsSync(path.join(target, url, 'index.html')), url).toBe(true)
      expect(index).toContain(`href="${url}"`)
    }
  })

  it('galley init makes a site that builds, and galley new adds a post without overwriting', async () => {
    const parent = await makeSite({})
    const dir = path.join(parent, 'blog')
    const init = await runCli(['init', dir])
    expect(init.code).toBe(0)
    expect(init.stdout).toContain('site.yml')
    expect(init.stdout).toContain(`galley build --source ${dir}`)
    expect(init.stdout).toContain(`npm install         # installs Galley from ${root}`)
    expect((await runCli(['init', dir])).code).toBe(1)
    const created = await runCli(['new', 'Hello: a <br> new post', '--source', dir])
    expect(created.code).toBe(0)
    // The path printed is relative to the current folder (here the repository), not to --source.
    const printed = created.stdout.trim()
    expect(path.relative(dir, path.resolve(root, printed)).split(path.sep).join('/')).toMatch(/^posts\/\d{4}-\d{2}-\d{2}-hello-a-new-post\.md$/)
    expect(existsSync(path.resolve(root, printed))).toBe(true)
    const again = await runCli(['new', 'Hello: a <br> new post', '--source', dir])
    expect(again.code).toBe(1)
    expect(again.stderr).toContain('already exists')
    expect((await runCli(['new', '--source', dir])).code).toBe(2)
    const build = await runCli(['build', '--source', dir, '--check'])
    // Only the reminder that site.yml's url: is still a commented-out example.
    expect(build.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^site\.yml:1:1: warning: no url set in site\.yml: .*\(site-url\)$/), expect.stringMatching(/^galley: warnings by rule: site-url: 1 /)])
    expect(build.code).toBe(0)
    expect(build.stdout).toMatch(/built 2 posts/)
  })

  it('galley serve --help describes the preview', async () => {
    const help = await runCli(['serve', '--help'])
    expect(help.code).toBe(0)
    for (const flag of ['--port', '--host', '--drafts', '--future', '--open']) expect(help.stdout).toContain(flag)
  })

  it('prints every one of more than 40 errors without --verbose', async () => {
    const files: Record<string, string> = {}
    for (let index = 0; index < 45; index++) files[`posts/2024-02-${String((index % 28) + 1).padStart(2, '0')}-e${index}.md`] = `---\ntitle: [broken ${index}\n---\nBody.\n`
    const dir = await makeSite(files)
    const result = await runCli(['build', '--source', dir])
    expect(result.code).toBe(1)
    const errors = result.stderr.split('\n').filter((line) => /^posts\/2024-02-\d\d-e\d+\.md:\d+:\d+: error: invalid YAML in front matter/.test(line))
    expect(errors).toHaveLength(45)
    expect(new Set(errors.map((line) => line.split(':')[0])).size).toBe(45)
    expect(result.stderr).not.toMatch(/not shown/)
    expect(result.stderr).toMatch(/^galley: build failed with 45 errors/m)
  })

  it('summarises warnings beyond the first 40 unless --verbose', async () => {
    const files: Record<string, string> = {}
    for (let day = 1; day <= 9; day++) files[`posts/2024-01-0${day}-p${day}.md`] = `---\ntitle: P${day}\n---\n${Array.from({length: 6}, (_, index) => `![](missing-${index}.png)`).join('\n\n')}\n`
    const dir = await makeSite(files)
    const quiet = await runCli(['build', '--source', dir])
    expect(quiet.code).toBe(0)
    expect(quiet.stderr.split('\n').filter((line) => line.includes(': warning: '))).toHaveLength(40)
    expect(quiet.stderr).toMatch(/galley: \d+ more warnings not shown/)
    const verbose = await runCli(['build', '--source', dir, '--verbose'])
    expect(verbose.stderr.split('\n').filter((line) => line.includes(': warning: ')).length).toBeGreaterThan(40)
    expect(verbose.stderr).toMatch(/^posts\/2024-01-01-p1\.md: \d+ warnings$/m)
    expect(verbose.stderr).not.toMatch(/not shown/)
  })
})
