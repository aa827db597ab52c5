import {execFile} from 'node:child_process'
import {promises as fs} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {deployToGit, GitError} from '../src/deploy.js'
import {makeSite, snapshotTree, writeFiles} from './helpers.js'

// Keep the developer's own git config (identity, signing, hooks) out of these
// tests, so the fallback identity is what gets committed.
const savedEnv = {global: process.env.GIT_CONFIG_GLOBAL, nosystem: process.env.GIT_CONFIG_NOSYSTEM}
const dirs: string[] = []

beforeAll(() => {
  process.env.GIT_CONFIG_GLOBAL = os.devNull
  process.env.GIT_CONFIG_NOSYSTEM = '1'
})

afterAll(async () => {
  restore('GIT_CONFIG_GLOBAL', savedEnv.global)
  restore('GIT_CONFIG_NOSYSTEM', savedEnv.nosystem)
  await Promise.all(dirs.map((dir) => fs.rm(dir, {recursive: true, force: true})))
})

function restore(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name]
  else process.env[name] = value
}

function git(cwd: string, ...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('git', args, {cwd}, (error, stdout, stderr) => (error ? reject(new Error(stderr || error.message)) : resolve(stdout)))
  })
}

async function tempDir(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'galley-deploy-test-'))
  dirs.push(dir)
  return dir
}

async function bareRepo(): Promise<string> {
  const dir = await tempDir()
  await git(dir, 'init', '--quiet', '--bare')
  return dir
}

async function output(files: Record<string, string>): Promise<string> {
  const dir = await makeSite(files)
  dirs.push(dir)
  return dir
}

/** The files of `branch` in `repo`, sorted. */
async function filesOn(repo: string, branch: string): Promise<string[]> {
  return (await git(repo, 'ls-tree', '-r', '--name-only', branch)).split('\n').filter(Boolean).sort()
}

async function log(repo: string, branch: string): Promise<string[]> {
  return (await git(repo, 'log', '--format=%s|%an <%ae>', branch)).split('\n').filter(Boolean)
}

const now = new Date('2026-11-26T12:00:00Z')

describe('deployToGit', () => {
  it('commits the output to a new orphan branch, then on top of it; no empty commits', async () => {
    const remote = await bareRepo()
    const out = await output({'index.html': '<h1>v1</h1>', 'old.html': 'old', '.nojekyll': '', 'css/site.css': 'body{}'})
    const before = await snapshotTree(out)

    const first = await deployToGit({out, remote, now})
    expect(first).toMatchObject({branch: 'gh-pages', pushed: true, changed: true})
    expect(first.commit).toMatch(/^[0-9a-f]{40}$/)
    expect(await filesOn(remote, 'gh-pages')).toEqual(['.nojekyll', 'css/site.css', 'index.html', 'old.html'])
    expect(await log(remote, 'gh-pages')).toEqual(['Deploy site (2026-11-26T12:00:00Z)|Galley <galley@localhost>'])
    expect(await snapshotTree(out)).toEqual(before) // the output folder is only read
    await expect(fs.access(path.join(out, '.git'))).rejects.toThrow()

    await writeFiles(out, {'index.html': '<h1>v2</h1>'})
    await fs.rm(path.join(out, 'old.html'))
    const second = await deployToGit({out, remote, now: new Date('2026-11-27T08:30:00.123Z')})
    expect(second).toMatchObject({branch: 'gh-pages', pushed: true, changed: true})
    expect(await log(remote, 'gh-pages')).toEqual(['Deploy site (2026-11-27T08:30:00Z)|Galley <galley@localhost>', 'Deploy site (2026-11-26T12:00:00Z)|Galley <galley@localhost>'])
    expect(await git(remote, 'rev-parse', 'gh-pages')).toBe(second.commit + '\n')
    expect(await git(remote, 'rev-parse', 'gh-pages^')).toBe(first.commit + '\n')
    expect(await filesOn(remote, 'gh-pages')).toEqual(['.nojekyll', 'css/site.css', 'index.html'])
    expect(await git(remote, 'show', 'gh-pages:index.html')).toBe('<h1>v2</h1>')

    const third = await deployToGit({out, remote, now: new Date('2026-11-28T00:00:00Z')})
    expect(third).toEqual({commit: second.commit, branch: 'gh-pages', pushed: false, changed: false})
    expect(await log(remote, 'gh-pages')).toHaveLength(2)
  })

  it("keeps a branch's existing history and leaves other branches alone", async () => {
    const remote = await bareRepo()
    const clone = await tempDir()
    await git(clone, 'init', '--quiet')
    await writeFiles(clone, {'legacy.html': 'from another tool', 'CNAME': 'example.com'})
    await git(clone, 'add', '.')
    await git(clone, '-c', 'user.name=Someone', '-c', 'user.email=someone@example.com', 'commit', '--quiet', '-m', 'Old deploy')
    await git(clone, 'push', '--quiet', remote, 'HEAD:refs/heads/pages')
    await git(clone, 'push', '--quiet', remote, 'HEAD:refs/heads/main')
    const oldHead = (await git(remote, 'rev-parse', 'pages')).trim()

    const out = await output({'index.html': 'new site', CNAME: 'example.com'})
    const result = await deployToGit({out, remote: path.relative(process.cwd(), remote), branch: 'pages', message: 'Publish', now})
    expect(result).toMatchObject({branch: 'pages', pushed: true, changed: true})
    expect(await log(remote, 'pages')).toEqual(['Publish|Galley <galley@localhost>', 'Old deploy|Someone <someone@example.com>'])
    expect((await git(remote, 'rev-parse', 'pages^')).trim()).toBe(oldHead)
    expect(await filesOn(remote, 'pages')).toEqual(['CNAME', 'index.html'])
    expect((await git(remote, 'rev-parse', 'main')).trim()).toBe(oldHead)
  })

  it('refuses a missing or empty output folder', async () => {
    const remote = await bareRepo()
    const empty = await tempDir()
    await expect(deployToGit({out: empty, remote, now})).rejects.toThrow(/is empty/)
    await expect(deployToGit({out: path.join(empty, 'nope'), remote, now})).rejects.toThrow(/does not exist/)
    expect(await git(remote, 'branch', '--list')).toBe('')
  })

  it("throws a GitError carrying git's stderr when the remote is unusable", async () => {
    const out = await output({'index.html': 'x'})
    const missing = path.join(await tempDir(), 'no-such-repo.git')
    const error: unknown = await deployToGit({out, remote: missing, now}).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(GitError)
    expect((error as GitError).stderr).toMatch(/does not appear to be a git repository|not found|No such file/i)
    expect((error as GitError).message).toContain((error as GitError).stderr)
  })
})
