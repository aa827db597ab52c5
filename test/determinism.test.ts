import {promises as fs} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {hasSeed, makeSite, root, runCli, seedPath, snapshotTree} from './helpers.js'

/**
 * The same sources give byte-identical output in every run, with any number
 * of workers and in any time zone: the sample blog, the seed post (when
 * /work/shared is there) and a post with a fence in every language the
 * highlighter knows are each built five times from nothing (--no-cache),
 * each run in a fresh process with its own worker count and TZ.
 */

const runs = [
  {workers: '1', tz: 'UTC'},
  {workers: '2', tz: 'Asia/Tokyo'},
  {workers: '2', tz: 'America/Los_Angeles'},
  {workers: '3', tz: 'Pacific/Chatham'},
  {workers: '2', tz: 'Europe/Berlin'}
]

async function fiveBuilds(source: string, extra: string[] = []): Promise<void> {
  const trees: Array<Map<string, string>> = []
  for (const run of runs) {
    const out = await fs.mkdtemp(path.join(os.tmpdir(), 'galley-determinism-'))
    const result = await runCli(['build', '--source', source, '--out', path.join(out, 'site'), '--no-cache', '--workers', run.workers, ...extra], {env: {TZ: run.tz, SOURCE_DATE_EPOCH: '1767225600', CI: 'true'}})
    expect(result.code, result.stderr).toBe(0)
    trees.push(await snapshotTree(path.join(out, 'site')))
    await fs.rm(out, {recursive: true, force: true})
  }
  expect(trees[0]!.size).toBeGreaterThan(5)
  for (const [index, tree] of trees.entries()) {
    const differing = [...new Set([...tree.keys(), ...trees[0]!.keys()])].filter((file) => tree.get(file) !== trees[0]!.get(file))
    expect(differing, `run ${index + 1} (${runs[index]!.workers} workers, TZ=${runs[index]!.tz}) differs from run 1`).toEqual([])
  }
}

/** A post with a short fence in each of shiki's languages (the code is ours, the same few lines for each). */
async function everyLanguage(): Promise<Record<string, string>> {
  const {bundledLanguagesInfo} = await import('shiki')
  const files: Record<string, string> = {'site.yml': 'title: Languages\nurl: https://example.com\n'}
  const snippet = 'function f(a) { return a + "s" } // note\nx = [1, 2.5, 0x1f]; if (x) { y = \'q\' }\n0; }\n'
  // Eight posts, so the workers share the grammars between them as a real site would.
  const groups = 8
  bundledLanguagesInfo.forEach((info, index) => {
    const name = `posts/2024-01-0${(index % groups) + 1}-languages-${index % groups}.md`
    files[name] ??= `---\ntitle: Languages ${index % groups}\n---\n\n`
    files[name] += `## ${info.id}\n\n\`\`\`${info.id}\n${snippet}\`\`\`\n\n`
  })
  expect(bundledLanguagesInfo.length).toBeGreaterThan(100)
  return files
}

describe('deterministic output', () => {
  it('the sample blog, five times', {timeout: 300_000}, async () => {
    await fiveBuilds(root)
  })

  it.skipIf(!hasSeed)('the seed post, five times', {timeout: 300_000}, async () => {
    const seed = await fs.readFile(seedPath, 'utf8')
    await fiveBuilds(await makeSite({'site.yml': 'title: Seed\nurl: https://example.com\n', 'posts/2024-05-12-seed.md': seed}))
  })

  it('a fence in every highlighted language, five times', {timeout: 900_000}, async () => {
    await fiveBuilds(await makeSite(await everyLanguage()))
  })
})
