import {spawnSync} from 'node:child_process'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {ZonedDate} from '../../src/content/zoned-date.js'
import {renderRobots, renderSitemap, type SitemapEntry} from '../../src/site/sitemap.js'

// xmllint is required, not optional: scripts/test-setup.sh installs it (libxml2-utils).
const work = mkdtempSync(path.join(tmpdir(), 'galley-sitemap-'))
afterAll(() => rmSync(work, {recursive: true, force: true}))

let fileCount = 0
function xmllint(xml: string, args: string[]): {code: number; stdout: string; stderr: string} {
  const file = path.join(work, `sitemap-${++fileCount}.xml`)
  writeFileSync(file, xml)
  const result = spawnSync('xmllint', [...args, file], {encoding: 'utf8'})
  if (result.error) throw new Error(`cannot run xmllint (run scripts/test-setup.sh): ${result.error.message}`)
  return {code: result.status ?? -1, stdout: result.stdout.replace(/\n$/, ''), stderr: result.stderr}
}

const xpath = (xml: string, expression: string): string => xmllint(xml, ['--xpath', `string(${expression})`]).stdout
const el = (name: string): string => `*[local-name()='${name}' and namespace-uri()='http://www.sitemaps.org/schemas/sitemap/0.9']`

const tokyo = ZonedDate.fromWallClock({year: 2024, month: 5, day: 12, hour: 0, minute: 0, second: 0}, 9 * 60)
const later = ZonedDate.fromWallClock({year: 2024, month: 5, day: 20, hour: 8, minute: 30, second: 0}, -7 * 60)
const utc = ZonedDate.fromWallClock({year: 2024, month: 4, day: 1, hour: 10, minute: 0, second: 0}, 0)

const entries: SitemapEntry[] = [
  {loc: 'https://example.com/blog/', lastmod: tokyo},
  {loc: 'https://example.com/blog/2024/05/12/tips/', lastmod: tokyo},
  {loc: 'https://example.com/blog/2024/04/01/older/', lastmod: utc},
  {loc: 'https://example.com/blog/about/'},
  {loc: 'https://example.com/blog/2024/05/12/tips/', lastmod: later},
  {loc: 'https://example.com/blog/search/?q=a&b=<c>'},
  {loc: 'https://example.com/blog/'}
]

describe('renderSitemap', () => {
  const xml = renderSitemap(entries)

  it('is well-formed XML in the sitemaps.org 0.9 namespace', () => {
    const result = xmllint(xml, ['--noout'])
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">')).toBe(true)
    expect(xpath(xml, `count(/${el('urlset')}/${el('url')}[count(${el('loc')}) = 1])`)).toBe('5')
  })

  it('lists every loc once, in the order first given', () => {
    const locs = Array.from({length: 5}, (_, index) => xpath(xml, `/${el('urlset')}/${el('url')}[${index + 1}]/${el('loc')}`))
    expect(locs).toEqual([
      'https://example.com/blog/',
      'https://example.com/blog/2024/05/12/tips/',
      'https://example.com/blog/2024/04/01/older/',
      'https://example.com/blog/about/',
      'https://example.com/blog/search/?q=a&b=%3Cc%3E'
    ])
    expect(new Set(locs).size).toBe(locs.length)
  })

  it('prints lastmod as a W3C datetime with the offset, keeping the latest of duplicates', () => {
    const lastmod = (n: number): string => xpath(xml, `/${el('urlset')}/${el('url')}[${n}]/${el('lastmod')}`)
    expect(lastmod(1)).toBe('2024-05-12T00:00:00+09:00')
    expect(lastmod(2)).toBe('2024-05-20T08:30:00-07:00')
    expect(lastmod(3)).toBe('2024-04-01T10:00:00+00:00')
    expect(Date.parse(lastmod(2))).toBe(later.getTime())
    expect(xpath(xml, `count(/${el('urlset')}/${el('url')}[4]/${el('lastmod')})`)).toBe('0')
  })

  it('escapes what XML requires in a loc', () => {
    expect(xml).toContain('<loc>https://example.com/blog/search/?q=a&amp;b=%3Cc%3E</loc>')
  })

  it('writes an empty urlset for no pages', () => {
    const empty = renderSitemap([])
    expect(xmllint(empty, ['--noout']).code).toBe(0)
    expect(xpath(empty, `count(/${el('urlset')}/*)`)).toBe('0')
  })
})

describe('renderRobots', () => {
  it('allows everything and names the sitemap', () => {
    expect(renderRobots('https://example.com/blog/sitemap.xml')).toBe('User-agent: *\nAllow: /\n\nSitemap: https://example.com/blog/sitemap.xml\n')
  })
})
