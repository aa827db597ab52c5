// The search index in parts: which page goes where (pure), and through whole builds with the
// real CLI that an edit re-makes only the part holding the page that changed, and that the
// index then is byte for byte what a full build of the same site makes.
import {promises as fs, statSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {isIndexFile, marksBody, MAX_SHARDS, shardCount, shardFolder, shardOf} from '../src/site/search/shards.js'
import {makeSite, read, runCli, snapshotTree} from './helpers.js'

const TIMEOUT = 300_000

describe('search index parts', () => {
  it('a power of two near one part per 64 pages, from 1 to 32', () => {
    expect([0, 1, 64, 90, 91, 200, 1000, 4000, 100_000].map(shardCount)).toEqual([1, 1, 1, 1, 2, 4, 16, MAX_SHARDS, MAX_SHARDS])
  })

  it('puts a page in the same part every time, within the count', () => {
    for (const count of [1, 2, 16, 32]) {
      for (const page of ['index.html', '2024/05/12/a/index.html', 'about/index.html']) {
        const shard = shardOf(page, count)
        expect(shard).toBe(shardOf(page, count))
        expect(shard).toBeGreaterThanOrEqual(0)
        expect(shard).toBeLessThan(count)
      }
    }
    expect(shardOf('anything', 1)).toBe(0)
    expect(shardFolder(0)).toBe('')
    expect(shardFolder(3)).toBe('shard-3/')
  })

  it('tells index files from the UI, and a body attribute from the words', () => {
    expect(['pagefind-entry.json', 'pagefind.en_12ab.pf_meta', 'index/en_1.pf_index', 'fragment/en_2.pf_fragment', 'filter/en_3.pf_filter'].every(isIndexFile)).toBe(true)
    expect(['pagefind.js', 'pagefind-ui.js', 'pagefind-ui.css', 'wasm.en.pagefind', 'pagefind-worker.js'].some(isIndexFile)).toBe(false)
    expect(marksBody('<div class="post" data-pagefind-body>')).toBe(true)
    expect(marksBody('<h1 data-pagefind-body class="x">')).toBe(true)
    expect(marksBody('<p>Mark it with <code>&lt;div data-pagefind-body&gt;</code></p>')).toBe(false)
    expect(marksBody('<div data-pagefind-bodyguard>')).toBe(false)
  })
})

function posts(count: number): Record<string, string> {
  const words = ['router', 'expert', 'sparse', 'dense', 'token', 'gate', 'layer', 'batch', 'quokka', 'lantern']
  const files: Record<string, string> = {}
  for (let index = 0; index < count; index++) {
    const day = String((index % 28) + 1).padStart(2, '0')
    const month = String((Math.floor(index / 28) % 12) + 1).padStart(2, '0')
    const body = Array.from({length: 30}, (_, word) => words[(index * 7 + word * 3) % words.length]).join(' ')
    files[`posts/2023-${month}-${day}-note-${index}.md`] = `---\ntitle: "Note ${index}"\n---\nNote ${index} is about ${body}.\n`
  }
  return files
}

/** The files of the search folder, with their inodes. */
function inodes(out: string, files: Iterable<string>): Map<string, number> {
  return new Map([...files].filter((file) => file.startsWith('pagefind/')).map((file) => [file, statSync(path.join(out, file)).ino]))
}

describe('search index in parts through builds', () => {
  it('an edit re-makes only its part, and the index equals a full build', async () => {
    const site = await makeSite({'site.yml': 'title: Parts\n', ...posts(200)})
    const out = path.join(site, '_site')
    const first = await runCli(['build', '--source', site])
    expect(first.code, first.stderr).toBe(0)
    const parts = JSON.parse(await read(out, 'pagefind/shards.json')) as string[]
    expect(parts).toEqual(['shard-1/', 'shard-2/', 'shard-3/'])
    // Every post is in exactly one part.
    let pages = 0
    for (const part of ['', ...parts]) {
      const entry = JSON.parse(await read(out, `pagefind/${part}pagefind-entry.json`)) as {languages: Record<string, {page_count: number}>}
      pages += Object.values(entry.languages).reduce((sum, language) => sum + language.page_count, 0)
    }
    expect(pages).toBe(200)
    const before = inodes(out, (await snapshotTree(out)).keys())

    const edited = 'posts/2023-02-05-note-32.md'
    await fs.appendFile(path.join(site, edited), '\nA closing line about zeppelins.\n')
    const second = await runCli(['build', '--source', site])
    expect(second.code, second.stderr).toBe(0)
    const tree = [...(await snapshotTree(out)).keys()]
    const after = inodes(out, tree)
    const page = tree.find((file) => /note-32(\/index)?\.html$/.test(file)) as string
    expect(page).toBeDefined()
    const part = shardOf(page, 4)
    const folder = `pagefind/${shardFolder(part)}`
    const inPart = (file: string) => (part === 0 ? !/^pagefind\/shard-\d+\//.test(file) : file.startsWith(folder))
    // The other parts' files are the same files (linked), the edited page's part is new.
    for (const [file, inode] of after) if (!inPart(file) && file !== 'pagefind/shards.json') expect(before.get(file), file).toBe(inode)
    expect([...after].filter(([file]) => inPart(file) && file.endsWith('pagefind-entry.json')).every(([file, inode]) => before.get(file) !== inode)).toBe(true)

    // The same site built from nothing makes the same index, byte for byte.
    const fresh = await makeSite({})
    await fs.cp(site, fresh, {recursive: true, filter: (from) => !/[\\/](_site|node_modules|\.galley-[^\\/]*)([\\/]|$)/.test(path.relative(site, from) === '' ? '' : path.sep + path.relative(site, from))})
    const full = await runCli(['build', '--source', fresh])
    expect(full.code, full.stderr).toBe(0)
    const searchOf = async (dir: string) => new Map([...(await snapshotTree(dir))].filter(([file]) => file.startsWith('pagefind')))
    const incremental = await searchOf(out)
    expect(incremental.size).toBeGreaterThan(0)
    expect(await searchOf(path.join(fresh, '_site'))).toEqual(incremental)
    expect(await read(out, 'pagefind/shards.json')).toContain('shard-3/')
  }, TIMEOUT)

  it('indexes a page whose path a glob cannot spell (added as text)', async () => {
    const site = await makeSite({
      'site.yml': 'title: Odd\n',
      'posts/2024-01-02-plain.md': '---\ntitle: Plain\n---\nA plain post about routers.\n',
      'notes {draft} [1].md': '---\ntitle: Odd one\nlayout: page\n---\nA page about zeppelins.\n'
    })
    const built = await runCli(['build', '--source', site])
    expect(built.code, built.stderr).toBe(0)
    const out = path.join(site, '_site')
    const entry = JSON.parse(await read(out, 'pagefind/pagefind-entry.json')) as {languages: Record<string, {page_count: number}>}
    expect(Object.values(entry.languages).reduce((sum, language) => sum + language.page_count, 0)).toBe(2)
    expect(await read(out, 'pagefind/shards.json')).toBe('[]\n')
  }, TIMEOUT)
})
