// The README is the manual: it must name every key the config loader reads,
// every rule id the code reports and every flag of every command. The keys
// and rule ids are read from the code itself, so a new one fails this test
// until the README has a row for it.
import {readFileSync, readdirSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {root, runCli} from './helpers.js'

const readme = readFileSync(path.join(root, 'README.md'), 'utf8')

/** Source text without comments (a `//` after a quote or colon, as in URLs, is kept). */
function code(file: string): string {
  return readFileSync(path.join(root, file), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|\s)\/\/.*$/gm, '$1')
}

/** Every `.ts` file under src/, relative to the repository. */
function sources(dir = 'src'): string[] {
  return readdirSync(path.join(root, dir), {withFileTypes: true}).flatMap((entry) => {
    const relative = `${dir}/${entry.name}`
    if (entry.isDirectory()) return sources(relative)
    return entry.name.endsWith('.ts') ? [relative] : []
  })
}

/** The markdown table rows (first cell) of the README section headed `heading`. */
function firstCells(heading: string): string[] {
  const start = readme.indexOf(`\n## ${heading}\n`)
  expect(start, `README section "## ${heading}"`).toBeGreaterThan(-1)
  const rest = readme.slice(start + heading.length + 5)
  const section = rest.slice(0, rest.search(/\n## /) === -1 ? undefined : rest.search(/\n## /))
  return section
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| ---'))
    .map((line) => line.split(' | ')[0] ?? '')
}

/** The keys src/config.ts reads from the site file: `site.key`, the defaults, and `key.sub` of nested mappings. */
function configKeys(): string[] {
  const text = code('src/config.ts').replace(/\bsite\.yml\b/g, '')
  const keys = new Set<string>()
  for (const match of text.matchAll(/\bsite\.([a-z_]+)\b/g)) if (match[1]) keys.add(match[1])
  const defaults = /export const defaults = Object\.freeze\(\{([\s\S]*?)\}\)/.exec(text)?.[1] ?? ''
  for (const match of defaults.matchAll(/^\s*([a-z_]+):/gm)) if (match[1]) keys.add(match[1])
  // const embeds = isRecord(site.embeds) ? site.embeds : {}  →  embeds.substack, …
  for (const match of text.matchAll(/const (\w+) = isRecord\(site\.([a-z_]+)\)/g)) {
    const [, local = '', key = ''] = match
    for (const sub of text.matchAll(new RegExp(`\\b${local}\\.([a-z_]+)\\b`, 'g'))) if (sub[1]) keys.add(`${key}.${sub[1]}`)
  }
  // Keys read elsewhere through config.site (layouts' defaults, scaffolding).
  for (const file of sources()) for (const match of code(file).matchAll(/\bconfig\.site\.([a-z_]+)\b/g)) if (match[1]) keys.add(match[1])
  // A mapping is documented by its sub-keys (`embeds.substack`), not by itself.
  return [...keys].filter((key) => ![...keys].some((other) => other.startsWith(key + '.'))).sort()
}

/** Every literal rule id in `ruleId: …` expressions and in the tags' `warn(…, 'rule')` calls, plus the tag rules made from a name. */
function ruleIds(): string[] {
  const ids = new Set<string>()
  for (const file of sources()) {
    const text = code(file)
    for (const match of text.matchAll(/ruleId: ([^,}\n]+)/g)) for (const id of (match[1] ?? '').matchAll(/(?<!\()'([a-z][a-z0-9-]*)'/g)) if (id[1]) ids.add(id[1])
    for (const match of text.matchAll(/lookupTag\([^)]*?, '([a-z]+)', /g)) if (match[1]) ids.add(`missing-${match[1]}`)
    for (const match of text.matchAll(/\.warn\([^;]*?, '([a-z][a-z0-9-]*)'\)/g)) if (match[1]) ids.add(match[1])
  }
  return [...ids].sort()
}

describe('the README as the manual', () => {
  it('opens with the two set-up commands, then a blogger’s path: install, init, write, preview, deploy', () => {
    const lines = readme.split('\n')
    expect(lines[0]).toBe('# Galley')
    const firstBlock = readme.slice(readme.indexOf('```'), readme.indexOf('```', readme.indexOf('```') + 3))
    expect(firstBlock).toContain('npm install && npm run build')
    expect(firstBlock).toContain('npm test')
    const start = readme.slice(readme.indexOf('## Start a blog'))
    const steps = ['npm pack', 'npm install -g ./galley-', 'galley init my-blog', 'npm install', 'galley new', 'galley serve', 'galley build', 'galley deploy']
    let at = 0
    for (const step of steps) {
      const found = start.indexOf(step, at)
      expect(found, `"${step}" in order in "Start a blog"`).toBeGreaterThan(-1)
      at = found
    }
    expect(readme.indexOf('## Start a blog')).toBeLessThan(readme.indexOf('## Configuration reference'))
  })

  it('has a row in the configuration reference for every key the config loader reads', () => {
    const keys = configKeys()
    // The loader must be read at all: these are certainly among them.
    expect(keys).toEqual(expect.arrayContaining(['url', 'timezone', 'destination', 'warnings', 'embeds.substack', 'kramdown.toc_levels', 'paginate_path']))
    const cells = firstCells('Configuration reference').join('\n')
    const missing = keys.filter((key) => !cells.includes('`' + key + '`'))
    expect(missing, 'keys without a row in README "## Configuration reference"').toEqual([])
  })

  it('has a row under Warnings for every rule id the code reports', () => {
    const ids = ruleIds()
    expect(ids).toEqual(expect.arrayContaining(['image-alt', 'missing-asset', 'site-url', 'missing-post', 'third-party-script']))
    const cells = firstCells('Warnings').join('\n')
    const missing = ids.filter((id) => !cells.includes('`' + id + '`'))
    expect(missing, 'rule ids without a row in README "## Warnings"').toEqual([])
  })

  it('names every flag of every command’s --help, and every command', async () => {
    const main = await runCli(['--help'])
    const commands = [...main.stdout.matchAll(/^ {2}([a-z]+) {2,}/gm)].map((match) => match[1] ?? '')
    expect(commands).toEqual(['build', 'serve', 'check', 'deploy', 'new', 'init', 'images'])
    const missing: string[] = []
    for (const command of commands) {
      expect(readme, `galley ${command}`).toContain('`galley ' + command)
      const help = await runCli([command, '--help'])
      expect(help.code).toBe(0)
      // Option lines: `  --source DIR  …`, `  -q, --quiet  …`.
      const flags = new Set([...help.stdout.matchAll(/^ {2}(?:(-[a-z]), )?(--[a-z][a-z-]*)/gm)].flatMap((match) => [match[1], match[2]].filter((flag): flag is string => flag !== undefined)))
      if (command !== 'init') expect(flags.size, `flags in galley ${command} --help`).toBeGreaterThan(1)
      for (const flag of flags) if (flag !== '-h' && flag !== '--help' && !readme.includes('`' + flag)) missing.push(`${command} ${flag}`)
      expect(help.stdout, `galley ${command} --help gives its exit status`).toMatch(/Exit status|exit 0|\(exit 0\)/)
    }
    for (const flag of ['--version', '-v', '--help']) expect(readme).toContain(flag)
    expect(missing, 'flags in --help that the README does not name').toEqual([])
  })
})
