// The build's output flags and relative paths, through the real CLI:
// colour only on a terminal and never with NO_COLOR, --quiet, --strict,
// --verbose timings, and --out relative to the current folder.
import {execFile} from 'node:child_process'
import {existsSync, promises as fs} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {cliPath, makeSite, runCli} from './helpers.js'

/** One post whose image has no alt text: one `image-alt` warning, nothing else. */
const warningSite = {
  'site.yml': 'title: Flags\nurl: https://example.com\n',
  'posts/2024-03-04-a-picture.md': '---\ntitle: A picture\ndate: 2024-03-04\n---\nLook: <img src="https://images.example.org/a.png">\n'
}

/** The same site without the warning. */
const cleanSite = {
  'site.yml': 'title: Flags\nurl: https://example.com\n',
  'posts/2024-03-04-a-picture.md': '---\ntitle: A picture\ndate: 2024-03-04\n---\nLook: <img src="https://images.example.org/a.png" alt="A dot">\n'
}

/** `galley ARGS` on a pseudo-terminal (util-linux `script`): everything it wrote there, stdout and stderr in one. */
function onTerminal(args: string[], env: Record<string, string | undefined> = {}): Promise<{code: number; output: string}> {
  const command = [process.execPath, cliPath, ...args].map((part) => `'${part}'`).join(' ')
  const childEnv: Record<string, string | undefined> = {...process.env, ...env}
  delete childEnv.CI
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete childEnv[key]
  return new Promise((resolve) => {
    execFile('script', ['-qec', command, '/dev/null'], {env: childEnv as NodeJS.ProcessEnv}, (error, stdout) => {
      resolve({code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, output: stdout})
    })
  })
}

