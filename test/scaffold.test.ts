import {existsSync, promises as fs} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import yaml from 'js-yaml'
import {VFile} from 'vfile'
import {parse as parseYaml} from 'yaml'
import {afterEach, describe, expect, it, vi} from 'vitest'
import {buildSite} from '../src/build.js'
import {loadConfig} from '../src/config.js'
import {parseDate} from '../src/content/dates.js'
import {readFrontMatter} from '../src/content/front-matter.js'
import {formatMessages} from '../src/report.js'
import {createPost, initSite, ScaffoldError} from '../src/scaffold.js'
import {makeSite, read, root} from './helpers.js'

/** 20:30 UTC on May 12 is already 05:30 on May 13 in Tokyo. */
const NOW = Date.parse('2024-05-12T20:30:45.678Z')

/** Front matter as js-yaml reads it (core schema, so dates stay strings). */
function yamlOf(text: string): Record<string, unknown> {
  const match = /^---\n([\s\S]*?)\n---\n/.exec(text)
  if (!match?.[1]) throw new Error('no front matter block')
  return yaml.load(match[1], {schema: yaml.CORE_SCHEMA}) as Record<string, unknown>
}

/** Front matter as Galley itself reads it. */
function galleyRead(text: string, file = 'post.md'): Record<string, unknown> {
  return readFrontMatter(new VFile({path: file, value: text})).data
}

/** The ScaffoldError a promise rejects with (fails the test otherwise). */
async function scaffoldError(promise: Promise<unknown>): Promise<ScaffoldError> {
  const error: unknown = await promise.then(() => undefined, (reason: unknown) => reason)
  expect(error).toBeInstanceOf(ScaffoldError)
  return error as ScaffoldError
}

async function tempDir(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), 'galley-scaffold-'))
}

/** The lines but the missing-url warning, which every site here without `url:` gets. */
function withoutUrlWarning(lines: string[]): string[] {
  return lines.filter((line) => !line.endsWith('(site-url)'))
}

