import {execFile} from 'node:child_process'
import {existsSync, promises as fs} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {root, runCli} from './helpers.js'

/** Run a command in `cwd`, resolving with its exit code and output (never rejecting). */
function run(command: string, args: string[], cwd: string, extraEnv: Record<string, string | undefined> = {}): Promise<{code: number; stdout: string; stderr: string}> {
  const env: Record<string, string | undefined> = {...process.env, npm_config_update_notifier: 'false', ...extraEnv}
  for (const [key, value] of Object.entries(extraEnv)) if (value === undefined) delete env[key]
  return new Promise((resolve) => {
    execFile(command, args, {cwd, env: env as NodeJS.ProcessEnv, timeout: 240_000, maxBuffer: 16 * 1024 * 1024}, (error, stdout, stderr) => {
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

describe('the packed tarball, installed as a user would, far from this clone', () => {
  // npm fetches Galley's dependencies from its cache or the registry: a minute or two on a busy machine.
  it('installs globally, galley init makes a blog, the tarball installs there, and npx galley build and check work', {timeout: 600_000}, async () => {
    const parent = await fs.mkdtemp(path.join(os.tmpdir(), 'galley-tarball-'))
    try {
      const packed = await run('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', parent], root)
      expect(packed.code, packed.stderr).toBe(0)
      const tarball = path.join(parent, packed.stdout.trim().split('\n').at(-1) ?? '')
      expect(tarball).toMatch(/galley-\d+\.\d+\.\d+\.tgz$/)

      // npm install -g, into a prefix of the test's own (npm_config_prefix from an npm script would override it).
      const prefix = path.join(parent, 'global')
      const npmEnv = {npm_config_prefix: undefined, npm_config_global_prefix: undefined, npm_config_local_prefix: undefined}
      const global = await run('npm', ['install', '-g', '--prefix', prefix, tarball, '--prefer-offline', '--no-audit', '--no-fund'], parent, npmEnv)
      expect(global.code, global.stderr).toBe(0)
      // No install scripts in Galley's own package (no tsc at install time). npm 11 names the dependencies
      // whose scripts it did not run: only sharp's, which checks for its prebuilt binary and needs nothing run.
      expect(global.stderr).not.toMatch(/ERR!/)
      const skipped = [...global.stderr.matchAll(/^npm warn install-scripts\s+(\S+?)@/gm)].map((match) => match[1])
      expect(skipped.filter((name) => name !== 'sharp'), global.stderr).toEqual([])
      const galley = path.join(prefix, 'bin', 'galley')
      const version = await run(galley, ['--version'], parent)
      expect(version.stdout).toMatch(/^galley \d+\.\d+\.\d+\n$/)

      const init = await run(galley, ['init', 'my-blog'], parent)
      expect(init.code, init.stderr).toBe(0)
      const blog = path.join(parent, 'my-blog')
      for (const file of ['package.json', '.gitignore', '.github/workflows/pages.yml', 'site.yml']) expect(existsSync(path.join(blog, file)), file).toBe(true)

      // The blog's own repository installs the tarball (what a CI build would do with a committed copy).
      const local = await run('npm', ['install', '--save-dev', tarball, '--prefer-offline', '--no-audit', '--no-fund'], blog, npmEnv)
      expect(local.code, local.stderr).toBe(0)
      const installed = await fs.realpath(path.join(blog, 'node_modules', 'galley'))
      expect(installed.startsWith(await fs.realpath(blog)), `node_modules/galley is ${installed}, not a copy inside the blog`).toBe(true)
      const manifest = JSON.parse(await fs.readFile(path.join(blog, 'package.json'), 'utf8')) as {devDependencies: Record<string, string>; scripts: Record<string, string>}
      expect(manifest.devDependencies.galley).toMatch(/^file:.*galley-\d+\.\d+\.\d+\.tgz$/)
      expect(Object.keys(manifest.scripts).sort()).toEqual(['build', 'check', 'deploy', 'serve'])

      const build = await run('npx', ['--no-install', 'galley', 'build'], blog)
      expect(build.code, build.stderr).toBe(0)
      expect(build.stderr).not.toMatch(/: error: /)
      expect(build.stdout).toMatch(/built 1 post into _site\//)
      expect(existsSync(path.join(blog, '_site', 'index.html'))).toBe(true)
      const check = await run('npx', ['--no-install', 'galley', 'check'], blog)
      expect(check.code, check.stdout + check.stderr).toBe(0)
      expect(check.stdout).toMatch(/^galley: no broken links in _site\//)
    } finally {
      await fs.rm(parent, {recursive: true, force: true})
    }
  })
})