/** An SGR colour sequence (`ESC[33m`…): what picocolors writes; the progress line's `ESC[2K` is no colour. */
const colour = /\x1b\[\d+m/

describe('colour', () => {
  it('colours severities and the summary on a terminal, and nothing with NO_COLOR or when piped', async () => {
    const dir = await makeSite(warningSite)
    const tty = await onTerminal(['build', '--source', dir, '--no-cache', '--workers', '1'], {NO_COLOR: undefined, TERM: 'xterm'})
    expect(tty.code).toBe(0)
    expect(tty.output).toMatch(/\x1b\[33mwarning\x1b\[39m: image has no alt text/)
    expect(tty.output).toMatch(/\x1b\[32mgalley: built 1 post into /)

    const noColor = await onTerminal(['build', '--source', dir, '--no-cache', '--workers', '1'], {NO_COLOR: '1', TERM: 'xterm'})
    expect(noColor.code).toBe(0)
    expect(noColor.output).toContain('posts/2024-03-04-a-picture.md:5:7: warning: image has no alt text')
    expect(noColor.output).not.toMatch(colour)

    const piped = await runCli(['build', '--source', dir, '--no-cache', '--workers', '1'], {env: {NO_COLOR: '', TERM: 'xterm'}})
    expect(piped.code).toBe(0)
    expect(piped.stderr).toContain(': warning: image has no alt text')
    expect(piped.stdout + piped.stderr).not.toMatch(colour)
  })
})

describe('--quiet', () => {
  it('prints nothing for a build with warnings, and only the errors for a failed one', async () => {
    const dir = await makeSite(warningSite)
    const quiet = await runCli(['build', '--source', dir, '--quiet'])
    expect(quiet.code).toBe(0)
    expect(quiet.stdout).toBe('')
    expect(quiet.stderr).toBe('')
    expect(existsSync(path.join(dir, '_site', 'index.html'))).toBe(true)
    const loud = await runCli(['build', '--source', dir])
    expect(loud.stderr).toContain('(image-alt)')

    await fs.writeFile(path.join(dir, 'posts/2024-03-05-broken.md'), '---\ntitle: [unclosed\n---\nBody.\n')
    const failed = await runCli(['build', '--source', dir, '-q'])
    expect(failed.code).toBe(1)
    expect(failed.stdout).toBe('')
    const lines = failed.stderr.trim().split('\n')
    expect(lines.some((line) => /^posts\/2024-03-05-broken\.md:\d+:\d+: error: /.test(line))).toBe(true)
    expect(lines.filter((line) => line.includes(': warning: ') || line.includes('warnings by rule'))).toEqual([])
  })

  it('with check prints only broken links; --quiet and --verbose together are a usage error', async () => {
    const dir = await makeSite(cleanSite)
    const checked = await runCli(['build', '--source', dir, '--check', '--quiet'])
    expect(checked.code).toBe(0)
    expect(checked.stdout + checked.stderr).toBe('')
    const both = await runCli(['build', '--source', dir, '--quiet', '--verbose'])
    expect(both.code).toBe(2)
    expect(both.stderr).toContain('--quiet and --verbose cannot be used together')
  })
})

describe('--strict', () => {
  it('makes every warning an error: exit 1, the previous output left as it was', async () => {
    const dir = await makeSite(cleanSite)
    expect((await runCli(['build', '--source', dir, '--strict'])).code).toBe(0)
    const before = await fs.readFile(path.join(dir, '_site/2024/03/04/a-picture/index.html'), 'utf8')

    await fs.writeFile(path.join(dir, 'posts/2024-03-04-a-picture.md'), warningSite['posts/2024-03-04-a-picture.md'])
    const strict = await runCli(['build', '--source', dir, '--strict'])
    expect(strict.code).toBe(1)
    expect(strict.stderr).toContain('posts/2024-03-04-a-picture.md:5:7: error: image has no alt text')
    expect(strict.stderr).toMatch(/galley: build failed with 1 error \(--strict: warnings count as errors\); .*_site was left as it was/)
    expect(await fs.readFile(path.join(dir, '_site/2024/03/04/a-picture/index.html'), 'utf8')).toBe(before)

    // Without --strict the same site builds, with its warning.
    const relaxed = await runCli(['build', '--source', dir])
    expect(relaxed.code).toBe(0)
    expect(relaxed.stderr).toContain(': warning: image has no alt text')
  })

  it('also fails on a warning about site.yml itself (no url)', async () => {
    const dir = await makeSite({...cleanSite, 'site.yml': 'title: Flags\n'})
    const strict = await runCli(['build', '--source', dir, '--strict'])
    expect(strict.code).toBe(1)
    expect(strict.stderr).toMatch(/^site\.yml:1:1: error: no url set/m)
    expect(existsSync(path.join(dir, '_site'))).toBe(false)
  })
})

describe('--verbose', () => {
  it('prints how long each stage took', async () => {
    const dir = await makeSite(cleanSite)
    const verbose = await runCli(['build', '--source', dir, '--verbose'])
    expect(verbose.code).toBe(0)
    const line = verbose.stdout.split('\n').find((text) => text.startsWith('galley: timings: ')) ?? ''
    const stages = line.replace('galley: timings: ', '').split(', ')
    expect(stages.length).toBeGreaterThanOrEqual(3)
    for (const stage of stages) expect(stage).toMatch(/^[a-z][a-z ]* \d+ ms$/)
    expect((await runCli(['build', '--source', dir])).stdout).not.toContain('timings')
  })
})

describe('relative paths', () => {
  it('--out is relative to the current folder; destination: in site.yml to the site', async () => {
    const parent = await makeSite({})
    const site = path.join(parent, 'blog')
    await fs.mkdir(site)
    for (const [name, text] of Object.entries(cleanSite)) {
      await fs.mkdir(path.dirname(path.join(site, name)), {recursive: true})
      await fs.writeFile(path.join(site, name), text)
    }
    const flag = await runCli(['build', '--source', 'blog', '--out', 'public'], {cwd: parent})
    expect(flag.code).toBe(0)
    expect(existsSync(path.join(parent, 'public', 'index.html'))).toBe(true)
    expect(existsSync(path.join(site, 'public'))).toBe(false)
    expect(flag.stdout).toContain('into public/')

    await fs.appendFile(path.join(site, 'site.yml'), 'destination: built\n')
    const config = await runCli(['build', '--source', 'blog'], {cwd: parent})
    expect(config.code).toBe(0)
    expect(existsSync(path.join(site, 'built', 'index.html'))).toBe(true)
    expect(existsSync(path.join(parent, 'built'))).toBe(false)
  })
})
