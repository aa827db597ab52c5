import {promises as fs} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {build} from '../src/build.js'
import {loadConfig} from '../src/config.js'
import {formatMessages} from '../src/report.js'
import {copyFixture, fixtures, hasSeed, makeSite, root, runCli, seedPath, snapshotTree, writeFiles} from './helpers.js'

/**
 * The persistent cache must never change what a build writes: a build that
 * reuses the last build's work gives the same `_site`, byte for byte, as a
 * clean `--no-cache` build of the same sources. And a cache that cannot be
 * trusted (truncated, garbage, another version's, a damaged body) is ignored
 * with a warning and rebuilt.
 */

const NOW = Date.parse('2025-06-01T00:00:00Z')
const cacheDir = (site: string) => path.join(site, 'node_modules', '.cache', 'galley')

/** Build in this process (cache on, or off into another folder); the messages of errors, if any. */
async function buildIn(source: string, options: {cache: boolean; out?: string}) {
  const loaded = loadConfig({source, now: NOW, workers: 1, cache: options.cache, out: options.out})
  if (!loaded.config) throw new Error(formatMessages([loaded.file]).join('\n'))
  const report = await build(loaded.config)
  if (!report.ok) throw new Error(formatMessages(report.files, {warnings: false}).join('\n'))
  return report
}

/** The tree of an output folder, without Galley's marker. */
async function tree(out: string): Promise<Record<string, string>> {
  const files = Object.fromEntries(await snapshotTree(out))
  delete files['.galley-output']
  return files
}

function post(title: string, body: string, extra = ''): string {
  return `---\nlayout: post\ntitle: "${title}"\n${extra}---\n${body}\n`
}

/** A small site with something for every kind of edit: posts, an image, a data file a page reads, its own layouts and an include. */
async function startingSite(): Promise<string> {
  const image = await fs.readFile(path.join(fixtures, 'sites/seed-mirror/assets/ahead_of_ai.png'))
  const dir = await makeSite({
    'site.yml': 'title: Cache test\nurl: https://example.com\npaginate: 2\n',
    'data/info.yml': 'name: First name\n',
    'about.md': '---\nlayout: page\ntitle: About\n---\nRun by {{ site.data.info.name }}.\n',
    'posts/images/pic.png': image,
    'posts/2024-01-01-one.md': post('One', 'First post.\n\n![A picture](images/pic.png)', 'tags: [a]\n'),
    'posts/2024-01-02-two.md': post('Two', 'Second post, with `code` and a [link](2024-01-01-one.md).'),
    'posts/2024-01-03-three.md': post('Three', 'Third post.\n\n<!--more-->\n\nAfter the fold.', 'tags: [a, b]\n')
  })
  await fs.cp(path.join(root, 'layouts'), path.join(dir, 'layouts'), {recursive: true})
  return dir
}

let stamp = 0
/** Write files with an mtime of their own, far enough in the past that the cache trusts stamps (no racy re-reads). */
async function edit(dir: string, files: Record<string, string | Uint8Array>): Promise<void> {
  await writeFiles(dir, files)
  for (const name of Object.keys(files)) {
    const when = new Date(NOW - 86_400_000 + ++stamp * 1000)
    await fs.utimes(path.join(dir, name), when, when)
  }
}

type Edit = (dir: string, round: number) => Promise<void>

