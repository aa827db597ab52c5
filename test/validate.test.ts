import {promises as fs, readFileSync} from 'node:fs'
import path from 'node:path'
import {HtmlValidate, type ConfigData} from 'html-validate'
import {describe, expect, it} from 'vitest'
import {copyFixture, hasSeed, makeSite, root, runCli, seedPath} from './helpers.js'

/**
 * html-validate's recommended preset over every page Galley writes. Rules
 * turned off, and why:
 * - `no-inline-style`: authors' own inline styles are content we keep on
 *   purpose (only styles that repeat the theme's image rule are dropped).
 * - `valid-id` relaxed (HTML5's rule: non-empty, no whitespace) instead of
 *   "must begin with a letter": heading ids are GitHub-style slugs
 *   (`#1-mixtral-llama-3-and-phi-3`), which existing links rely on.
 */
const config: ConfigData = {
  extends: ['html-validate:recommended'],
  rules: {
    'no-inline-style': 'off',
    'valid-id': ['error', {relaxed: true}]
  }
}

async function htmlFiles(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, {recursive: true})
  return entries.filter((name) => name.endsWith('.html')).map((name) => path.join(dir, name)).sort()
}

async function validateSite(dir: string): Promise<string[]> {
  const validator = new HtmlValidate(config)
  const problems: string[] = []
  const files = await htmlFiles(dir)
  expect(files.length).toBeGreaterThan(0)
  for (const file of files) {
    const report = await validator.validateString(await fs.readFile(file, 'utf8'), file)
    for (const result of report.results) {
      for (const message of result.messages) {
        if (message.severity === 2) problems.push(`${path.relative(dir, file)}:${message.line}:${message.column}: ${message.message} (${message.ruleId})`)
      }
    }
  }
  return problems
}

describe('html-validate (recommended preset) reports no errors', () => {
  it('on the sample blog', async () => {
    const out = path.join(await makeSite({}), '_site')
    const result = await runCli(['build', '--out', out])
    expect(result.code).toBe(0)
    expect(await validateSite(out)).toEqual([])
  })

  it('on the sample blog under a sub-path', async () => {
    const out = path.join(await makeSite({}), '_site')
    expect((await runCli(['build', '--out', out, '--base-url', '/blog'])).code).toBe(0)
    expect(await validateSite(out)).toEqual([])
  })

  it('on the seed mirror fixture', async () => {
    const dir = await copyFixture('sites/seed-mirror')
    expect((await runCli(['build', '--source', dir])).code).toBe(0)
    expect(await validateSite(path.join(dir, '_site'))).toEqual([])
  })

  it.runIf(hasSeed)('on the real seed post (../shared)', async () => {
    const dir = await makeSite({
      'posts/2024-05-12-how-good-are-the-latest-open-llms.md': readFileSync(seedPath, 'utf8'),
      'assets/ahead_of_ai.png': readFileSync(path.join(root, 'test/fixtures/sites/seed-mirror/assets/ahead_of_ai.png'))
    })
    expect((await runCli(['build', '--source', dir])).code).toBe(0)
    expect(await validateSite(path.join(dir, '_site'))).toEqual([])
  })
})
