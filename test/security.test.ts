import {spawnSync} from 'node:child_process'
import {promises as fs} from 'node:fs'
import path from 'node:path'
import type {Element, Root, RootContent} from 'hast'
import {fromHtml} from 'hast-util-from-html'
import {toString} from 'hast-util-to-string'
import {describe, expect, it} from 'vitest'
import {makeSite, read, runCli} from './helpers.js'

/** Strings that try to leave their context: text, attribute, `<script>`, `<title>`, URL. */
const payloads: readonly string[] = [
  '</script><script>alert(1)</script>',
  '</title><script>alert(2)</script>',
  '"><img src=x onerror=alert(3)>',
  "' onmouseover='alert(4)",
  '<svg onload=alert(5)>',
  'javascript:alert(6)',
  ' JaVa\tScRiPt:alert(7)',
  'data:text/html,<script>alert(8)</script>',
  'vbscript:msgbox(9)',
  'a\u2028b\u2029c<!--d-->&amp;'
]

/** A YAML double-quoted scalar for `text` (JSON, with the line separators escaped too). */
function yamlString(text: string): string {
  return JSON.stringify(text).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029')
}

/**
 * A site with `payload` in every front-matter and site.yml field; `url` is the
 * payload too unless `siteUrl` is given. Not `excerpt:`: like the body, it is
 * markdown the author writes, raw HTML and all.
 */
function siteFiles(payload: string, siteUrl?: string): Record<string, string> {
  const value = yamlString(payload)
  return {
    'site.yml': [
      `title: ${value}`,
      `description: ${value}`,
      `author: ${value}`,
      `url: ${siteUrl === undefined ? value : yamlString(siteUrl)}`,
      'nav:',
      `  - {title: ${value}, url: ${value}}`,
      `  - {title: ${value}, url: /plain/}`,
      ''
    ].join('\n'),
    'posts/2024-05-12-string-author.md': [
      '---',
      `title: ${value}`,
      `author: ${value}`,
      `description: ${value}`,
      `image: ${value}`,
      `image_caption: ${value}`,
      `tags: [${value}, plain]`,
      `categories: [${value}]`,
      '---',
      'Body text.',
      ''
    ].join('\n'),
    'posts/2024-05-13-mapping-author.md': ['---', `title: ${value}`, 'author:', `  name: ${value}`, `  bio: ${value}`, `  avatar: ${value}`, `  url: ${value}`, '  links:', `    - {title: ${value}, url: ${value}}`, `image: ${value}`, '---', 'More text.', ''].join('\n'),
    'about.md': ['---', `title: ${value}`, `description: ${value}`, 'nav: true', '---', 'About.', ''].join('\n')
  }
}

async function outputFiles(dir: string): Promise<string[]> {
  const entries = await fs.readdir(path.join(dir, '_site'), {recursive: true, withFileTypes: true})
  return entries.filter((entry) => entry.isFile()).map((entry) => path.relative(path.join(dir, '_site'), path.join(entry.parentPath, entry.name)))
}

function* elements(node: Root | RootContent): Generator<Element> {
  if (node.type === 'element') yield node
  if ('children' in node) for (const child of node.children) yield* elements(child)
  if (node.type === 'element' && node.tagName === 'template' && node.content) yield* elements(node.content)
}

const urlProperties = ['href', 'src', 'content', 'action', 'formAction', 'poster', 'srcSet', 'xlinkHref', 'data']

/** A `<meta>` whose `content` is a URL (`og:url`, `og:image`, `twitter:image`, a refresh), not text. */
function isUrlMeta(element: Element): boolean {
  const kind = String(element.properties.property ?? element.properties.name ?? element.properties.httpEquiv ?? '')
  return /url|image|refresh/i.test(kind)
}

/** Whether a URL would run script or load a document of its own when followed (browsers ignore blanks and controls in a scheme). */
function isScriptUrl(value: string): boolean {
  // eslint-disable-next-line no-control-regex
  return /^(?:javascript|vbscript|data):/i.test(value.replace(/[\u0000-\u0020\u007f]/g, ''))
}

/** The search page's own scripts: Pagefind's UI and the theme's starter, by fixed URL, with no inline code. */
function isThemeScript(element: Element): boolean {
  return ['/pagefind/pagefind-ui.js', '/assets/js/search.js'].includes(String(element.properties.src)) && toString(element) === ''
}

/** The header's search box: a GET form to the site's own /search/ page. */
function isThemeSearchForm(element: Element): boolean {
  return element.tagName === 'form' && element.properties.action === '/search/' && element.properties.method === 'get' && String(element.properties.className) === 'site-search'
}

/** Every way `html` could run script: a list of findings, empty when it cannot. */
function scriptFindings(file: string, html: string): string[] {
  const findings: string[] = []
  let jsonLd = 0
  for (const element of elements(fromHtml(html))) {
    if (element.tagName === 'script') {
      if (isThemeScript(element)) continue
      if (element.properties.type !== 'application/ld+json') findings.push(`${file}: a <script> element: ${toString(element).slice(0, 80)}`)
      else {
        jsonLd++
        try {
          JSON.parse(toString(element))
        } catch (error) {
          findings.push(`${file}: the JSON-LD block is not JSON (${String(error)}): ${toString(element).slice(0, 200)}`)
        }
      }
    }
    if (['iframe', 'object', 'embed', 'svg', 'math', 'base', 'form'].includes(element.tagName) && !isThemeSearchForm(element)) findings.push(`${file}: a <${element.tagName}> element`)
    for (const [name, value] of Object.entries(element.properties)) {
      if (/^on/i.test(name)) findings.push(`${file}: an event-handler attribute ${name} on <${element.tagName}>`)
      if (urlProperties.includes(name) && (name !== 'content' || isUrlMeta(element))) {
        for (const part of Array.isArray(value) ? value : [value]) {
          if (typeof part === 'string' && isScriptUrl(part)) findings.push(`${file}: a script URL in ${name} of <${element.tagName}>: ${part}`)
        }
      }
    }
  }
  if (jsonLd > 1) findings.push(`${file}: ${jsonLd} JSON-LD blocks`)
  return findings
}

