import {existsSync, promises as fs} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {makeSite, runCli, writeFiles} from './helpers.js'

/** Files in the output that Galley did not write are reported, path and hint, and kept unless --clean. */

const env = {SOURCE_DATE_EPOCH: '1800000000', CI: 'true'}
const hint = 'this file was not written by galley; it is kept (list it in keep_files in site.yml to keep it without this warning, or build with --clean to remove it) (foreign-file)'

describe('files in the output that galley did not write', () => {
  it('are reported and kept, on builds with and without changes, and removed only with --clean', async () => {
    const dir = await makeSite({'site.yml': 'title: F\nurl: https://example.com\n', 'posts/2024-01-01-a.md': '---\ntitle: A\n---\nFirst.\n'})
    expect((await runCli(['build', '--source', dir], {env})).code).toBe(0)
    await writeFiles(path.join(dir, '_site'), {'notes.txt': 'my notes', 'drafts/idea.md': 'an idea', 'CNAME': 'example.com'})
    // Nothing changed in the sources: the output is left as it is, the files are still reported.
    const same = await runCli(['build', '--source', dir], {env})
    expect(same.code, same.stderr).toBe(0)
    expect(same.stderr.split('\n')).toEqual(expect.arrayContaining([`_site/drafts/idea.md:1:1: warning: ${hint}`, `_site/notes.txt:1:1: warning: ${hint}`]))
    // CNAME is in the default keep_files: kept without a word.
    expect(same.stderr).not.toContain('CNAME')
    // A change: the output is replaced, the user's files come along.
    await writeFiles(dir, {'posts/2024-01-01-a.md': '---\ntitle: A\n---\nSecond.\n'})
    const changed = await runCli(['build', '--source', dir], {env})
    expect(changed.stderr.split('\n')).toContain(`_site/notes.txt:1:1: warning: ${hint}`)
    expect(await fs.readFile(path.join(dir, '_site/notes.txt'), 'utf8')).toBe('my notes')
    expect(await fs.readFile(path.join(dir, '_site/drafts/idea.md'), 'utf8')).toBe('an idea')
    expect(await fs.readFile(path.join(dir, '_site/2024/01/01/a/index.html'), 'utf8')).toContain('Second.')
    // --clean removes them (and says so); CNAME stays.
    const clean = await runCli(['build', '--source', dir, '--clean'], {env})
    expect(clean.code).toBe(0)
    expect(clean.stderr.split('\n')).toContain('_site/notes.txt:1:1: warning: this file was not written by galley; removed (--clean) (foreign-file)')
    expect(existsSync(path.join(dir, '_site/notes.txt'))).toBe(false)
    expect(existsSync(path.join(dir, '_site/drafts/idea.md'))).toBe(false)
    expect(await fs.readFile(path.join(dir, '_site/CNAME'), 'utf8')).toBe('example.com')
    const after = await runCli(['build', '--source', dir], {env})
    expect(after.stderr).not.toContain('foreign-file')
  })

  it('a _site no build wrote: every file in it is the user\'s, kept and reported', async () => {
    const dir = await makeSite({'site.yml': 'title: F\nurl: https://example.com\n', 'posts/2024-01-01-a.md': '---\ntitle: A\n---\nx\n', '_site/old.html': '<p>hand made</p>'})
    const result = await runCli(['build', '--source', dir], {env})
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr.split('\n')).toContain(`_site/old.html:1:1: warning: ${hint}`)
    expect(await fs.readFile(path.join(dir, '_site/old.html'), 'utf8')).toBe('<p>hand made</p>')
  })
})
