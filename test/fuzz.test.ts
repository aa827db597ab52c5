import {promises as fs} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import fc from 'fast-check'
import {fromHtml} from 'hast-util-from-html'
import {selectAll} from 'hast-util-select'
import {toString} from 'hast-util-to-string'
import type {Element, Root} from 'hast'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {loadConfig, type SiteConfig} from '../src/config.js'
import {createBuildCache} from '../src/site/build-cache.js'
import {renderInMemory} from '../src/site/memory-sink.js'
import {formatMessages} from '../src/report.js'

/**
 * Random posts — markdown, HTML fragments (closed and not), Liquid, front
 * matter and hostile Unicode (NUL, RTL, combining marks, emoji, lone
 * surrogates) — rendered in-process through the whole site render (front
 * matter, Liquid, markdown, layouts). Every case: no crash; an error is a
 * positioned message; otherwise the post's page parses, its article holds
 * every marker word of the input, it has no script element or event handler
 * the input did not have, and a second render is byte-identical.
 *
 * `npm run fuzz` runs more cases: GALLEY_FUZZ_RUNS sets the count (CI: 500).
 */
const RUNS = Number(process.env.GALLEY_FUZZ_RUNS ?? 500)

/** Noise that must never crash anything nor hide a marker next to it. */
const noise = fc.constantFrom('\u0000', '\u202E', '\u200F', '\u0301\u0302', '🧪', '👩‍👩‍👧', '\uD800', '\uDC00x', 'ﷺ', '\u001b[31m', '\t', '  ', '\\', '&amp;', '&#0;', '<', '>', '"', "'", '*', '_', '`', '|', '[', ']', '{', '}', '%', ':')

interface Piece {
  readonly text: string
  /** Markers that must appear in the article's text. */
  readonly markers: readonly string[]
  /** Script elements and event-handler attributes this piece adds (kept as written: they are the author's). */
  readonly scripts: number
  readonly handlers: number
}

let counter = 0
const marker = () => `zq${String(counter++).padStart(5, '0')}zq`

/** A piece of a post around a fresh marker word. */
const piece: fc.Arbitrary<Piece> = fc
  .tuple(
    fc.constantFrom(
      'para',
      'heading',
      'list',
      'quote',
      'fence',
      'inline-code',
      'emphasis',
      'link',
      'div',
      'span',
      'unclosed-comment',
      'unclosed-script',
      'unclosed-style',
      'unclosed-textarea',
      'unclosed-title',
      'liquid-output',
      'liquid-if',
      'table',
      'script',
      'handler',
      'entity',
      'rtl'
    ),
    fc.array(noise, {maxLength: 3})
  )
  .map(([kind, extra]) => {
    const m = marker()
    const n = extra.join('')
    const plain = (text: string): Piece => ({text, markers: [m], scripts: 0, handlers: 0})
    switch (kind) {
      case 'para':
        return plain(`${n} ${m} ${n}`)
      case 'heading':
        return plain(`## ${m} ${n}`)
      case 'list':
        return plain(`- ${m}\n- ${n}x`)
      case 'quote':
        return plain(`> ${m} ${n}`)
      case 'fence':
        return plain(`\`\`\`js\nconst a = "${m}" // ${n}\n\`\`\``)
      case 'inline-code':
        return plain(`\`${m}\``)
      case 'emphasis':
        return plain(`*${m}* and **${n}x**`)
      case 'link':
        // No `]` from the noise in the link text: `[m ]:](…)` is a link definition, which CommonMark rightly shows as nothing.
        return plain(`[${m} ${n.replaceAll(']', '')}](https://example.com/p?q=1)`)
      case 'div':
        return plain(`<div class="box">\n${m} ${n}\n</div>`)
      case 'span':
        return plain(`<span>${m}</span> ${n}`)
      case 'unclosed-comment':
        return plain(`<!-- ${n}\n\n${m}`)
      case 'unclosed-script':
        return plain(`<script>\n\n${m}`)
      case 'unclosed-style':
        return plain(`text <style> ${n}\n\n${m}`)
      case 'unclosed-textarea':
        return plain(`<textarea>\n${m}`)
      case 'unclosed-title':
        return plain(`<title>${n}\n\n${m}`)
      case 'liquid-output':
        return plain(`{{ "${m}" }}`)
      case 'liquid-if':
        return plain(`{% if true %}${m}{% endif %}`)
      case 'table':
        return plain(`| a | b |\n| - | - |\n| ${m} | ${n.replaceAll('|', '')}x |`)
      case 'script':
        return {text: `<script>var x = 1</script>\n\n${m}`, markers: [m], scripts: 1, handlers: 0}
      case 'handler':
        return {text: `<img src="x.png" alt="a" onerror="void 0"> ${m}`, markers: [m], scripts: 0, handlers: 1}
      case 'entity':
        return plain(`&lt;b&gt; ${m} &copy;`)
      default:
        return plain(`\u202B${m}\u202C \u0627\u0644\u0639\u0631\u0628\u064A\u0629`)
    }
  })