/** Problems with a feed or sitemap: it must still parse (JSON, well-formed XML), and no link in it may be a script URL. */
function dataFindings(file: string, text: string): string[] {
  const findings: string[] = []
  if (file.endsWith('.json')) {
    const links: string[] = []
    try {
      JSON.stringify(JSON.parse(text), (key, value: unknown) => {
        if (['url', 'external_url', 'image', 'banner_image', 'home_page_url', 'feed_url', 'icon', 'favicon'].includes(key) && typeof value === 'string') links.push(value)
        return value
      })
    } catch (error) {
      findings.push(`${file}: not JSON (${String(error)})`)
    }
    for (const link of links) if (isScriptUrl(link)) findings.push(`${file}: a script URL ${link}`)
    return findings
  }
  if (/<script/i.test(text)) findings.push(`${file}: an unescaped <script`)
  if (file.endsWith('.xml')) {
    const lint = spawnSync('xmllint', ['--noout', '-'], {input: text, encoding: 'utf8'})
    if (lint.error) throw new Error(`cannot run xmllint (run scripts/test-setup.sh): ${lint.error.message}`)
    if (lint.status !== 0) findings.push(`${file}: not well-formed XML: ${lint.stderr.split('\n')[0]}`)
  }
  for (const match of text.matchAll(/(?:href|src|url)="([^"]*)"|<(?:loc|id|uri|icon|logo)>([^<]*)</g)) {
    const link = (match[1] ?? match[2] ?? '').replace(/&amp;/g, '&')
    if (isScriptUrl(link)) findings.push(`${file}: a script URL ${link}`)
  }
  return findings
}

describe('no script from data', () => {
  const variants: ReadonlyArray<[string, string | undefined]> = [
    ['with a valid site url', 'https://example.com'],
    ['with the payload as site url', undefined]
  ]
  for (const payload of payloads) {
    for (const [name, siteUrl] of variants) {
      it(`${JSON.stringify(payload)} in every field, ${name}`, async () => {
        const dir = await makeSite(siteFiles(payload, siteUrl))
        const result = await runCli(['build', '--source', dir])
        expect(result.stderr).not.toMatch(/internal error/)
        expect(result.code, result.stderr).toBe(0)
        const files = await outputFiles(dir)
        expect(files).toContain('2024/05/12/string-author/index.html')
        const findings: string[] = []
        for (const file of files) {
          const text = await read(dir, path.join('_site', file))
          if (file.endsWith('.html')) findings.push(...scriptFindings(file, text))
          else if (/\.(?:xml|json|txt)$/.test(file)) findings.push(...dataFindings(file, text))
        }
        expect(findings).toEqual([])
        // The post pages carry their JSON-LD, with the author's name intact.
        const post = await read(dir, '_site/2024/05/13/mapping-author/index.html')
        const block = [...elements(fromHtml(post))].find((element) => element.properties.type === 'application/ld+json')
        expect(block).toBeDefined()
        const data = JSON.parse(toString(block!)) as {author?: {name?: string}}
        expect(data.author?.name).toBe(payload)
      })
    }
  }
})

describe('URL-valued fields', () => {
  it('drops an image with a script scheme, with a warning at its key', async () => {
    const dir = await makeSite({
      'site.yml': 'title: T\nurl: https://example.com\n',
      'posts/2024-05-12-a.md': '---\ntitle: A\n\nimage: javascript:alert(1)\n---\nText.\n',
      'posts/2024-05-13-b.md': '---\ntitle: B\nimage: "data:image/svg+xml,<svg onload=alert(1)>"\n---\nText.\n',
      'posts/2024-05-14-c.md': '---\ntitle: C\nimage: https://cdn.example.com/x.png\n---\nText.\n'
    })
    const result = await runCli(['build', '--source', dir])
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr).toMatch(/^posts\/2024-05-12-a\.md:4:1: warning: `image` must be an http\(s\), relative or root-relative URL; `javascript:alert\(1\)` is ignored \(unsafe-url\)$/m)
    expect(result.stderr).toMatch(/^posts\/2024-05-13-b\.md:3:1: warning: `image` must be .* \(unsafe-url\)$/m)
    const a = await read(dir, '_site/2024/05/12/a/index.html')
    expect(a).not.toMatch(/javascript:/)
    expect(a).not.toMatch(/class="hero"/)
    // The dropped image leaves the post to its generated sharing card.
    expect([...a.matchAll(/property="og:image" content="([^"]+)"/g)].map((match) => match[1])).toEqual(['https://example.com/assets/social/2024/05/12/a.png'])
    const c = await read(dir, '_site/2024/05/14/c/index.html')
    expect(c).toContain('<meta property="og:image" content="https://cdn.example.com/x.png">')
  })

  it('treats `url: not a url` as unset, with a warning at its line', async () => {
    const dir = await makeSite({
      'site.yml': 'title: T\n\nurl: not a url\n',
      'posts/2024-05-12-a.md': '---\ntitle: A\n---\nText.\n'
    })
    const result = await runCli(['build', '--source', dir])
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr).toMatch(/^site\.yml:3:1: warning: url must be an absolute http\(s\) URL such as https:\/\/example\.com; "not a url" is ignored \(config\)$/m)
    const page = await read(dir, '_site/2024/05/12/a/index.html')
    expect(page).not.toContain('not a url')
    expect(page).not.toMatch(/rel="canonical"|og:url/)
  })
})
