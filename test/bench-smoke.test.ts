// The build benchmark (bench/run.mjs) runs end to end on a small corpus and prints its
// table. It never asserts on timings: only that every row is there with a number in it.
// Eleventy runs only when the bench's own dependencies are installed (npm ci --prefix
// bench); this test never installs them. Hugo runs when it is on PATH (scripts/test-setup.sh
// installs it), otherwise its cells must say so.
import {execFile, spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {promisify} from 'node:util'
import {afterAll, expect, it} from 'vitest'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const withEleventy = existsSync(path.join(root, 'bench/node_modules/@11ty/eleventy/package.json'))
const withHugo = spawnSync('hugo', ['version'], {stdio: 'ignore'}).status === 0
const withRss = existsSync('/usr/bin/time')
const out = mkdtempSync(path.join(os.tmpdir(), 'galley-bench-smoke-'))
afterAll(() => rmSync(out, {recursive: true, force: true}))

const time = /^\d+(\.\d+)? (ms|s)$/
const rss = withRss ? /^\d+ MiB$/ : /^n\/a$/
const ratio = /^\d+\.\d\d×$/

it('runs the build benchmark on 30 posts and prints every row with numbers', async () => {
  const tools = withEleventy ? 'galley,eleventy,hugo' : 'galley,hugo'
  const json = path.join(out, 'latest.json')
  const markdown = path.join(out, 'table.md')
  const {stdout} = await promisify(execFile)(
    process.execPath,
    ['bench/run.mjs', '--posts', '30', '--runs', '1', '--tools', tools, '--json-out', json, '--markdown-out', markdown],
    {cwd: root, timeout: 120_000, maxBuffer: 16 * 2 ** 20}
  )

  expect(stdout).toMatch(/^Galley build benchmark, .+ · \d+ cores × .+ · commit \S+ · /)
  expect(readFileSync(markdown, 'utf8')).toBe(stdout)
  const lines = stdout.split('\n').filter((line) => line.startsWith('| '))
  const [header, ...rows] = lines.map((line) => line.slice(2, -2).split(' | '))
  expect(header).toEqual(['posts', 'scenario', 'Galley', 'anchor', 'anchor median', 'ratio', 'goal', 'met', 'Eleventy (same scenario)', 'Hugo (same scenario)'])
  const table = new Map(rows.slice(1).map((cells) => [`${cells[0]} ${cells[1]}`, Object.fromEntries(header.map((key, at) => [key, cells[at]]))]))
  expect([...table.keys()]).toEqual([
    '30 cold build',
    '30 no-change rebuild',
    '30 one-post edit',
    '30 one-layout edit',
    '30 peak RSS, cold build',
    '— galley --help',
    '— galley --version'
  ])

  const cell = (row: string, column: string) => table.get(row)?.[column]
  for (const [row, anchor] of [
    ['30 cold build', 'eleventy'],
    ['30 no-change rebuild', 'hugo'],
    ['30 one-post edit', 'hugo'],
    ['30 one-layout edit', 'hugo'],
    ['30 peak RSS, cold build', 'eleventy']
  ] as const) {
    const value = row.includes('RSS') ? rss : time
    expect(cell(row, 'Galley'), row).toMatch(value)
    const ran = anchor === 'eleventy' ? withEleventy : withHugo
    const absent = anchor === 'eleventy' ? '—' : 'hugo not installed'
    expect(cell(row, 'anchor median'), row).toMatch(ran ? value : new RegExp(`^${absent}$`))
    if (ran && (withRss || !row.includes('RSS'))) expect(cell(row, 'ratio'), row).toMatch(ratio)
    expect(cell(row, 'Eleventy (same scenario)'), row).toMatch(withEleventy ? value : /^—$/)
    expect(cell(row, 'Hugo (same scenario)'), row).toMatch(withHugo ? value : /^hugo not installed$/)
  }
  expect(cell('30 cold build', 'goal')).toBe('≤ 1.0×')
  expect(cell('30 one-layout edit', 'goal')).toBe('≤ 0.5×')
  expect(['met', 'not met', '—']).toContain(cell('30 cold build', 'met'))
  expect(cell('— galley --help', 'Galley')).toMatch(time)
  expect(cell('— galley --version', 'Galley')).toMatch(/^(\d+(\.\d+)? (ms|s)|n\/a)$/)

  // The raw figures: one run each, and every post page checked for each tool that ran.
  const report = JSON.parse(readFileSync(json, 'utf8'))
  expect(report.results['30'].cold.galley).toHaveLength(1)
  expect(report.results['30'].oneLayout.galley[0].ms).toBeGreaterThan(0)
  expect(report.pages['30']).toEqual({galley: 30, ...(withEleventy ? {eleventy: 30} : {}), ...(withHugo ? {hugo: 30} : {})})
}, 150_000)
