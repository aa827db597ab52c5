import {execFileSync} from 'node:child_process'
import {existsSync, promises as fs} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {makeSite, read, runCli, writeFiles} from './helpers.js'

const post = (body: string) => `---\ntitle: A\n---\n${body}\n`

describe('keep_files: what the user keeps in the output survives every build', () => {
  it('a CNAME and a .git folder inside _site survive a build with changes and one without', async () => {
    const dir = await makeSite({'site.yml': 'title: T\n', 'posts/2024-05-12-a.md': post('First version.')})
    const site = path.join(dir, '_site')
    expect((await runCli(['build', '--source', dir])).code).toBe(0)

    execFileSync('git', ['init', '-q', site])
    await writeFiles(site, {CNAME: 'blog.example.com\n', '.git/galley-probe': 'kept\n', 'notes.txt': 'not in keep_files\n'})
    await fs.mkdir(path.join(site, '.git', 'empty-folder'))
    const gitDir = () => execFileSync('git', ['-C', site, 'rev-parse', '--absolute-git-dir'], {encoding: 'utf8'}).trim()
    expect(gitDir()).toBe(path.join(site, '.git'))

    // A build with a change: the output is swapped, the kept files come along.
    await writeFiles(dir, {'posts/2024-05-12-a.md': post('Second version.')})
    const changed = await runCli(['build', '--source', dir])
    expect(changed.code, changed.stderr).toBe(0)
    expect(await read(dir, '_site/2024/05/12/a/index.html')).toContain('Second version.')
    expect(await read(dir, '_site/CNAME')).toBe('blog.example.com\n')
    expect(await read(dir, '_site/.git/galley-probe')).toBe('kept\n')
    expect(existsSync(path.join(site, '.git', 'empty-folder'))).toBe(true)
    expect(gitDir()).toBe(path.join(site, '.git'))
    // Anything else Galley did not write is kept too, with a warning (foreign-files.test.ts), and goes only with --clean.
    expect(await read(dir, '_site/notes.txt')).toBe('not in keep_files\n')
    expect(changed.stderr).toMatch(/^_site\/notes\.txt:1:1: warning: this file was not written by galley; it is kept .*\(foreign-file\)$/m)
    expect(changed.stderr).not.toMatch(/_site\/(CNAME|\.git)/)

    // A build without a change leaves everything where it is.
    const same = await runCli(['build', '--source', dir])
    expect(same.code, same.stderr).toBe(0)
    expect(await read(dir, '_site/CNAME')).toBe('blog.example.com\n')
    expect(await read(dir, '_site/.git/galley-probe')).toBe('kept\n')
    expect(gitDir()).toBe(path.join(site, '.git'))
    expect(await read(dir, '_site/2024/05/12/a/index.html')).toContain('Second version.')

    // And with --no-cache, which writes every file again.
    const fresh = await runCli(['build', '--source', dir, '--no-cache'])
    expect(fresh.code, fresh.stderr).toBe(0)
    expect(await read(dir, '_site/CNAME')).toBe('blog.example.com\n')
    expect(await read(dir, '_site/.git/galley-probe')).toBe('kept\n')

    // --clean removes what keep_files does not name, never what it does.
    const clean = await runCli(['build', '--source', dir, '--clean'])
    expect(clean.code, clean.stderr).toBe(0)
    expect(existsSync(path.join(site, 'notes.txt'))).toBe(false)
    expect(await read(dir, '_site/CNAME')).toBe('blog.example.com\n')
    expect(gitDir()).toBe(path.join(site, '.git'))
  })

  it('keep_files in site.yml replaces the default; the site\'s own file wins; a path outside the output is a warning', async () => {
    const dir = await makeSite({
      'site.yml': 'title: T\nkeep_files:\n  - notes.txt\n  - drafts-by-hand\n  - ../escape\n  - robots.txt\n',
      'posts/2024-05-12-a.md': post('First version.')
    })
    const site = path.join(dir, '_site')
    expect((await runCli(['build', '--source', dir])).code).toBe(0)
    await writeFiles(site, {'notes.txt': 'mine\n', 'drafts-by-hand/a/b.txt': 'deep\n', CNAME: 'not in keep_files this time\n', 'robots.txt': 'mine too\n'})
    await writeFiles(dir, {'posts/2024-05-12-a.md': post('Second version.')})
    const result = await runCli(['build', '--source', dir])
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr).toMatch(/^site\.yml:2:1: warning: keep_files entry "\.\.\/escape" must be a path inside the output folder \(no leading \/, no \.\.\); it is ignored \(config\)$/m)
    expect(await read(dir, '_site/notes.txt')).toBe('mine\n')
    expect(await read(dir, '_site/drafts-by-hand/a/b.txt')).toBe('deep\n')
    // Not named by this keep_files: kept all the same, with a warning.
    expect(await read(dir, '_site/CNAME')).toBe('not in keep_files this time\n')
    expect(result.stderr).toMatch(/^_site\/CNAME:1:1: warning: this file was not written by galley; it is kept .*\(foreign-file\)$/m)
    // Galley writes robots.txt itself: its file wins over the kept one.
    expect(await read(dir, '_site/robots.txt')).not.toBe('mine too\n')
  })
})
