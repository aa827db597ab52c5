import {existsSync, lstatSync, promises as fs} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'
import {makeSite, runCli, snapshotTree, writeFiles} from './helpers.js'

/**
 * The robustness table: broken, hostile and odd input, each case asserting
 * the exit code, the exact message line (path, line, column, rule), and —
 * for errors — that the previous output is byte for byte as it was.
 */

const env = {SOURCE_DATE_EPOCH: '1800000000', CI: 'true'}
const siteYml = 'title: Table\nurl: https://example.com\nauthor: Someone\n'
const goodPost = '---\ntitle: Fine\n---\n\nA post that builds.\n'

interface ErrorCase {
  readonly name: string
  /** Files added (or replaced) for this case only. */
  readonly files?: Record<string, string | Uint8Array>
  /** Extra command-line arguments; `$site` and `$tmp` are replaced. */
  readonly args?: readonly string[]
  /** Run before the build (a lock to hold, a file to put in the way). */
  readonly setup?: (site: string, tmp: string) => Promise<void>
  readonly code: 1 | 2
  /** The whole line expected on stderr (`$site`, `$tmp` replaced). */
  readonly line: string | RegExp
}

const errorCases: ErrorCase[] = [
  {
    name: 'front matter opened with ---yaml: the YAML error at its own line',
    files: {'posts/2024-05-02-tagged.md': '---yaml\ntitle: ok\nbad: [x\n---\n\nText.\n'},
    code: 1,
    line: 'posts/2024-05-02-tagged.md:4:1: error: invalid YAML in front matter: unexpected end of the stream within a flow collection (yaml)'
  },
  {
    name: 'permalink: /:nosuch/ in site.yml: one error at its line there, none on the posts',
    files: {'site.yml': siteYml + 'permalink: /:nosuch/:title/\n'},
    code: 1,
    line: /^site\.yml:4:1: error: permalink "\/:nosuch\/:title\/": unknown placeholder ":nosuch" \(known: [^)]*\) \(permalink\)$/
  },
  {
    name: 'a file name and front matter holding terminal escapes: echoed escaped',
    files: {'posts/2024-05-03-\u001b[31mred.md': '---\ntitle: [\u001b[2J\n---\n'},
    code: 1,
    line: /^posts\/2024-05-03-\\x1b\[31mred\.md:\d+:\d+: error: invalid YAML in front matter: .* \(yaml\)$/
  },
  {
    name: 'a warning made an error by warnings: in site.yml',
    files: {'site.yml': siteYml + 'warnings: {empty-file: error}\n', 'posts/2024-05-04-empty.md': ''},
    code: 1,
    line: 'posts/2024-05-04-empty.md:1:1: error: this file is empty, so its page has no content (add front matter and text, or delete it) (empty-file)'
  },
  {
    name: '--out naming a file: the message names --out',
    args: ['--out', '$tmp/a-file'],
    setup: async (_site, tmp) => fs.writeFile(path.join(tmp, 'a-file'), 'mine'),
    code: 1,
    line: '--out: error: the output folder $tmp/a-file is a file, not a folder; remove it or pick another --out (output)'
  },
  {
    name: '--out inside a file: the message names --out',
    args: ['--out', '$tmp/a-file/site'],
    setup: async (_site, tmp) => fs.writeFile(path.join(tmp, 'a-file'), 'mine'),
    code: 1,
    line: '--out: error: cannot make the folder around the output folder $tmp/a-file/site: a file is in the way (EEXIST); pick another --out or fix the folder (output)'
  },
  {
    name: '--out a symbolic link to nothing: refused, naming --out',
    args: ['--out', '$tmp/dangling'],
    setup: async (_site, tmp) => fs.symlink(path.join(tmp, 'nowhere'), path.join(tmp, 'dangling')),
    code: 1,
    line: '--out: error: the output folder $tmp/dangling is a symbolic link to a folder that does not exist; create the folder it points to, or remove the link (output)'
  },
  {
    name: '--source that does not exist: the message names --source',
    args: ['--source', '$tmp/nope'],
    code: 1,
    line: '--source: error: the source folder $tmp/nope does not exist (config)'
  },
  {
    name: 'another build holds the lock',
    setup: async (site) => fs.writeFile(path.join(site, '.galley-lock-_site'), JSON.stringify({pid: process.pid, host: os.hostname(), started: '2021-02-03T04:05:06.000Z'})),
    code: 1,
    line: `_site/: error: another build (pid ${process.pid} on ${os.hostname()}, started 2021-02-03T04:05:06.000Z) is writing this output folder; run again when it has finished, or pass --wait to queue behind it (lock file: $site/.galley-lock-_site) (output-lock)`
  },
  {name: 'a usage error exits 2', args: ['--workers', '0'], code: 2, line: 'galley: --workers must be a whole number of at least 1, not "0"'},
  {name: 'an unknown option exits 2, its name escaped', args: ['--\u001b[1mbold'], code: 2, line: /^galley: Unknown option '--\\x1b\[1mbold'/}
]

