import {execFile} from 'node:child_process'
import {promises as fs} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {deployToGit, GitError} from '../src/deploy.js'
import {makeSite, runCli, snapshotTree, writeFiles} from './helpers.js'

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

  it('looks a remote given by name (origin) up in the site’s own repository', async () => {
    const remote = await bareRepo()
    const siteRepo = await tempDir()
    await git(siteRepo, 'init', '--quiet')
    await git(siteRepo, 'remote', 'add', 'origin', remote)
    const out = await output({'index.html': '<h1>named</h1>'})
    const result = await deployToGit({out, remote: 'origin', repository: siteRepo, now})
    expect(result.pushed).toBe(true)
    expect(await git(remote, 'show', 'gh-pages:index.html')).toBe('<h1>named</h1>')
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

describe('galley deploy and a stale output (CLI)', () => {
  const site = {
    'site.yml': 'title: Stale\nurl: https://example.com\n',
    'posts/2024-02-03-first.md': '---\ntitle: First\ndate: 2024-02-03\n---\nThe first version.\n',
    'layouts/includes/.keep': ''
  }
  const postPath = '2024/02/03/first/index.html'

  /** Set a file's mtime `seconds` from now, so "newer than the build" never depends on the clock's resolution. */
  async function touch(file: string, seconds: number): Promise<void> {
    const when = Date.now() / 1000 + seconds
    await fs.utimes(file, when, when)
  }

  it('refuses when a source changed after the build, names it, and pushes nothing; --build rebuilds and deploys', async () => {
    const dir = await makeSite(site)
    dirs.push(dir)
    const remote = await bareRepo()
    const env = {GIT_CONFIG_GLOBAL: os.devNull, GIT_CONFIG_NOSYSTEM: '1'}
    expect((await runCli(['build', '--source', dir], {env})).code).toBe(0)
    const first = await runCli(['deploy', '--source', dir, '--git', remote], {env})
    expect(first.stderr).toBe('')
    expect(first.code).toBe(0)
    const head = (await git(remote, 'rev-parse', 'gh-pages')).trim()

    // An edited post: deploy says the output is stale and does nothing.
    const post = path.join(dir, 'posts/2024-02-03-first.md')
    await fs.writeFile(post, site['posts/2024-02-03-first.md'].replace('first version', 'second version'))
    await touch(post, 5)
    const stale = await runCli(['deploy', '--source', dir, '--git', remote], {env})
    expect(stale.code).toBe(1)
    expect(stale.stderr).toMatch(/^galley: not deploying _site\/|^galley: not deploying .*_site\//)
    expect(stale.stderr).toContain('posts/2024-02-03-first.md changed after it was built')
    expect(stale.stderr).toContain('galley deploy --build')
    expect(stale.stdout).toBe('')
    expect((await git(remote, 'rev-parse', 'gh-pages')).trim()).toBe(head)

    // A layout (not content) counts as a source too, and so does site.yml.
    await touch(post, -3600)
    const include = path.join(dir, 'layouts/includes/footer.html')
    await fs.writeFile(include, '<footer>Changed.</footer>\n')
    await touch(include, 5)
    const layout = await runCli(['deploy', '--source', dir, '--git', remote], {env})
    expect(layout.code).toBe(1)
    expect(layout.stderr).toContain('layouts/includes/footer.html changed after')
    await touch(include, -3600)
    await touch(path.join(dir, 'site.yml'), 5)
    expect((await runCli(['deploy', '--source', dir, '--git', remote], {env})).stderr).toContain('site.yml changed after')
    await touch(post, 5)

    // --build rebuilds, then deploys what it built.
    const rebuilt = await runCli(['deploy', '--source', dir, '--git', remote, '--build'], {env})
    expect(rebuilt.code, rebuilt.stderr).toBe(0)
    expect(rebuilt.stdout).toMatch(/galley: built 1 post into /)
    expect(rebuilt.stdout).toMatch(/galley: deployed .*_site\/ to /)
    expect(await git(remote, 'show', `gh-pages:${postPath}`)).toContain('The second version.')
    expect((await git(remote, 'rev-parse', 'gh-pages^')).trim()).toBe(head)

    // A build that changes nothing still makes the output current: deploy goes ahead (nothing new to push).
    for (const file of ['site.yml', 'posts/2024-02-03-first.md']) await touch(path.join(dir, file), -60)
    await touch(path.join(dir, '_site/.galley-output'), -3600)
    expect((await runCli(['deploy', '--source', dir, '--git', remote], {env})).code).toBe(1)
    const unchanged = await runCli(['build', '--source', dir], {env})
    expect(unchanged.stdout).toContain('nothing changed, the output was left as it was')
    const again = await runCli(['deploy', '--source', dir, '--git', remote], {env})
    expect(again.code, again.stderr).toBe(0)
    expect(again.stdout).toMatch(/^galley: nothing changed; gh-pages stays at /)
  })

  it('--build does not deploy a build that fails', async () => {
    const dir = await makeSite({...site, 'posts/2024-02-04-broken.md': '---\ntitle: [oops\n---\nx\n'})
    dirs.push(dir)
    const remote = await bareRepo()
    const result = await runCli(['deploy', '--source', dir, '--git', remote, '--build'], {env: {GIT_CONFIG_GLOBAL: os.devNull, GIT_CONFIG_NOSYSTEM: '1'}})
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/posts\/2024-02-04-broken\.md:\d+:\d+: error: /)
    expect(result.stderr).toContain('galley: not deploying: the build failed')
    expect(await git(remote, 'branch', '--list')).toBe('')
  })
})