describe('createPost', () => {
  it('writes posts/YYYY-MM-DD-slug.md with front matter Galley reads back to the same instant and offset', async () => {
    const dir = await makeSite({'site.yml': 'title: T\ntimezone: Asia/Tokyo\nauthor: Ada Lovelace\n', 'posts/.keep': ''})
    const result = await createPost({source: dir, title: 'Notes on engines', now: NOW})
    expect(result.relative).toBe('posts/2024-05-13-notes-on-engines.md')
    expect(result.path).toBe(path.join(dir, 'posts', '2024-05-13-notes-on-engines.md'))
    const text = await fs.readFile(result.path, 'utf8')
    expect(text).toBe(
      '---\nlayout: post\ntitle: Notes on engines\nauthor: Ada Lovelace\ndate: 2024-05-13 05:30:45 +0900\n---\n' +
        '\nWrite the opening paragraph here. Everything above the line below is the excerpt shown on the home page.\n\n<!--more-->\n\n'
    )
    const data = galleyRead(text)
    expect(data).toEqual(yamlOf(text))
    expect(data).toEqual({layout: 'post', title: 'Notes on engines', author: 'Ada Lovelace', date: '2024-05-13 05:30:45 +0900'})
    for (const options of [{}, {timezone: 'Asia/Tokyo'}, {timezone: 'America/New_York'}]) {
      const parsed = parseDate(data.date, options)
      if (!parsed.ok) throw new Error(parsed.reason)
      expect(parsed.date.getTime()).toBe(Math.floor(NOW / 1000) * 1000)
    }
    const parsed = parseDate(data.date, {timezone: 'Asia/Tokyo'})
    expect(parsed.ok && parsed.date.offset).toBe(540)
    expect(parsed.ok && parsed.date.toZonedISOString()).toBe('2024-05-13T05:30:45+09:00')
  })

  it('dates a site without timezone in UTC (+0000), where the day is still the 12th', async () => {
    const dir = await makeSite({'site.yml': 'title: T\n'})
    const result = await createPost({source: dir, title: 'Notes on engines', now: NOW})
    expect(result.relative).toBe('posts/2024-05-12-notes-on-engines.md')
    const data = yamlOf(await fs.readFile(result.path, 'utf8'))
    expect(data.date).toBe('2024-05-12 20:30:45 +0000')
    expect(data).not.toHaveProperty('author')
    const parsed = parseDate(data.date)
    expect(parsed.ok && [parsed.date.getTime(), parsed.date.offset]).toEqual([Date.parse('2024-05-12T20:30:45Z'), 0])
  })

  it('uses the offset in force at `now` (summer time) and negative offsets', async () => {
    const dir = await makeSite({'site.yml': 'timezone: America/New_York\n'})
    const summer = await createPost({source: dir, title: 'Summer', now: Date.parse('2024-07-01T02:00:00Z')})
    const winter = await createPost({source: dir, title: 'Winter', now: Date.parse('2024-01-01T02:00:00Z')})
    expect(summer.relative).toBe('posts/2024-06-30-summer.md')
    expect(winter.relative).toBe('posts/2023-12-31-winter.md')
    expect(yamlOf(await fs.readFile(summer.path, 'utf8')).date).toBe('2024-06-30 22:00:00 -0400')
    expect(yamlOf(await fs.readFile(winter.path, 'utf8')).date).toBe('2023-12-31 21:00:00 -0500')
  })

  describe('ignores the machine zone (process.env.TZ)', () => {
    afterEach(() => {
      vi.unstubAllEnvs()
    })

    // Zones whose local date at NOW differs from Tokyo's (Los Angeles: the 12th) or from UTC's (Kiritimati: the 13th).
    it.each<[string, number]>([
      ['UTC', 0],
      ['America/Los_Angeles', 480],
      ['Pacific/Kiritimati', -840]
    ])('TZ=%s', async (zone, westOfUtc) => {
      vi.stubEnv('TZ', zone)
      // Prove the switch took effect, so this test cannot pass vacuously.
      expect(new Date(2024, 0, 1).getTimezoneOffset()).toBe(westOfUtc)
      const tokyo = await makeSite({'site.yml': 'timezone: Asia/Tokyo\n'})
      const utc = await makeSite({'site.yml': 'title: T\n'})
      const inTokyo = await createPost({source: tokyo, title: 'Zones', now: NOW})
      const inUtc = await createPost({source: utc, title: 'Zones', now: NOW})
      expect([inTokyo.relative, inUtc.relative]).toEqual(['posts/2024-05-13-zones.md', 'posts/2024-05-12-zones.md'])
      expect(yamlOf(await fs.readFile(inTokyo.path, 'utf8')).date).toBe('2024-05-13 05:30:45 +0900')
      expect(yamlOf(await fs.readFile(inUtc.path, 'utf8')).date).toBe('2024-05-12 20:30:45 +0000')
    })
  })

  it('writes into a Jekyll site’s _posts and _drafts', async () => {
    const dir = await makeSite({'_config.yml': 'title: J\n', '_posts/2020-01-01-old.md': '---\ntitle: Old\n---\nOld.\n'})
    expect((await createPost({source: dir, title: 'New one', now: NOW})).relative).toBe('_posts/2024-05-12-new-one.md')
    expect((await createPost({source: dir, title: 'Later', draft: true, now: NOW})).relative).toBe('_drafts/later.md')
    expect(existsSync(path.join(dir, '_drafts', 'later.md'))).toBe(true)
  })

  it('follows Jekyll naming from _config.yml or _layouts when no content folder exists yet', async () => {
    const byConfig = await makeSite({'_config.yml': 'title: J\n'})
    const byLayouts = await makeSite({'_layouts/post.html': '{{ content }}'})
    expect((await createPost({source: byConfig, title: 'A', now: NOW})).relative).toBe('_posts/2024-05-12-a.md')
    expect((await createPost({source: byLayouts, title: 'A', draft: true, now: NOW})).relative).toBe('_drafts/a.md')
  })

  it('prefers Galley’s folders: existing posts/ wins over _posts/, and a fresh site gets posts/ and drafts/', async () => {
    const both = await makeSite({'posts/.keep': '', '_posts/.keep': ''})
    expect((await createPost({source: both, title: 'A', now: NOW})).relative).toBe('posts/2024-05-12-a.md')
    const fresh = await makeSite({'site.yml': 'title: Fresh\n'})
    expect((await createPost({source: fresh, title: 'A', now: NOW})).relative).toBe('posts/2024-05-12-a.md')
    expect((await createPost({source: fresh, title: 'A', draft: true, now: NOW})).relative).toBe('drafts/a.md')
  })

  it('writes a draft without a date in its name, into drafts/ (created), and it builds with --drafts', async () => {
    const dir = await makeSite({'site.yml': 'title: T\n', 'posts/.keep': ''})
    const result = await createPost({source: dir, title: 'Half an idea', draft: true, now: NOW})
    expect(result.relative).toBe('drafts/half-an-idea.md')
    const data = galleyRead(await fs.readFile(result.path, 'utf8'))
    expect(data).toMatchObject({layout: 'post', title: 'Half an idea', date: '2024-05-12 20:30:45 +0000'})
    const out = path.join(await tempDir(), 'out')
    const built = await buildSite({source: dir, out, now: NOW + 60_000, drafts: true})
    expect(withoutUrlWarning(formatMessages(built.files))).toEqual([])
    expect(built.ok).toBe(true)
    expect(existsSync(path.join(out, '2024/05/12/half-an-idea/index.html'))).toBe(true)
  })

  it('refuses to overwrite an existing file, naming it, and leaves it untouched', async () => {
    const dir = await makeSite({'posts/2024-05-12-taken.md': 'mine\n', 'drafts/taken.md': 'mine too\n'})
    const error = await scaffoldError(createPost({source: dir, title: 'Taken', now: NOW}))
    expect(error.name).toBe('ScaffoldError')
    expect(error.message).toMatch(/^posts\/2024-05-12-taken\.md already exists; not overwriting it/)
    expect(error.path).toBe(path.join(dir, 'posts', '2024-05-12-taken.md'))
    expect(await read(dir, 'posts/2024-05-12-taken.md')).toBe('mine\n')
    const draft = await scaffoldError(createPost({source: dir, title: 'Taken', draft: true, now: NOW}))
    expect(draft.message).toContain('drafts/taken.md already exists')
    expect(await read(dir, 'drafts/taken.md')).toBe('mine too\n')
  })

  it.each<[string, string, string]>([
    ['Hello: a "quoted" # hash', 'hello-a-quoted-hash', 'colon, quotes and a hash'],
    ["It's <em>done</em>", 'it-s-done', 'an apostrophe and HTML'],
    ['Line one<br>line two', 'line-one-line-two', '<br> (slug from the text, not the tag)'],
    ['- not a list', 'not-a-list', 'a leading dash'],
    ['[draft] {x}', 'draft-x', 'brackets and braces'],
    ['true', 'true', 'a YAML boolean'],
    ['2024', '2024', 'a YAML number'],
    ['null', 'null', 'YAML null'],
    ['@handle & *stars* | pipes > more', 'handle-stars-pipes-more', 'YAML indicators'],
    ["'single' and \"double\"", 'single-and-double', 'both quote kinds'],
    ['Ünïcödé café 日本語', 'ünïcödé-café-日本語', 'non-ASCII letters (kept, not folded)'],
    ['Two   spaces\tand\ttabs', 'two-spaces-and-tabs', 'runs of whitespace']
  ])('writes the title %j safely (%s)', async (title, slug, _what) => {
    const dir = await makeSite({'site.yml': 'title: T\n'})
    const result = await createPost({source: dir, title, now: NOW})
    expect(result.relative).toBe(`posts/2024-05-12-${slug}.md`)
    const text = await fs.readFile(result.path, 'utf8')
    const expected = title.replace(/\s+/g, ' ')
    expect(yamlOf(text).title).toBe(expected)
    expect(galleyRead(text).title).toBe(expected)
    expect(text.split('\n').filter((line) => line.startsWith('title:'))).toHaveLength(1)
  })

  it('builds a post whose title holds HTML and YAML specials into the page Galley expects', async () => {
    const dir = await makeSite({'site.yml': 'title: T\ntimezone: Asia/Tokyo\n'})
    const result = await createPost({source: dir, title: 'Hello: "World" <br> again', now: NOW})
    const out = path.join(await tempDir(), 'out')
    const built = await buildSite({source: dir, out, now: NOW + 60_000})
    expect(withoutUrlWarning(formatMessages(built.files))).toEqual([])
    expect(built.ok).toBe(true)
    expect(result.relative).toBe('posts/2024-05-13-hello-world-again.md')
    const html = await fs.readFile(path.join(out, '2024/05/13/hello-world-again/index.html'), 'utf8')
    expect(html).toContain('Hello: "World" <br> again')
    expect(html).toContain('datetime="2024-05-13T05:30:45+09:00"')
    expect(built.posts[0]?.date?.toZonedISOString()).toBe('2024-05-13T05:30:45+09:00')
  })

  it.each<[string, string]>([
    ['a string', 'author: Grace Hopper\n'],
    ['a mapping with a name', 'author:\n  name: Grace Hopper\n  email: grace@example.com\n']
  ])('takes the author from site config given as %s', async (_what, config) => {
    const dir = await makeSite({'site.yml': config})
    const result = await createPost({source: dir, title: 'By her', now: NOW})
    expect(yamlOf(await fs.readFile(result.path, 'utf8')).author).toBe('Grace Hopper')
  })

  it('uses the site’s own visible excerpt separator', async () => {
    const dir = await makeSite({'_config.yml': 'excerpt_separator: <!-- read on -->\n'})
    const text = await fs.readFile((await createPost({source: dir, title: 'A', now: NOW})).path, 'utf8')
    expect(text).toContain('\n<!-- read on -->\n')
    const blank = await makeSite({'_config.yml': 'excerpt_separator: "\\n\\n"\n'})
    const plain = await fs.readFile((await createPost({source: blank, title: 'A', now: NOW})).path, 'utf8')
    expect(plain).toContain('\n<!--more-->\n')
  })

  it.each(['!!!', '  ', '<br>', '---'])('refuses the title %j, which has no letters or digits, and writes nothing', async (title) => {
    const dir = await makeSite({'site.yml': 'title: T\n'})
    const error = await scaffoldError(createPost({source: dir, title, now: NOW}))
    expect(error.message).toContain('needs at least one letter or digit')
    expect(existsSync(path.join(dir, 'posts'))).toBe(false)
  })

  it('refuses a site whose config is broken or whose folder is missing, with the config problem', async () => {
    const dir = await makeSite({'site.yml': 'timezone: Mars/Olympus\n'})
    const error = await scaffoldError(createPost({source: dir, title: 'A', now: NOW}))
    expect(error.message).toContain('site.yml:1:1: error: unknown timezone "Mars/Olympus"')
    expect(existsSync(path.join(dir, 'posts'))).toBe(false)
    const missing = await scaffoldError(createPost({source: path.join(dir, 'nope'), title: 'A', now: NOW}))
    expect(missing.message).toMatch(/does not exist/)
  })
})