const edits: Record<string, Edit> = {
  'post text': async (dir, round) => edit(dir, {'posts/2024-01-02-two.md': post('Two', `Second post, edited ${round}.`)}),
  'same-size post text': async (dir, round) => edit(dir, {'posts/2024-01-03-three.md': post('Three', `Third post.\n\n<!--more-->\n\nAfter the fold ${round % 10}.`, 'tags: [a, b]\n')}),
  'front matter': async (dir, round) => edit(dir, {'posts/2024-01-01-one.md': post(`One, take ${round}`, 'First post.\n\n![A picture](images/pic.png)', round % 2 ? 'tags: [b]\n' : 'tags: [a]\n')}),
  layout: async (dir, round) => {
    const file = path.join(dir, 'layouts/post.html')
    const text = await fs.readFile(file, 'utf8')
    await edit(dir, {'layouts/post.html': text.replace(/<article class="post[^"]*">/, `<article class="post edit-${round}">`)})
  },
  include: async (dir, round) => {
    const file = path.join(dir, 'layouts/includes/footer.html')
    const text = await fs.readFile(file, 'utf8')
    await edit(dir, {'layouts/includes/footer.html': text.replace(/Built with Galley\.[^<]*/, `Built with Galley. Round ${round}.`)})
  },
  'site.yml': async (dir, round) => edit(dir, {'site.yml': `title: Cache test ${round}\nurl: https://example.com\npaginate: ${1 + (round % 3)}\n`}),
  'data file': async (dir, round) => edit(dir, {'data/info.yml': `name: Name number ${round}\n`}),
  'add a post': async (dir, round) => edit(dir, {[`posts/2024-02-${String(1 + (round % 27)).padStart(2, '0')}-added-${round}.md`]: post(`Added ${round}`, 'A new post.')}),
  'remove a post': async (dir) => {
    const posts = (await fs.readdir(path.join(dir, 'posts'))).filter((name) => name.endsWith('.md')).sort()
    if (posts.length > 1) await fs.rm(path.join(dir, 'posts', posts[posts.length - 1] as string))
  },
  'rename a post': async (dir, round) => {
    const posts = (await fs.readdir(path.join(dir, 'posts'))).filter((name) => name.endsWith('.md')).sort()
    const from = posts[0] as string
    await fs.rename(path.join(dir, 'posts', from), path.join(dir, 'posts', from.replace(/(-renamed\d*)?\.md$/, `-renamed${round}.md`)))
  },
  'remove the image': async (dir) => fs.rm(path.join(dir, 'posts/images/pic.png'), {force: true}),
  'add the image back, changed': async (dir, round) => {
    const image = await fs.readFile(path.join(fixtures, 'sites/seed-mirror/assets/ahead_of_ai.png'))
    await edit(dir, {'posts/images/pic.png': Buffer.concat([image, Buffer.alloc(round % 7)])})
  },
  'rename the image': async (dir, round) => {
    const from = path.join(dir, 'posts/images/pic.png')
    try {
      await fs.rename(from, path.join(dir, `posts/images/pic-${round}.png`))
    } catch {
      // Already gone: nothing to rename.
    }
  }
}

describe('the persistent cache', () => {
  it('gives a _site byte-identical to a clean --no-cache build after every edit (random edit sequences)', async () => {
    const names = Object.keys(edits)
    let checked = 0
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...names), {minLength: 1, maxLength: 4}), async (sequence) => {
        const dir = await startingSite()
        const clean = await fs.mkdtemp(path.join(os.tmpdir(), 'galley-clean-'))
        try {
          await buildIn(dir, {cache: true})
          for (const [round, name] of sequence.entries()) {
            await (edits[name] as Edit)(dir, round + 1)
            await buildIn(dir, {cache: true})
            await buildIn(dir, {cache: false, out: path.join(clean, String(round))})
            expect(await tree(path.join(dir, '_site')), `after ${sequence.slice(0, round + 1).join(' → ')}`).toEqual(await tree(path.join(clean, String(round))))
            checked++
          }
        } finally {
          await fs.rm(dir, {recursive: true, force: true})
          await fs.rm(clean, {recursive: true, force: true})
        }
      }),
      {numRuns: 50}
    )
    expect(checked).toBeGreaterThanOrEqual(50)
  }, 600_000)

  it('reuses everything when nothing changed, says so, and leaves the output as it was', async () => {
    const dir = await copyFixture('sites/seed-mirror')
    const first = await runCli(['build', '--source', dir])
    expect(first.code).toBe(0)
    expect(first.stdout).toContain('nothing to reuse yet')
    const before = await fs.stat(path.join(dir, '_site/index.html'))
    const second = await runCli(['build', '--source', dir])
    expect(second.code).toBe(0)
    expect(second.stdout).toMatch(/reused (\d+) of \1 rendered posts? and (\d+) of \2 output files from the cache; nothing changed, the output was left as it was/)
    expect((await fs.stat(path.join(dir, '_site/index.html'))).ino).toBe(before.ino)
    // The same warnings as the first build: cached bodies report what they reported when rendered.
    expect(second.stderr).toBe(first.stderr)
  }, 60_000)

  it('--no-cache neither reads nor writes the cache', async () => {
    const dir = await copyFixture('sites/seed-mirror')
    const result = await runCli(['build', '--source', dir, '--no-cache'])
    expect(result.code).toBe(0)
    await expect(fs.stat(cacheDir(dir))).rejects.toThrow()
    expect(result.stdout).not.toContain('cache')
  }, 60_000)

  it('honours cache_dir: in site.yml', async () => {
    const dir = await makeSite({'site.yml': 'cache_dir: .galley-cache\n', 'posts/2024-01-01-a.md': post('A', 'Alpha.')})
    expect((await runCli(['build', '--source', dir])).code).toBe(0)
    await fs.stat(path.join(dir, '.galley-cache', 'index.json'))
    // The cache folder is not content: it is not copied into the site.
    await expect(fs.stat(path.join(dir, '_site', '.galley-cache'))).rejects.toThrow()
  }, 60_000)

  const damages: Array<[string, (dir: string) => Promise<void>, RegExp]> = [
    ['a truncated index', async (dir) => fs.truncate(path.join(cacheDir(dir), 'index.json'), 100), /cache index .* is damaged/],
    ['garbage bytes in the index', async (dir) => fs.writeFile(path.join(cacheDir(dir), 'index.json'), Buffer.from([0, 1, 2, 255, 254, 10, 123])), /cache index .* is damaged/],
    [
      'an index written by another version',
      async (dir) => {
        const file = path.join(cacheDir(dir), 'index.json')
        const index = JSON.parse(await fs.readFile(file, 'utf8')) as {galley: string}
        index.galley = '0.0.0-other'
        await fs.writeFile(file, JSON.stringify(index))
      },
      /written by galley 0\.0\.0-other/
    ],
    [
      'a damaged body',
      async (dir) => {
        const bodies = path.join(cacheDir(dir), 'bodies')
        for (const name of await fs.readdir(bodies)) await fs.writeFile(path.join(bodies, name), 'garbage\n<p>not what was rendered</p>')
      },
      /cache in .* is damaged/
    ]
  ]

  it.each(damages)('ignores %s with a warning, rebuilds, and writes the same site', async (_name, damage, warning) => {
    const dir = await copyFixture('sites/seed-mirror')
    expect((await runCli(['build', '--source', dir])).code).toBe(0)
    const good = await tree(path.join(dir, '_site'))
    await damage(dir)
    // A layout edit, so pages are made again from the (damaged) cached bodies.
    const layout = path.join(dir, 'layouts/post.html')
    await fs.mkdir(path.dirname(layout), {recursive: true})
    await fs.cp(path.join(root, 'layouts'), path.join(dir, 'layouts'), {recursive: true})
    const result = await runCli(['build', '--source', dir])
    expect(result.code).toBe(0)
    expect(result.stderr).toMatch(new RegExp(`warning: .*${warning.source}.*\\(cache\\)`))
    const rebuilt = await tree(path.join(dir, '_site'))
    expect(rebuilt).toEqual(good)
    // And the cache is sound again: the next build reuses it without a warning.
    const next = await runCli(['build', '--source', dir])
    expect(next.stderr).not.toMatch(/\(cache\)/)
    expect(next.stdout).toMatch(/nothing changed/)
  }, 60_000)
})

describe('worker threads', () => {
  const sites: Array<[string, () => Promise<string>]> = [
    ['the sample blog', async () => {
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'galley-sample-'))
      for (const name of ['posts', 'data', 'site.yml']) await fs.cp(path.join(root, name), path.join(dir, name), {recursive: true})
      return dir
    }],
    ['the seed mirror', () => copyFixture('sites/seed-mirror')]
  ]
  if (hasSeed) {
    sites.push(['the seed', async () => {
      const dir = await makeSite({'posts/2024-05-12-how-good-are-the-latest-open-llms.md': await fs.readFile(seedPath, 'utf8')})
      return dir
    }])
  }

  it.each(sites)('%s gives the same tree with 1 and with 4 workers', async (_name, make) => {
    const dir = await make()
    const outs = []
    for (const workers of ['1', '4']) {
      const out = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'galley-workers-')), '_site')
      const result = await runCli(['build', '--source', dir, '--out', out, '--no-cache', '--workers', workers], {env: {SOURCE_DATE_EPOCH: String(NOW / 1000)}})
      expect(result.code, result.stderr).toBe(0)
      outs.push(await tree(out))
    }
    expect(outs[1]).toEqual(outs[0])
  }, 120_000)
})
