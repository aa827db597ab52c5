import {execFile, execFileSync} from 'node:child_process'
import {promises as fs} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {cliPath, makeSite, runCli, type CliResult} from './helpers.js'

const post = '---\ntitle: A\n---\nText.\n'

/** Root reads every file whatever its mode: as root, run the CLI as `nobody` (with setpriv); otherwise as we are. */
const asRoot = process.getuid?.() === 0
const hasSetpriv = (() => {
  try {
    execFileSync('setpriv', ['--version'], {stdio: 'ignore'})
    return true
  } catch {
    return false
  }
})()

function runUnprivileged(args: string[]): Promise<CliResult> {
  const [command, prefix] = asRoot ? ['setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath]] : [process.execPath, []]
  return new Promise((resolve) => {
    execFile(command, [...prefix, cliPath, ...args], (error, stdout, stderr) => {
      resolve({code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr})
    })
  })
}

/** A site every user may read and write, as `nobody` must. */
async function openSite(files: Record<string, string>): Promise<string> {
  const dir = await makeSite(files)
  execFileSync('chmod', ['-R', 'a+rwX', dir])
  return dir
}

describe('source problems are one-line messages, never an internal error', () => {
  it('--source pointing at a file', async () => {
    const dir = await makeSite({'site.yml': 'title: T\n', 'posts/2024-05-12-a.md': post})
    const file = path.join(dir, 'site.yml')
    const result = await runCli(['build', '--source', file])
    expect(result.code).toBe(1)
    expect(result.stderr).not.toMatch(/internal error|    at /)
    expect(result.stderr.split('\n')[0]).toBe(`--source: error: ${file} is a file, not a site folder (give the folder that holds site.yml and posts/) (config)`)
  })

  it('--source that does not exist', async () => {
    const dir = await makeSite({})
    const result = await runCli(['build', '--source', path.join(dir, 'nope')])
    expect(result.code).toBe(1)
    expect(result.stderr).not.toMatch(/internal error|    at /)
    expect(result.stderr).toMatch(/^--source: error: the source folder .*nope does not exist \(config\)$/m)
  })

  it.skipIf(asRoot && !hasSetpriv)('unreadable posts, data files, site.yml and folders: an error on each, exit 1, the old output kept', async () => {
    const dir = await openSite({'site.yml': 'title: T\n', 'posts/2024-05-12-a.md': post, 'posts/2024-05-13-b.md': post, 'data/x.yml': 'a: 1\n'})
    const first = await runUnprivileged(['build', '--source', dir, '--no-cache'])
    expect(first.code, first.stderr).toBe(0)
    const site = path.join(dir, '_site', 'index.html')
    const before = await fs.readFile(site, 'utf8')

    await fs.chmod(path.join(dir, 'posts/2024-05-12-a.md'), 0o000)
    await fs.chmod(path.join(dir, 'data/x.yml'), 0o000)
    let result = await runUnprivileged(['build', '--source', dir, '--no-cache'])
    expect(result.code).toBe(1)
    expect(result.stderr).not.toMatch(/internal error|    at /)
    expect(result.stderr).toMatch(/^data\/x\.yml:1:1: error: cannot read this file: permission denied \(EACCES\) \(read\)$/m)
    expect(result.stderr).toMatch(/^posts\/2024-05-12-a\.md:1:1: error: cannot read this file: permission denied \(EACCES\) \(read\)$/m)
    await fs.chmod(path.join(dir, 'posts/2024-05-12-a.md'), 0o644)
    await fs.chmod(path.join(dir, 'data/x.yml'), 0o644)

    await fs.mkdir(path.join(dir, 'posts/locked'), {mode: 0o000})
    await fs.chmod(path.join(dir, 'posts/locked'), 0o000)
    result = await runUnprivileged(['build', '--source', dir, '--no-cache'])
    expect(result.code).toBe(1)
    expect(result.stderr).not.toMatch(/internal error|    at /)
    expect(result.stderr).toMatch(/^posts\/locked:1:1: error: cannot read this folder: permission denied \(EACCES\) \(read\)$/m)
    await fs.chmod(path.join(dir, 'posts/locked'), 0o755)

    await fs.chmod(path.join(dir, 'site.yml'), 0o000)
    result = await runUnprivileged(['build', '--source', dir, '--no-cache'])
    expect(result.code).toBe(1)
    expect(result.stderr).not.toMatch(/internal error|    at /)
    expect(result.stderr).toMatch(/^site\.yml:1:1: error: cannot read this file: permission denied \(EACCES\) \(read\)$/m)
    await fs.chmod(path.join(dir, 'site.yml'), 0o644)

    expect(await fs.readFile(site, 'utf8')).toBe(before)
  })
})
