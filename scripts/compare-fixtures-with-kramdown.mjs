#!/usr/bin/env node
// Compare Galley's kramdown-mode plugin fixtures with kramdown itself.
//
//   node scripts/compare-fixtures-with-kramdown.mjs [fixture folder …]
//
// For each test/fixtures/plugins/<plugin>/<case>/ (default: the kramdown,
// typography and heading-id plugins), renders input.md with Debian's kramdown
// and Jekyll's options (GFM input, auto ids, smart quotes, MathJax), then
// compares what a reader gets from it and from output.html: the visible text
// (whitespace collapsed, quotes and dashes folded), the headings with their
// ids, and the links with their targets. Needs ruby with the kramdown and
// kramdown-parser-gfm gems (Debian: ruby-kramdown, ruby-kramdown-parser-gfm,
// which the jekyll package pulls in). Not part of npm test. Exit code 1 when
// any case differs.
import {execFileSync} from 'node:child_process'
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {fromHtml} from 'hast-util-from-html'
import {toString} from 'hast-util-to-string'

const root = path.join(path.dirname(new URL(import.meta.url).pathname), '..')
const base = path.join(root, 'test/fixtures/plugins')
const folders = process.argv.slice(2).length > 0 ? process.argv.slice(2) : readdirSync(base).filter((name) => /kramdown-(footnotes|definition|abbreviations|header|escapes|links|ordered-lists|code-spans|emphasis|tables|html-blocks|tags-as-text)|typography|heading-ids/.test(name)).map((name) => path.join(base, name))

const ruby = `
require 'kramdown'
require 'kramdown-parser-gfm'
opts = {input: 'GFM', hard_wrap: false, auto_ids: true, footnote_nr: 1, entity_output: 'as_char', toc_levels: (1..6).to_a, smart_quotes: 'lsquo,rsquo,ldquo,rdquo', math_engine: 'mathjax', syntax_highlighter: nil}
print Kramdown::Document.new(STDIN.read, opts).to_html
`

function facts(html) {
  const tree = fromHtml(html, {fragment: true})
  const headings = []
  const links = []
  const walk = (node) => {
    if (node.type === 'element') {
      // Galley's heading anchors are its own addition: not part of the comparison.
      if (node.properties.className?.includes?.('heading-anchor')) return
      if (/^h[1-6]$/.test(node.tagName)) headings.push(`${node.tagName}#${node.properties.id ?? ''} ${fold(toString(node))}`)
      if (node.tagName === 'a' && node.properties.href) links.push(`${decoded(String(node.properties.href))} ${fold(toString(node))}`)
    }
    for (const child of node.children ?? []) walk(child)
  }
  walk(tree)
  return {text: fold(toString(tree)), headings, links}
}

/** A URL as a reader follows it: `%20` and a space are the same link (kramdown writes URLs as given, Galley percent-encodes them). */
function decoded(href) {
  try {
    return decodeURI(href)
  } catch {
    return href
  }
}

function fold(text) {
  return text.replace(/\\[()[\]]/g, '').replace(/[‘’‚]/g, "'").replace(/[“”„]/g, '"').replace(/—/g, '---').replace(/–/g, '--').replace(/…/g, '...').replace(/\s+/g, ' ').trim()
}

let differ = 0
for (const folder of folders) {
  for (const name of readdirSync(folder).sort()) {
    const dir = path.join(folder, name)
    if (!existsSync(path.join(dir, 'output.html'))) continue
    // Heading-id fixtures count only in kramdown's own slug mode.
    if (folder.endsWith('rehype-heading-ids') && !(existsSync(path.join(dir, 'config.json')) && readFileSync(path.join(dir, 'config.json'), 'utf8').includes('kramdown'))) continue
    const kramdown = facts(execFileSync('ruby', ['-e', ruby], {input: readFileSync(path.join(dir, 'input.md'))}).toString())
    const galley = facts(readFileSync(path.join(dir, 'output.html'), 'utf8'))
    // Galley gives every heading an id, unique in the page; kramdown leaves raw HTML headings without one and may repeat one.
    // A fixture of a plugin that gives no ids compares the headings' text only.
    const bare = (heading) => heading.replace(/#\S*/, '#')
    const noIds = galley.headings.every((heading) => heading.split(' ')[0].endsWith('#'))
    if (noIds) kramdown.headings = kramdown.headings.map(bare)
    const problems = ['text', 'headings', 'links'].filter((key) => JSON.stringify(kramdown[key]) !== JSON.stringify(galley[key]))
    const label = path.relative(base, dir)
    // A fixture may differ from kramdown on purpose (config.json `"kramdownDiffers": "why"`): reported, not counted.
    const configPath = path.join(dir, 'config.json')
    const onPurpose = existsSync(configPath) ? JSON.parse(readFileSync(configPath, 'utf8')).kramdownDiffers : undefined
    if (problems.length === 0) console.log(`same     ${label}`)
    else if (typeof onPurpose === 'string') console.log(`ON PURPOSE ${label}: ${problems.join(', ')} (${onPurpose})`)
    else {
      differ++
      console.log(`DIFFERS  ${label}: ${problems.join(', ')}`)
      for (const key of problems) console.log(`  kramdown ${key}: ${JSON.stringify(kramdown[key])}\n  galley   ${key}: ${JSON.stringify(galley[key])}`)
    }
  }
}
process.exitCode = differ > 0 ? 1 : 0
