import {readFileSync} from 'node:fs'
import path from 'node:path'
import {fromHtml} from 'hast-util-from-html'
import {select, selectAll} from 'hast-util-select'
import {toString} from 'hast-util-to-string'
import {describe, expect, it} from 'vitest'
import {copyFixture, fixtures, hasSeed, makeSite, read, runCli, seedPath} from './helpers.js'

const NAME = '2024-05-12-how-good-are-the-latest-open-llms.md'
const PAGE = '_site/2024/05/12/how-good-are-the-latest-open-llms/index.html'

/** The embeds a seed-shaped source holds, read with plain string work. */
function embedsOf(source: string): Array<{title: string; href: string; subtitle: string}> {
  return [...source.matchAll(/<div class="substack-post-embed"><p lang="en">(.*?) by [^<]*<\/p><p>(.*?)<\/p><a data-post-link href="([^"]+)">/g)].map((match) => ({
    title: (match[1] ?? '').replace(/&amp;/g, '&'),
    subtitle: match[2] ?? '',
    href: match[3] ?? ''
  }))
}

async function checkEmbeddedHtml(dir: string, source: string): Promise<void> {
  const result = await runCli(['build', '--source', dir])
  expect(result.code).toBe(0)
  const page = fromHtml(await read(dir, PAGE))
  const content = select('.post-content', page)!

  // 4 static cards matching the post's 4 Substack embeds, the last with its subtitle.
  const expected = embedsOf(source)
  expect(expected).toHaveLength(4)
  const cards = selectAll('.embed-card', content)
  expect(cards).toHaveLength(4)
  cards.forEach((card, index) => {
    const link = select('.embed-card-title a', card)!
    expect(toString(link)).toBe(expected[index]?.title)
    expect(link.properties.href).toBe(expected[index]?.href)
    const subtitle = select('.embed-card-subtitle', card)
    expect(subtitle ? toString(subtitle) : '').toBe(expected[index]?.subtitle)
  })
  expect(expected[3]?.subtitle).not.toBe('')

  // No executable script anywhere in the page (JSON-LD data is not executable).
  for (const script of selectAll('script', page)) expect(script.properties.type).toBe('application/ld+json')
  expect(selectAll('iframe', page)).toHaveLength(0)

  // 14 content images, each with width, height, alt and decoding.
  const images = selectAll('img', content)
  expect(images).toHaveLength(14)
  for (const image of images) {
    expect(Number(image.properties.width)).toBeGreaterThan(0)
    expect(Number(image.properties.height)).toBeGreaterThan(0)
    expect(typeof image.properties.alt).toBe('string')
    expect(image.properties.decoding).toBe('async')
  }
  expect(images[0]?.properties.loading).toBeUndefined()
  for (const image of images.slice(1)) expect(image.properties.loading).toBe('lazy')

  // Ids on all 19 section headings, unique, with self-links.
  const headings = selectAll('h2, h3, h4', content)
  expect(headings).toHaveLength(19)
  const ids = headings.map((heading) => String(heading.properties.id ?? ''))
  for (const id of ids) expect(id).not.toBe('')
  expect(new Set(ids).size).toBe(19)
  for (const heading of headings) expect(select(`a.heading-anchor[href="#${String(heading.properties.id)}"]`, heading)).toBeDefined()

  // The stray token stays text; the price stays text.
  expect(toString(content)).toContain('<RET>')
  expect(toString(content)).toContain('$100,000')
}

describe('embedded HTML rendered faithfully and script-free', () => {
  it('the seed mirror fixture', async () => {
    const dir = await copyFixture('sites/seed-mirror')
    await checkEmbeddedHtml(dir, readFileSync(path.join(dir, 'posts', NAME), 'utf8'))
  })

  it.runIf(hasSeed)('the real seed post (../shared)', async () => {
    const seed = readFileSync(seedPath, 'utf8')
    const dir = await makeSite({[`posts/${NAME}`]: seed, 'assets/ahead_of_ai.png': readFileSync(path.join(fixtures, 'sites/seed-mirror/assets/ahead_of_ai.png'))})
    await checkEmbeddedHtml(dir, seed)
  })
})
