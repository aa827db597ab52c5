import {existsSync, readdirSync} from 'node:fs'
import {mkdtemp} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {runCli, sharedDir} from './helpers.js'

/**
 * Every real Jekyll blog in ../shared/corpus builds without an error (warnings
 * are expected: those posts reference includes, images and pages that were
 * not collected). The corpus is optional: without it this suite is skipped,
 * and says so in its name.
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

describe.skipIf(!present)(`the real-post corpus${present ? '' : ' (skipped: ../shared/corpus is not here)'}`, () => {
  it.each(sites.map((dir) => [path.relative(corpus, dir), dir]))('%s builds without errors', async (_name, dir) => {
    const out = path.join(await mkdtemp(path.join(os.tmpdir(), 'galley-corpus-')), '_site')
    const result = await runCli(['build', '--source', dir, '--out', out, '--verbose'])
    const errors = result.stderr.split('\n').filter((line) => /: error: /.test(line))
    expect(errors).toEqual([])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^galley: built \d+ posts/)
  })
})