describe('initSite', () => {
  it('creates site.yml, an example post, layouts/ and assets/, and reports them', async () => {
    const dir = path.join(await tempDir(), 'deep', 'blog')
    const result = await initSite({dir, now: NOW})
    expect(result.created).toEqual([
      'package.json',
      '.gitignore',
      '.github/workflows/pages.yml',
      'site.yml',
      'posts/2024-05-12-welcome-to-galley.md',
      'layouts/',
      'assets/',
      'assets/images/welcome.svg'
    ])
    expect((await fs.readdir(path.join(dir, 'layouts')))).toEqual([])
    const loaded = loadConfig({source: dir, now: NOW})
    expect(loaded.file.messages).toEqual([])
    expect(loaded.config?.site).toMatchObject({title: 'My Galley blog', description: '', url: '', baseurl: '', author: ''})
    expect(loaded.config?.timezone).toBeUndefined()
    expect(loaded.config?.permalink).toBe('/:year/:month/:day/:title/')
    const siteYml = await read(dir, 'site.yml')
    expect(siteYml).toContain('# timezone: ')
    expect(siteYml).toContain('# permalink: /:year/:month/:day/:title/')

    const post = await read(dir, 'posts/2024-05-12-welcome-to-galley.md')
    expect(galleyRead(post)).toEqual({layout: 'post', title: 'Welcome to Galley', date: '2024-05-12 20:30:45 +0000', tags: ['galley', 'writing']})
    expect(post).toContain('\n<!--more-->\n')
    expect(post).toContain('](../assets/images/welcome.svg)')
    expect(post).toContain('```js\n')
    // Post bodies go through Liquid: the guide must not contain Liquid markup by accident.
    expect(post).not.toMatch(/\{[{%]/)
  })

  it('writes a package.json that installs this Galley by a file: reference, and a .gitignore', async () => {
    const dir = path.join(await tempDir(), 'My Blog!')
    const result = await initSite({dir, now: NOW})
    expect(result.galley).toBe(root)
    const manifest = JSON.parse(await read(dir, 'package.json')) as Record<string, unknown>
    expect(manifest).toEqual({
      name: 'my-blog',
      version: '0.0.0',
      private: true,
      description: 'My Galley blog',
      type: 'module',
      scripts: {build: 'galley build', serve: 'galley serve', check: 'galley build --check', deploy: 'galley deploy --build --git origin'},
      engines: {node: '>=20'},
      devDependencies: {galley: `file:${root.split(path.sep).join('/')}`}
    })
    expect((await read(dir, '.gitignore')).split('\n')).toEqual(expect.arrayContaining(['_site/', 'node_modules/']))
    const other = path.join(await tempDir(), 'b')
    await initSite({dir: other, now: NOW, galleyDir: '/opt/galley'})
    expect((JSON.parse(await read(other, 'package.json')) as {devDependencies: unknown}).devDependencies).toEqual({galley: 'file:/opt/galley'})
  })

  it('writes a GitHub Actions workflow that builds with the cache kept between runs and deploys to Pages', async () => {
    const dir = path.join(await tempDir(), 'blog')
    await initSite({dir, now: NOW})
    const workflow = parseYaml(await read(dir, '.github/workflows/pages.yml')) as {
      on: {push: {branches: string[]}}
      permissions: Record<string, string>
      jobs: Record<string, {needs?: string; environment?: {name: string}; steps: Array<{name?: string; uses?: string; run?: string; id?: string; with?: Record<string, unknown>}>}>
    }
    expect(workflow.on.push.branches).toEqual(['main'])
    expect(workflow.permissions).toMatchObject({pages: 'write', 'id-token': 'write'})
    const build = workflow.jobs.build?.steps ?? []
    const index = (test: (step: (typeof build)[number]) => boolean) => build.findIndex(test)
    const checkout = index((step) => step.uses?.startsWith('actions/checkout@') === true)
    const node = index((step) => step.uses?.startsWith('actions/setup-node@') === true)
    const install = index((step) => /\bnpm (ci|install)\b/.test(step.run ?? ''))
    const cache = index((step) => step.uses?.startsWith('actions/cache@') === true)
    const galleyBuild = index((step) => /\bnpx galley build\b/.test(step.run ?? ''))
    const upload = index((step) => step.uses?.startsWith('actions/upload-pages-artifact@') === true)
    for (const [name, at] of Object.entries({checkout, node, install, cache, galleyBuild, upload})) expect(at, name).toBeGreaterThanOrEqual(0)
    // The cache is restored after the install (npm ci empties node_modules) and before the build that uses it.
    expect(checkout < node && node < install && install < cache && cache < galleyBuild && galleyBuild < upload).toBe(true)
    expect(build[cache]?.with?.path).toBe('node_modules/.cache/galley')
    expect(String(build[cache]?.with?.key)).toContain('${{ github.sha }}')
    expect(String(build[cache]?.with?.['restore-keys'])).toMatch(/^galley-/)
    expect(build[upload]?.with?.path).toBe('_site')
    expect(build.every((step) => typeof step.name === 'string' && step.name !== '')).toBe(true)
    const deploy = workflow.jobs.deploy
    expect(deploy?.needs).toBe('build')
    expect(deploy?.environment?.name).toBe('github-pages')
    expect(deploy?.steps.some((step) => step.uses?.startsWith('actions/deploy-pages@') === true)).toBe(true)
    // It is no content: the site builds without it showing up in the output.
    const built = await buildSite({source: dir, now: NOW, cache: false, workers: 1})
    expect(built.ok).toBe(true)
    expect(built.written.some((file) => file.startsWith('.github'))).toBe(false)
  })

  it('writes the given title, quoted when YAML needs it', async () => {
    const dir = path.join(await tempDir(), 'blog')
    await initSite({dir, now: NOW, title: 'Notes: on "things"'})
    expect(loadConfig({source: dir, now: NOW}).config?.site.title).toBe('Notes: on "things"')
  })

  it('fills an existing empty folder, or one holding only .git', async () => {
    const empty = await tempDir()
    expect((await initSite({dir: empty, now: NOW})).created).toContain('site.yml')
    const repo = await tempDir()
    await fs.mkdir(path.join(repo, '.git'))
    expect((await initSite({dir: repo, now: NOW})).created).toContain('site.yml')
  })

  it('refuses a folder that is not empty, naming what is in it, and changes nothing', async () => {
    const dir = await makeSite({'notes.txt': 'keep me\n'})
    const error = await scaffoldError(initSite({dir, now: NOW}))
    expect(error.message).toBe(`${dir} is not empty (it holds notes.txt); galley init only fills a new or empty folder`)
    expect(error.path).toBe(dir)
    expect(await fs.readdir(dir)).toEqual(['notes.txt'])
  })

  it('refuses a path that is a file', async () => {
    const dir = await makeSite({'file.txt': 'x'})
    const error = await scaffoldError(initSite({dir: path.join(dir, 'file.txt'), now: NOW}))
    expect(error.message).toContain('is a file, not a folder')
  })

  it('builds as it is: no messages, the example post page and its image', async () => {
    const dir = path.join(await tempDir(), 'blog')
    await initSite({dir, now: NOW})
    const out = path.join(await tempDir(), 'out')
    const built = await buildSite({source: dir, out, now: NOW})
    // The one message: site.yml's url: is a commented-out example until the author sets it.
    expect(formatMessages(built.files)).toEqual([expect.stringMatching(/^site\.yml:1:1: warning: no url set in site\.yml: .*\(site-url\)$/)])
    expect(built.ok).toBe(true)
    expect(built.posts.map((post) => post.source)).toEqual(['posts/2024-05-12-welcome-to-galley.md'])
    const page = await fs.readFile(path.join(out, '2024/05/12/welcome-to-galley/index.html'), 'utf8')
    expect(page).toContain('Welcome to Galley')
    expect(page).toContain('src="/assets/images/welcome.svg"')
    expect(existsSync(path.join(out, 'assets/images/welcome.svg'))).toBe(true)
    expect(built.written).toContain('index.html')
  })

  it('then takes new posts that build alongside the example', async () => {
    const dir = path.join(await tempDir(), 'blog')
    await initSite({dir, now: NOW})
    const later = NOW + 86_400_000
    expect((await createPost({source: dir, title: 'Second post', now: later})).relative).toBe('posts/2024-05-13-second-post.md')
    const out = path.join(await tempDir(), 'out')
    const built = await buildSite({source: dir, out, now: later})
    expect(withoutUrlWarning(formatMessages(built.files))).toEqual([])
    expect(built.posts.map((post) => post.slug)).toEqual(['second-post', 'welcome-to-galley'])
  })
})
