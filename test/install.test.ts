import {execFile} from 'node:child_process'
import {existsSync, promises as fs} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {root, runCli} from './helpers.js'

/** Run a command in `cwd`, resolving with its exit code and output (never rejecting). */
function run(command: string, args: string[], cwd: string): Promise<{code: number; stdout: string; stderr: string}> {
  return new Promise((resolve) => {
    execFile(command, args, {cwd, env: {...process.env, npm_config_update_notifier: 'false'}, timeout: 110_000}, (error, stdout, stderr) => {
      resolve({code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr})
    })
  })
}

describe('npm pack', () => {
  it('packs the compiled code, the theme and its assets, and nothing of the tests or sources', {timeout: 60_000}, async () => {
    const packed = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], root)
    expect(packed.code, packed.stderr).toBe(0)
    const [{files}] = JSON.parse(packed.stdout) as Array<{files: Array<{path: string}>}>
    const paths = files.map((file) => file.path)
    for (const needed of ['package.json', 'dist/cli.js', 'dist/build.js', 'dist/render/worker.js', 'layouts/default.html', 'layouts/includes/head.html']) expect(paths).toContain(needed)
    expect(paths.some((file) => file.startsWith('assets/'))).toBe(true)
    expect(paths.filter((file) => /^(src|test|bench|posts|scripts)\//.test(file))).toEqual([])
  })
})

describe('a site made by galley init, outside the clone', () => {
  // About 10 s: the file: dependency is a link to this folder, so npm fetches nothing.
  it('installs Galley from its file: devDependency without the registry, and npx galley build writes _site', {timeout: 120_000}, async () => {
    const parent = await fs.mkdtemp(path.join(os.tmpdir(), 'galley-install-'))
    const init = await runCli(['init', 'my-blog'], {cwd: parent})
    expect(init.code).toBe(0)
    const site = path.join(parent, 'my-blog')
    const install = await run('npm', ['install', '--offline', '--no-audit', '--no-fund'], site)
    expect(install.stderr.split('\n').filter((line) => /ERR!/.test(line))).toEqual([])
    expect(install.code).toBe(0)
    expect(await fs.realpath(path.join(site, 'node_modules', 'galley'))).toBe(await fs.realpath(root))

    const version = await run(process.execPath, [path.join(site, 'node_modules', '.bin', 'galley'), '--version'], site)
    expect(version.stdout).toMatch(/^galley \d+\.\d+\.\d+/)

    const build = await run('npx', ['--no-install', 'galley', 'build'], site)
    expect(build.stderr).not.toMatch(/: error: /)
    expect(build.code).toBe(0)
    expect(build.stdout).toMatch(/built 1 post into _site\//)
    expect(existsSync(path.join(site, '_site', 'index.html'))).toBe(true)
    const script = await run('npm', ['run', '--silent', 'build'], site)
    expect(script.code).toBe(0)
  })
})