describe('robustness table', () => {
  let site: string
  let tmp: string
  let good: Map<string, string>
  beforeAll(async () => {
    site = await makeSite({'site.yml': siteYml, 'posts/2024-05-01-fine.md': goodPost})
    const built = await runCli(['build', '--source', site], {env})
    expect(built.code, built.stderr).toBe(0)
    good = await snapshotTree(path.join(site, '_site'))
  })

  for (const testCase of errorCases) {
    it(`${testCase.name}: exit ${testCase.code}, the message at its place, the output as it was`, async () => {
      tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'galley-table-'))
      const fill = (text: string) => text.replaceAll('$site', site).replaceAll('$tmp', tmp)
      const before = new Map<string, Buffer | undefined>()
      for (const name of Object.keys(testCase.files ?? {})) before.set(name, existsSync(path.join(site, name)) ? await fs.readFile(path.join(site, name)) : undefined)
      await writeFiles(site, testCase.files ?? {})
      await testCase.setup?.(site, tmp)
      try {
        const args = (testCase.args ?? []).map(fill)
        const result = await runCli(['build', ...(args.includes('--source') ? [] : ['--source', site]), ...args], {env})
        expect(result.code, result.stderr).toBe(testCase.code)
        const lines = result.stderr.split('\n')
        if (typeof testCase.line === 'string') expect(lines).toContain(fill(testCase.line))
        else expect(lines.some((line) => (testCase.line as RegExp).test(line)), result.stderr).toBe(true)
        // Nothing raw reaches the terminal, and no stack trace.
        expect(result.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/)
        expect(result.stderr).not.toMatch(/internal error|\n\s+at /)
        expect(await snapshotTree(path.join(site, '_site'))).toEqual(good)
      } finally {
        for (const [name, contents] of before) {
          if (contents === undefined) await fs.rm(path.join(site, name))
          else await fs.writeFile(path.join(site, name), contents)
        }
        await fs.rm(path.join(site, '.galley-lock-_site'), {force: true})
      }
    })
  }

  it('broken files are warnings at their place, and the rest of each post is still shown', async () => {
    const posts: Record<string, string | Uint8Array> = {
      'site.yml': siteYml,
      'posts/2024-06-01-empty.md': '',
      'posts/2024-06-02-dashes.md': '---\n',
      'posts/2024-06-03-open.md': '---\ntitle: Open\n\nNo end to the front matter.\n',
      'posts/2024-06-04-latin.md': Buffer.concat([Buffer.from('---\ntitle: Latin\n---\n\nCaf'), Buffer.from([0xe9]), Buffer.from(' au lait.\n')]),
      'posts/2024-06-05-binary.md': '---\ntitle: Binary\n---\n\nbefore\u0000after \u001b[31mred\n',
      'posts/2024-06-06-comment.md': '---\ntitle: Comment\n---\n\nOne.\n\n<!-- not closed\n\nTwo **shown**.\n',
      'posts/2024-06-07-script.md': '---\ntitle: Script\n---\n\nOne.\n\n<script>\n\nTwo **shown**.\n',
      'posts/2024-06-08-style.md': '---\ntitle: Style\n---\n\nOne <style> inline.\n\nTwo **shown**.\n',
      'posts/2024-06-09-textarea.md': '---\ntitle: Textarea\n---\n\nOne.\n\n<textarea>\nTwo **shown**.\n',
      'posts/2024-06-10-title.md': '---\ntitle: Title\n---\n\nOne.\n\n  <title>\n\nTwo **shown**.\n',
      'posts/2024-06-11-code.md': '---\ntitle: Code\n---\n\n```html\n<script>\n```\n\nand `<!--` inline: both code, no warning.\n'
    }
    const dir = await makeSite(posts)
    const result = await runCli(['build', '--source', dir], {env})
    expect(result.code, result.stderr).toBe(0)
    const unclosed = (tag: string, close: string) => `${tag} is never closed (no ${close} after it), so it would hide the rest of the post; it is shown as text (close it, or write &lt; for a literal <) (unclosed-html)`
    const expected = [
      'posts/2024-06-01-empty.md:1:1: warning: this file is empty, so its page has no content (add front matter and text, or delete it) (empty-file)',
      "posts/2024-06-02-dashes.md:1:1: warning: the front matter opened here is never closed (no --- line after it), so the whole file is read as the post's text; add a --- line after the front matter (front-matter)",
      "posts/2024-06-03-open.md:1:1: warning: the front matter opened here is never closed (no --- line after it), so the whole file is read as the post's text; add a --- line after the front matter (front-matter)",
      'posts/2024-06-04-latin.md:5:4: warning: this file is not valid UTF-8: a byte sequence was read as U+FFFD (\uFFFD), first here (was it saved as Latin-1 or Windows-1252? re-save it as UTF-8) (encoding)',
      'posts/2024-06-05-binary.md:5:7: warning: this file holds 2 control characters (U+0000 here): is it a binary file, or text pasted with terminal codes? They reach the page as they are (control-character)',
      `posts/2024-06-06-comment.md:7:1: warning: ${unclosed('<!--', '-->')}`,
      `posts/2024-06-07-script.md:7:1: warning: ${unclosed('<script>', '</script>')}`,
      `posts/2024-06-08-style.md:5:5: warning: ${unclosed('<style>', '</style>')}`,
      `posts/2024-06-09-textarea.md:7:1: warning: ${unclosed('<textarea>', '</textarea>')}`,
      `posts/2024-06-10-title.md:7:3: warning: ${unclosed('<title>', '</title>')}`
    ]
    const lines = result.stderr.split('\n')
    for (const line of expected) expect(lines).toContain(line)
    expect(result.stderr).not.toContain('2024-06-11-code.md')
    for (const slug of ['comment', 'script', 'style', 'textarea', 'title']) {
      const day = String(['comment', 'script', 'style', 'textarea', 'title'].indexOf(slug) + 6).padStart(2, '0')
      const page = await fs.readFile(path.join(dir, '_site/2024/06', day, slug, 'index.html'), 'utf8')
      expect(page, slug).toContain('Two <strong>shown</strong>.')
    }
    const open = await fs.readFile(path.join(dir, '_site/2024/06/03/open/index.html'), 'utf8')
    expect(open).toContain('No end to the front matter.')
  })

  it('an output folder that is a symbolic link is written through to its target; the link stays', async () => {
    const dir = await makeSite({'site.yml': siteYml, 'posts/2024-05-01-fine.md': goodPost})
    const target = await fs.mkdtemp(path.join(os.tmpdir(), 'galley-target-'))
    await fs.symlink(target, path.join(dir, '_site'))
    for (const text of ['A post that builds.', 'A post that builds again.']) {
      await writeFiles(dir, {'posts/2024-05-01-fine.md': goodPost.replace('A post that builds.', text)})
      const result = await runCli(['build', '--source', dir], {env})
      expect(result.code, result.stderr).toBe(0)
      expect(lstatSync(path.join(dir, '_site')).isSymbolicLink()).toBe(true)
      expect(await fs.realpath(path.join(dir, '_site'))).toBe(await fs.realpath(target))
      expect(await fs.readFile(path.join(target, '2024/05/01/fine/index.html'), 'utf8')).toContain(text)
    }
  })
})
