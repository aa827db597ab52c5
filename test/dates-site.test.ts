// The date rule on whole builds: a Galley site (site.yml) keeps the offset the
// author wrote, even with timezone: set; a Jekyll site (_config.yml) converts
// it to timezone:, as Jekyll does (jekyll/jekyll features/site_configuration.feature,
// "explicitly set timezone (different than posts' time)").
import {existsSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {buildSite} from '../src/build.js'
import {makeSite, read} from './helpers.js'

const NOW = Date.parse('2025-01-01T00:00:00Z')
const layout = '<p class="when">{{ page.date | date_to_xmlschema }}</p>{{ content }}\n'
const post = '---\nlayout: post\ntitle: Late night\ndate: 2024-05-12 00:30:00 +0900\n---\nWritten just after midnight in Tokyo.\n'

async function build(files: Record<string, string>): Promise<string> {
  const dir = await makeSite(files)
  const result = await buildSite({source: dir, now: NOW, cache: false, workers: 1})
  expect(result.ok, JSON.stringify(result.files.flatMap((file) => file.messages.map(String)))).toBe(true)
  return dir
}

describe('the written offset against timezone:', () => {
  it('a Galley site keeps the author’s offset: dated the 12th, shown at +09:00', async () => {
    const dir = await build({'site.yml': 'url: https://example.com\ntimezone: America/New_York\n', 'layouts/post.html': layout, 'posts/2024-05-12-late-night.md': post})
    expect(await read(dir, '_site/2024/05/12/late-night/index.html')).toContain('<p class="when">2024-05-12T00:30:00+09:00</p>')
    expect(existsSync(path.join(dir, '_site/2024/05/11'))).toBe(false)
  })

  it('a Jekyll site converts it to timezone:, as Jekyll does: dated the 11th, shown at -04:00', async () => {
    const dir = await build({'_config.yml': 'url: https://example.com\ntimezone: America/New_York\n', '_layouts/post.html': layout, '_posts/2024-05-12-late-night.md': post})
    expect(await read(dir, '_site/2024/05/11/late-night/index.html')).toContain('<p class="when">2024-05-11T11:30:00-04:00</p>')
    expect(existsSync(path.join(dir, '_site/2024/05/12'))).toBe(false)
  })

  it('both read a date without an offset in timezone:', async () => {
    const undated = post.replace(' +0900', '')
    for (const [config, layouts, posts] of [['site.yml', 'layouts', 'posts'], ['_config.yml', '_layouts', '_posts']] as const) {
      const dir = await build({[config]: 'url: https://example.com\ntimezone: America/New_York\n', [`${layouts}/post.html`]: layout, [`${posts}/2024-05-12-late-night.md`]: undated})
      expect(await read(dir, '_site/2024/05/12/late-night/index.html')).toContain('<p class="when">2024-05-12T00:30:00-04:00</p>')
    }
  })
})