/** A title for front matter: a marker, noise, written as a YAML double-quoted scalar (JSON is one). */
const title = fc.array(noise, {maxLength: 4}).map((extra) => {
  const m = marker()
  return {yaml: JSON.stringify(`${m} ${extra.join('')}`), marker: m}
})

const post = fc.record({title, pieces: fc.array(piece, {minLength: 1, maxLength: 6}), tags: fc.array(fc.constantFrom('a', 'b c', 'ü', '🧪'), {maxLength: 2})})

const POST = 'posts/2023-04-05-fuzzed.md'

/** A site of its own for each mode: CommonMark/GFM (site.yml), and kramdown as Jekyll sites get it (`markdown: kramdown`). */
function fuzzSite(siteYml: string) {
  const state: {site: string; config?: SiteConfig} = {site: ''}
  beforeAll(async () => {
    state.site = await fs.mkdtemp(path.join(os.tmpdir(), 'galley-fuzz-'))
    await fs.mkdir(path.join(state.site, 'posts'))
    await fs.writeFile(path.join(state.site, 'site.yml'), siteYml)
    await fs.writeFile(path.join(state.site, POST), '---\ntitle: x\n---\n\nx\n')
    const loaded = loadConfig({source: state.site, now: Date.UTC(2025, 0, 1), workers: 1, cache: false})
    if (!loaded.config) throw new Error(formatMessages([loaded.file]).join('\n'))
    state.config = loaded.config
  })
  afterAll(async () => {
    await fs.rm(state.site, {recursive: true, force: true})
  })
  return async (text: string) => {
    await fs.writeFile(path.join(state.site, POST), text)
    return renderInMemory(state.config as SiteConfig, createBuildCache({keepTexts: false}))
  }
}

function attributesOn(node: Element): string[] {
  return Object.keys(node.properties).filter((name) => /^on/i.test(name))
}

describe.each([
  ['CommonMark/GFM', 'title: Fuzz\nurl: https://example.com\nauthor: Fuzz\n', RUNS],
  // kramdown's HTML rules regroup blocks and show tags as text: nothing may be hidden there either (fewer runs).
  ['kramdown', 'title: Fuzz\nurl: https://example.com\nauthor: Fuzz\nmarkdown: kramdown\n', Math.ceil(RUNS / 5)]
] as const)('random posts never crash, hide content or add script (%s)', (_mode, siteYml, runs) => {
  const render = fuzzSite(siteYml)
  it(`${runs} random posts`, {timeout: 900_000}, async () => {
    let built = 0
    await fc.assert(
      fc.asyncProperty(post, async ({title, pieces, tags}) => {
        const text = `---\ntitle: ${title.yaml}\ntags: ${JSON.stringify(tags)}\n---\n\n${pieces.map((p) => p.text).join('\n\n')}\n`
        const first = await render(text)
        const problems = formatMessages(first.files, {warnings: false})
        // Every error is a positioned message; none may be a crash dressed as one.
        for (const line of problems) expect(line).toMatch(/^[^:]+:\d+:\d+: error: .+ \(\w[\w-]*\)$/)
        expect(problems.filter((line) => /internal|TypeError|RangeError|Cannot read/.test(line))).toEqual([])
        if (!first.ok) return
        built++
        const page = first.outputs.get('2023/04/05/fuzzed/index.html')
        expect(typeof page).toBe('string')
        const tree: Root = fromHtml(String(page))
        const [article] = selectAll('article', tree)
        expect(article).toBeDefined()
        const words = toString(article!)
        for (const m of [title.marker, ...pieces.flatMap((p) => p.markers)]) expect(words, m).toContain(m)
        const scripts = pieces.reduce((sum, p) => sum + p.scripts, 0)
        const handlers = pieces.reduce((sum, p) => sum + p.handlers, 0)
        expect(selectAll('script', article!).length).toBeLessThanOrEqual(scripts)
        expect(selectAll('*', article!).flatMap(attributesOn).length).toBeLessThanOrEqual(handlers)
        // Outside the article: only the theme's JSON-LD, and it parses (data never breaks out of it).
        for (const script of selectAll('script', tree).filter((node) => !selectAll('script', article!).includes(node))) {
          expect(script.properties.type).toBe('application/ld+json')
          expect(() => JSON.parse(toString(script))).not.toThrow()
        }
        // Every other case renders again from nothing: the same bytes (half the cases keep CI time modest).
        if (built % 2 === 0) {
          const second = await render(text)
          expect(second.outputs).toEqual(first.outputs)
        }
      }),
      {numRuns: runs}
    )
    // Errors are allowed (a title noise can break the YAML), but most posts must build, or the checks above test nothing.
    expect(built).toBeGreaterThan(runs / 2)
  })
})
