#!/usr/bin/env node
// Compares, post by post, what Jekyll and Galley rendered for one site:
// the visible text, the headings and the links (not the markup).
//
//   node scripts/compare-with-jekyll.mjs NAME JEKYLL_OUT GALLEY_OUT [--all]
//
// Both outputs were built with the same stub layout (compare-with-jekyll.sh
// writes it), which wraps each post's body in
// <article id="galley-compare" data-source="{{ page.path }}">, so posts are
// matched by their source file, whatever their URL. Before comparing, both
// sides are normalised:
// - whitespace collapsed; typographic quotes, dashes and ellipses written
//   as the ASCII kramdown's SmartyPants reads them from (“ ” → ", – → --);
// - scripts, styles, iframes and embed markup dropped on both sides, and
//   Galley's static embed cards (which replace an embed on purpose) too;
// - math: KaTeX's rendering (Galley's, or an author's pasted into raw HTML) replaced by its TeX source, and the delimiters
//   kramdown/MathJax leave in the text (\( \) \[ \] $$) removed;
// - Galley's heading self-links left out of the links, and Rouge's
//   line-number gutter left out of Jekyll's text (Galley numbers lines in CSS);
// - with --baseurl=/b (the site's baseurl): Jekyll's links that start with
//   the baseurl twice (/b/b/…, or /b /b/… when a space was written between)
//   read with it once. Jekyll 3 (GitHub Pages) gave `{% post_url %}` and
//   `{% link %}` without the baseurl, so these blogs write
//   `{{ site.baseurl }}{% post_url x %}`; Jekyll 4 adds the baseurl in the
//   tag too, a link that leads nowhere. Galley keeps such links working on
//   purpose (README, "Layouts");
// - a doubled slash right after the host (`{{ site.url }}{{ site.baseurl }}/x`
//   with `url: https://h/`) read as one: Galley's `site.url` drops the
//   trailing slash, so the same template gives `https://h/x`.
// Prints per site the number of posts that differ, and the first difference
// of each (text, headings or links). Exit status 0 whatever the count: this
// is a report, not a test.
import {readdirSync, readFileSync, statSync} from 'node:fs'
import path from 'node:path'
import {fromHtml} from 'hast-util-from-html'
import {select, selectAll} from 'hast-util-select'
import {toString} from 'hast-util-to-string'
import {visit, SKIP} from 'unist-util-visit'

const [name, jekyllOut, galleyOut, ...flags] = process.argv.slice(2)
if (!name || !jekyllOut || !galleyOut) {
  console.error('usage: compare-with-jekyll.mjs NAME JEKYLL_OUT GALLEY_OUT [--all]')
  process.exit(2)
}
const showAll = flags.includes('--all')
const baseurl = (flags.find((flag) => flag.startsWith('--baseurl='))?.slice('--baseurl='.length) ?? '').replace(/\/+$/, '')
const escaped = baseurl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
const doubledBase = baseurl === '' ? undefined : new RegExp(`^${escaped}(\\s*)${escaped}(?=/|$)`)

/** Every HTML file under `dir`. */
function htmlFiles(dir) {
  const found = []
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry)
    if (statSync(full).isDirectory()) found.push(...htmlFiles(full))
    else if (entry.endsWith('.html')) found.push(full)
  }
  return found
}

/** source path → the <article id="galley-compare"> of the page that shows it. */
function articles(dir) {
  const bySource = new Map()
  for (const file of htmlFiles(dir)) {
    const html = readFileSync(file, 'utf8')
    if (!html.includes('galley-compare')) continue
    const tree = fromHtml(html)
    const article = select('article#galley-compare', tree)
    const source = article?.properties?.dataSource
    if (typeof source === 'string' && source.startsWith('_posts/')) bySource.set(source, article)
  }
  return bySource
}

const dropped = new Set(['script', 'style', 'iframe', 'noscript', 'template', 'video', 'audio', 'object', 'embed'])
const embedClass = /^(embed-card|embed-tweet|embed-video|embed-gist|twitter-tweet|substack-post-embed|instagram-media|gist)/

function classes(node) {
  const value = node.properties?.className
  return Array.isArray(value) ? value.map(String) : []
}

/** The tree without what is not compared (see the top of this file). */
function normaliseTree(article, side) {
  const tree = structuredClone(article)
  visit(tree, 'element', (node, index, parent) => {
    if (!parent || index === undefined) return undefined
    const names = classes(node)
    // Rouge's line-number gutter is text in Jekyll's table; Galley draws the numbers with CSS.
    const gutter = side === 'jekyll' && (names.includes('gutter') || names.includes('lineno') || names.includes('rouge-gutter'))
    if (gutter || dropped.has(node.tagName) || names.some((name) => embedClass.test(name))) {
      parent.children.splice(index, 1)
      return [SKIP, index]
    }
    // On both sides: an author may paste KaTeX's markup into raw HTML, which Jekyll passes through.
    if (names.includes('katex')) {
      const tex = select('annotation[encoding="application/x-tex"]', node)
      parent.children.splice(index, 1, {type: 'text', value: tex ? ` ${toString(tex)} ` : ''})
      return [SKIP, index + 1]
    }
    if (side === 'galley' && names.includes('heading-anchor')) {
      parent.children.splice(index, 1)
      return [SKIP, index]
    }
    return undefined
  })
  return tree
}

