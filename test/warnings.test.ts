import {existsSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {makeSite, read, runCli} from './helpers.js'

const URL = 'url: https://example.com\n'
const post = '---\ntitle: P\n---\n![](a.svg)\n\n![](b.svg)\n\n![x](missing.png)\n'
const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"></svg>\n'
/** A site whose one post has two images without alt text (image-alt) and one missing image (missing-asset). */
function site(siteYml: string) {
  return makeSite({'site.yml': siteYml, 'posts/2024-01-01-p.md': post, 'posts/a.svg': svg, 'posts/b.svg': svg})
}

function warningLines(stderr: string, rule: string): string[] {
  return stderr.split('\n').filter((line) => line.includes(': warning: ') && line.endsWith(`(${rule})`))
}

describe('warnings: in site.yml, through the CLI', () => {
  it('counts warnings per rule at the end of a build, with a hint how to silence one', async () => {
    const dir = await site(URL)
    const result = await runCli(['build', '--source', dir])
    expect(result.code).toBe(0)
    expect(warningLines(result.stderr, 'image-alt')).toHaveLength(2)
    expect(result.stderr).toContain('galley: warnings by rule: image-alt: 2, missing-asset: 1 (to silence one, add to site.yml: warnings: {image-alt: off}')
  })

  it('off removes a rule’s warnings, and the summary with them', async () => {
    const dir = await site(`${URL}warnings: {image-alt: off}\n`)
    const result = await runCli(['build', '--source', dir])
    expect(result.code).toBe(0)
    expect(warningLines(result.stderr, 'image-alt')).toEqual([])
    expect(warningLines(result.stderr, 'missing-asset')).toHaveLength(1)
    expect(result.stderr).toContain('warnings by rule: missing-asset: 1 ')
    expect(result.stdout).toContain(', 1 warning\n')
    const silent = await site(`${URL}warnings:\n  image-alt: off\n  missing-asset: false\n`)
    const none = await runCli(['build', '--source', silent])
    expect(none.stderr).toBe('')
  })

  it('error makes a rule’s warnings errors: the build fails and writes nothing', async () => {
    const dir = await site(`${URL}warnings: {missing-asset: error, image-alt: warning}\n`)
    const result = await runCli(['build', '--source', dir])
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/^posts\/2024-01-01-p\.md:8:1: error: .*\(missing-asset\)$/m)
    expect(warningLines(result.stderr, 'image-alt')).toHaveLength(2)
    expect(result.stderr).toContain('build failed with 1 error and 2 warnings')
    expect(existsSync(path.join(dir, '_site'))).toBe(false)
  })

  it('a level that is not off, warning or error is a warning at the warnings: line, and ignored', async () => {
    const dir = await site(`${URL}warnings:\n  image-alt: quiet\n`)
    const result = await runCli(['build', '--source', dir])
    expect(result.code).toBe(0)
    expect(result.stderr).toContain('site.yml:2:1: warning: warnings: image-alt: "quiet" must be off, warning or error; it is ignored (config)')
    expect(warningLines(result.stderr, 'image-alt')).toHaveLength(2)
  })
})

describe('a site without url', () => {
  it('gets one warning on the url: line naming what it leaves out, and the build writes no sitemap.xml', async () => {
    const dir = await makeSite({'site.yml': "title: T\nurl: ''\n", 'posts/2024-01-01-p.md': '---\ntitle: P\n---\nHi\n'})
    const result = await runCli(['build', '--source', dir])
    expect(result.code).toBe(0)
    const lines = result.stderr.split('\n').filter((line) => line.includes('(site-url)'))
    expect(lines).toEqual(['site.yml:2:1: warning: no url set: sitemap.xml, canonical links and og:image tags are left out and feed ids are relative; set url: https://your.domain (the address the site is served from) (site-url)'])
    expect(existsSync(path.join(dir, '_site', 'sitemap.xml'))).toBe(false)
    expect(await read(dir, '_site/robots.txt')).not.toContain('Sitemap')
  })

  it('gets it on line 1 when url: is absent, and warnings: {site-url: off} silences it', async () => {
    const dir = await makeSite({'posts/2024-01-01-p.md': '---\ntitle: P\n---\nHi\n'})
    const result = await runCli(['build', '--source', dir])
    expect(result.stderr).toMatch(/^site\.yml:1:1: warning: no url set in site\.yml: sitemap\.xml/m)
    const off = await makeSite({'site.yml': 'warnings: {site-url: off}\n', 'posts/2024-01-01-p.md': '---\ntitle: P\n---\nHi\n'})
    expect((await runCli(['build', '--source', off])).stderr).toBe('')
  })

  it('gets no second warning when url is set but invalid, and none when it is valid', async () => {
    const invalid = await makeSite({'site.yml': 'url: not a url\n'})
    const result = await runCli(['build', '--source', invalid])
    expect(result.stderr.split('\n').filter((line) => line.includes(': warning: '))).toHaveLength(1)
    expect(result.stderr).toContain('url must be an absolute')
    const valid = await makeSite({'site.yml': URL})
    expect((await runCli(['build', '--source', valid])).stderr).toBe('')
    expect(existsSync(path.join(valid, '_site', 'sitemap.xml'))).toBe(true)
  })
})
