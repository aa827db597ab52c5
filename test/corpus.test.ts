import {existsSync, readdirSync} from 'node:fs'
import {mkdtemp} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {runCli, sharedDir} from './helpers.js'

/**
 * Every real Jekyll blog in ../shared/corpus builds without an error (warnings
 * are expected: those posts reference includes, images and pages that were
 * not collected), and the warnings of each site are reported by rule, in one
 * table printed at the end. The corpus is optional: without it this suite is
 * skipped, and says so in its name.
 */
const corpus = path.join(sharedDir, 'corpus')
const present = existsSync(corpus)
const sites = present
  ? readdirSync(corpus, {withFileTypes: true})
      .filter((entry) => entry.isDirectory())
      .map((entry) => {
        const dir = path.join(corpus, entry.name)
        return existsSync(path.join(dir, '_posts')) ? dir : path.join(dir, 'docs')
      })
  : []

/** Site → rule → number of warnings. */
const warningsBySite = new Map<string, Map<string, number>>()

/** The count per rule from the lines `path:line:column: warning: reason (rule)` that `--verbose` prints, every one. */
function countByRule(lines: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>()
  for (const line of lines) {
    const rule = /: warning: .* \(([a-z][a-z0-9-]*)\)$/.exec(line)?.[1]
    if (rule) counts.set(rule, (counts.get(rule) ?? 0) + 1)
  }
  return counts
}

/** The build's own summary, `galley: warnings by rule: a: 3, b: 1 (…)`, as a map. */
function summaryByRule(stderr: string): Map<string, number> {
  const line = /^galley: warnings by rule: (.*?)(?: \(|$)/m.exec(stderr)?.[1] ?? ''
  return new Map(line === '' ? [] : line.split(', ').map((part) => {
    const [rule = '', count = '0'] = part.split(': ')
    return [rule, Number(count)] as const
  }))
}

function table(): string {
  const rules = [...new Set([...warningsBySite.values()].flatMap((counts) => [...counts.keys()]))].sort()
  const names = [...warningsBySite.keys()]
  const width = Math.max(4, ...names.map((name) => name.length))
  const header = ['site'.padEnd(width), ...rules, 'total'].join(' | ')
  const rows = names.map((name) => {
    const counts = warningsBySite.get(name) ?? new Map<string, number>()
    const total = [...counts.values()].reduce((sum, count) => sum + count, 0)
    return [name.padEnd(width), ...rules.map((rule) => String(counts.get(rule) ?? 0).padStart(rule.length)), String(total).padStart(5)].join(' | ')
  })
  return ['warnings by rule, per corpus site:', header, ...rows].join('\n')
}

describe.skipIf(!present)(`the real-post corpus${present ? '' : ' (skipped: ../shared/corpus is not here)'}`, () => {
  afterAll(() => {
    if (warningsBySite.size > 0) console.log(table())
  })

  it.each(sites.map((dir) => [path.relative(corpus, dir), dir]))('%s builds without errors, its warnings counted by rule', async (name, dir) => {
    const out = path.join(await mkdtemp(path.join(os.tmpdir(), 'galley-corpus-')), '_site')
    // --no-cache: the corpus is read-only input; a build must not leave its cache in it.
    const result = await runCli(['build', '--source', dir, '--out', out, '--verbose', '--no-cache'])
    const lines = result.stderr.split('\n')
    const errors = lines.filter((line) => /: error: /.test(line))
    expect(errors).toEqual([])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^galley: built \d+ posts/)
    const counts = countByRule(lines)
    // Every warning line names its rule, and the build's own summary says the same counts.
    expect(lines.filter((line) => /: warning: /.test(line))).toHaveLength([...counts.values()].reduce((sum, count) => sum + count, 0))
    expect(Object.fromEntries(summaryByRule(result.stderr))).toEqual(Object.fromEntries(counts))
    const total = Number(/, (\d+) warnings?$/m.exec(result.stdout)?.[1] ?? 0)
    expect([...counts.values()].reduce((sum, count) => sum + count, 0)).toBe(total)
    warningsBySite.set(name, counts)
  }, 600_000) // a whole site through the CLI, on a machine that may be busy: generous, never a measure
})