function normaliseText(text) {
  return text
    .replace(/[“”„″]/g, '"')
    .replace(/[‘’‚′]/g, "'")
    .replace(/—/g, '---')
    .replace(/–/g, '--')
    .replace(/…/g, '...')
    .replace(/«/g, '<<')
    .replace(/»/g, '>>')
    .replace(/\\\(|\\\)|\\\[|\\\]|\$\$/g, ' ')
    .replace(/\u00a0/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
}

/** Block boundaries as spaces, so "a</p><p>b" reads as two words on both sides. */
function visibleText(tree) {
  const parts = []
  visit(tree, (node) => {
    if (node.type === 'text') parts.push(node.value)
    else if (node.type === 'element' && /^(p|div|li|h[1-6]|br|tr|td|th|pre|blockquote|figure|figcaption|dt|dd|section|table|ul|ol|hr)$/.test(node.tagName)) parts.push(' ')
    else if (node.type === 'element' && node.tagName === 'img' && typeof node.properties?.alt === 'string') parts.push(' ')
  })
  return normaliseText(parts.join(''))
}

function headings(tree) {
  return selectAll('h1, h2, h3, h4, h5, h6', tree).map((node) => `${node.tagName}: ${normaliseText(toString(node))}`)
}

function links(tree, side) {
  return selectAll('a[href]', tree)
    .map((node) => String(node.properties.href))
    .map((href) => (side === 'jekyll' && doubledBase ? href.replace(doubledBase, `${baseurl}$1`) : href))
    // `{{ site.url }}{{ site.baseurl }}/x` with `url: https://h/` gives `https://h//x` in Jekyll; Galley's site.url has no trailing slash.
    .map((href) => href.replace(/^(https?:\/\/[^/]+)\/{2,}/, '$1/'))
    .map((href) => {
      try {
        return decodeURI(href)
      } catch {
        return href
      }
    })
}

function firstTextDifference(a, b) {
  let i = 0
  while (i < a.length && i < b.length && a[i] === b[i]) i++
  const from = Math.max(0, i - 40)
  return `text at character ${i}: Jekyll "…${a.slice(from, i + 60)}…" | Galley "…${b.slice(from, i + 60)}…"`
}

function firstListDifference(kind, a, b) {
  let i = 0
  while (i < a.length && i < b.length && a[i] === b[i]) i++
  return `${kind} #${i + 1}: Jekyll ${JSON.stringify(a[i] ?? '(none)')} | Galley ${JSON.stringify(b[i] ?? '(none)')} (${a.length} vs ${b.length})`
}

const jekyll = articles(jekyllOut)
const galley = articles(galleyOut)
const sources = [...new Set([...jekyll.keys(), ...galley.keys()])].sort()
const differing = []
const counts = {text: 0, headings: 0, links: 0, onlyJekyll: 0, onlyGalley: 0}
for (const source of sources) {
  const j = jekyll.get(source)
  const g = galley.get(source)
  if (!j || !g) {
    counts[j ? 'onlyJekyll' : 'onlyGalley']++
    differing.push(`${source}: only ${j ? 'Jekyll' : 'Galley'} wrote this post`)
    continue
  }
  const jt = normaliseTree(j, 'jekyll')
  const gt = normaliseTree(g, 'galley')
  const reasons = []
  const [jText, gText] = [visibleText(jt), visibleText(gt)]
  if (jText !== gText) {
    counts.text++
    reasons.push(firstTextDifference(jText, gText))
  }
  const [jHeadings, gHeadings] = [headings(jt), headings(gt)]
  if (jHeadings.join('\n') !== gHeadings.join('\n')) {
    counts.headings++
    reasons.push(firstListDifference('heading', jHeadings, gHeadings))
  }
  const [jLinks, gLinks] = [links(jt, 'jekyll'), links(gt, 'galley')]
  if (jLinks.join('\n') !== gLinks.join('\n')) {
    counts.links++
    reasons.push(firstListDifference('link', jLinks, gLinks))
  }
  if (reasons.length > 0) differing.push(`${source}: ${showAll ? reasons.join('\n    ') : reasons[0]}`)
}
const both = sources.length - counts.onlyJekyll - counts.onlyGalley
console.log(
  `${name}: ${sources.length} posts, ${differing.length} differ (${both} compared; text ${counts.text}, headings ${counts.headings}, links ${counts.links}; only in Jekyll ${counts.onlyJekyll}, only in Galley ${counts.onlyGalley})`
)
for (const line of differing) console.log(`  ${line}`)
