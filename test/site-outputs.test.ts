import {spawnSync} from 'node:child_process'
import {existsSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {copyFixture, fixtures, hasSeed, makeSite, read, runCli, seedPath} from './helpers.js'

/** The sites the acceptance points name: the sample blog (this repository) and the seed, with and without a sub-path. */
async function sampleBlog(baseUrl: string | undefined): Promise<string> {
  const out = path.join(await makeSite({}), '_site')
  const result = await runCli(['build', '--out', out, '--check', ...(baseUrl ? ['--base-url', baseUrl] : [])])
  expect(result.stderr).toBe('')
  expect(result.code).toBe(0)
  expect(result.stdout).toMatch(/galley: no broken links in/)
  return out
}

async function seedSite(baseUrl: string | undefined): Promise<string> {
  const dir = hasSeed
    ? await makeSite({
        'posts/2024-05-12-how-good-are-the-latest-open-llms.md': readFileSync(seedPath, 'utf8'),
        'assets/ahead_of_ai.png': readFileSync(path.join(fixtures, 'sites/seed-mirror/assets/ahead_of_ai.png'))
      })
    : await copyFixture('sites/seed-mirror')
  const result = await runCli(['build', '--source', dir, '--check', ...(baseUrl ? ['--base-url', baseUrl] : [])])
  expect(result.stderr).not.toMatch(/: error: |broken link/)
  expect(result.code).toBe(0)
  return path.join(dir, '_site')
}

function xmllint(args: string[]): {code: number; stderr: string} {
  const result = spawnSync('xmllint', args, {encoding: 'utf8'})
  if (result.error) throw new Error(`cannot run xmllint (run scripts/test-setup.sh): ${result.error.message}`)
  return {code: result.status ?? 1, stderr: result.stderr}
}

describe.each([undefined, '/blog'])('site outputs with base URL %s', (baseUrl) => {
  const prefix = baseUrl ?? ''

  it('the sample blog has no broken link, every internal URL carries the prefix once, and feeds and sitemap are complete', async () => {
    const out = await sampleBlog(baseUrl)
    for (const file of ['index.html', '404.html', 'robots.txt', 'sitemap.xml', 'feed.xml', 'feed.json', '.nojekyll', 'archive/index.html']) {
      expect(existsSync(path.join(out, file)), file).toBe(true)
    }
    const index = await read(out, 'index.html')
    expect(index).not.toContain('/blog/blog')
    const hrefs = [...index.matchAll(/(?:href|src)="(\/[^"/][^"]*)"/g)].map((match) => match[1] ?? '')
    expect(hrefs.length).toBeGreaterThan(5)
    for (const href of hrefs) expect(href.startsWith(prefix + '/'), href).toBe(true)

    // Atom: valid against RFC 4287's schema; absolute URLs with the prefix once.
    const atom = await read(out, 'feed.xml')
    const validation = xmllint(['--noout', '--relaxng', path.join(fixtures, 'atom/atom.rng'), path.join(out, 'feed.xml')])
    expect(validation.stderr).toContain('validates')
    expect(validation.code).toBe(0)
    expect(atom).toContain(`<link rel="self" href="https://galley.example.com${prefix}/feed.xml"/>`)
    expect(atom).not.toMatch(/(src|href)="\//)
    expect(atom).toContain('<published>2024-07-21T00:00:00+09:00</published>')

    // JSON Feed 1.1: every required field, and every post.
    const feed = JSON.parse(await read(out, 'feed.json')) as {version: string; title: string; items: Array<{id: string; url: string; title: string; content_html?: string; date_published: string}>}
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1')
    expect(feed.title).toBe('Galley Notes')
    expect(feed.items).toHaveLength(5)
    for (const item of feed.items) {
      expect(item.id).toMatch(new RegExp(`^https://galley\\.example\\.com${prefix}/20\\d\\d/`))
      expect(item.content_html).toBeTruthy()
      expect(item.date_published).toMatch(/^20\d\d-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?[+-]\d\d:\d\d$/)
    }

    // Sitemap: well-formed, every post and page once.
    expect(xmllint(['--noout', path.join(out, 'sitemap.xml')]).code).toBe(0)
    const locs = [...(await read(out, 'sitemap.xml')).matchAll(/<loc>([^<]+)<\/loc>/g)].map((match) => match[1] ?? '')
    expect(new Set(locs).size).toBe(locs.length)
    for (const item of feed.items) expect(locs).toContain(item.url)
    expect(locs).toContain(`https://galley.example.com${prefix}/`)
    expect(locs.some((loc) => loc.endsWith('/404.html'))).toBe(false)
    expect(await read(out, 'robots.txt')).toContain(`Sitemap: https://galley.example.com${prefix}/sitemap.xml`)
  })

  it('the seed site has no broken link', async () => {
    const out = await seedSite(baseUrl)
    const page = await read(out, '2024/05/12/how-good-are-the-latest-open-llms/index.html')
    expect(page).toContain(`src="${prefix}/assets/ahead_of_ai.png"`)
  })
})

describe('galley deploy (CLI)', () => {
  it('deploys twice to a local bare repository: two commits on gh-pages, the second holding the changed page', async () => {
    const work = await makeSite({})
    const remote = path.join(work, 'remote.git')
    expect(spawnSync('git', ['init', '--bare', '-q', remote]).status).toBe(0)
    const site = await copyFixture('sites/seed-mirror')
    expect((await runCli(['build', '--source', site])).code).toBe(0)
    const first = await runCli(['deploy', '--source', site, '--git', remote])
    expect(first.stderr).toBe('')
    expect(first.code).toBe(0)
    const postFile = path.join(site, 'posts', '2024-05-12-how-good-are-the-latest-open-llms.md')
    const {writeFile} = await import('node:fs/promises')
    await writeFile(postFile, readFileSync(postFile, 'utf8').replace('<!--more-->', 'A sentence added before the second deploy.\n<!--more-->'))
    expect((await runCli(['build', '--source', site])).code).toBe(0)
    expect((await runCli(['deploy', '--source', site, '--git', remote])).code).toBe(0)
    const git = (...args: string[]) => spawnSync('git', ['--git-dir', remote, ...args], {encoding: 'utf8'}).stdout
    expect(git('rev-list', '--count', 'gh-pages').trim()).toBe('2')
    expect(git('show', 'gh-pages:2024/05/12/how-good-are-the-latest-open-llms/index.html')).toContain('A sentence added before the second deploy.')
    expect(git('show', 'gh-pages~1:2024/05/12/how-good-are-the-latest-open-llms/index.html')).not.toContain('A sentence added before the second deploy.')
    expect(git('ls-tree', '--name-only', 'gh-pages')).toContain('.nojekyll')
    expect(git('ls-tree', '--name-only', 'gh-pages')).not.toContain('.galley-output')
  })
})
