import {escapeHtml} from '../content/escape-html.js'
import type {Model} from '../markdown/compare/types.js'

/**
 * Which models a post discusses: those its comparison blocks show (the
 * `data-models` of each figure), those its front matter lists (`models:
 * [ids]`), and those its rendered text names by name or alias, as whole
 * words, outside code and links. `models: false` turns the detection in the
 * text off; the models a figure shows still count.
 */
export function modelsInPost(html: string, matter: Readonly<Record<string, unknown>>, models: readonly Model[], finder: MentionFinder = mentionFinder(models)): string[] {
  const listed = matter.models
  const ids = new Set([...shownIn(html), ...(Array.isArray(listed) ? listed.filter((id): id is string => typeof id === 'string') : [])])
  if (listed !== false && finder.mayMention(html)) {
    const text = proseOf(html)
    for (const model of models) {
      if (ids.has(model.id)) continue
      if ([model.name, ...model.aliases].some((name) => mentions(text, name))) ids.add(model.id)
    }
  }
  return models.filter((model) => ids.has(model.id)).map((model) => model.id)
}

/** The cheap check made before a post's HTML is parsed: whether any model's name or alias occurs in it at all. */
export interface MentionFinder {
  mayMention(html: string): boolean
}

/** One case-insensitive pattern of every name and alias, made once per build. */
export function mentionFinder(models: readonly Model[]): MentionFinder {
  // Each name as written and as HTML writes it (`&` is `&amp;` in the rendered body).
  const names = [...new Set(models.flatMap((model) => [model.name, ...model.aliases]).flatMap((name) => [name, escapeHtml(name)]).filter((name) => name.trim() !== ''))]
  if (names.length === 0) return {mayMention: () => false}
  // Longest first, so the alternation tries the most specific name first; whitespace in a name matches any run of it.
  const pattern = new RegExp(names.sort((a, b) => b.length - a.length || a.localeCompare(b)).map((name) => escape(name).replace(/\s+/g, '\\s+')).join('|'), 'iu')
  return {mayMention: (html) => pattern.test(html)}
}

/** The ids the comparison figures in `html` show. */
function shownIn(html: string): string[] {
  if (!html.includes('data-models=')) return []
  return [...html.matchAll(/<figure class="galley-compare"[^>]*? data-models="([^"]*)"/g)].flatMap((match) => (match[1] ?? '').split(' ').filter((id) => id !== ''))
}

/** Whether `text` holds `name` as a whole word (no letter, digit, `-` or `.`+digit right before or after it). */
export function mentions(text: string, name: string): boolean {
  if (name.trim() === '') return false
  return new RegExp(`(?<![\\p{L}\\p{N}_-])${escape(name).replace(/\s+/g, '\\s+')}(?![\\p{L}\\p{N}_-]|\\.\\p{N})`, 'iu').test(text)
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** Elements whose text is not prose (names there do not count); each leaves a space. */
const SKIPPED = new Set(['script', 'style', 'svg', 'pre', 'a', 'code'])
/** Elements whose content is raw text (it may hold `<a` that is no tag). */
const RAW = new Set(['script', 'style'])
const TAG = /<!--[\s\S]*?-->|<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g

/**
 * The text of a rendered body without code, links, scripts, styles, SVG and
 * comparison figures (each leaves a space). The body is HTML as
 * rehype-stringify writes it (every element closed, `<` and `&` in text
 * escaped, attribute values quoted), so one scan over its tags does, with no
 * parse: a test checks it against a parse of the same HTML. A block's tags
 * separate words; inline tags (`<em>`, `<span>`) and comments do not.
 */
export function proseOf(html: string): string {
  const parts: string[] = []
  let last = 0
  // The element being skipped, and how deep in elements of its own name the scan is.
  let skipping: string | undefined
  let depth = 0
  TAG.lastIndex = 0
  for (let match = TAG.exec(html); match; match = TAG.exec(html)) {
    const [whole, closing, rawName, attributes = ''] = match
    if (skipping === undefined) parts.push(html.slice(last, match.index))
    last = match.index + whole.length
    if (rawName === undefined) continue
    const name = rawName.toLowerCase()
    // `<svg/>`: opened and closed at once.
    const selfClosing = !closing && attributes.endsWith('/')
    if (skipping !== undefined) {
      if (name !== skipping || selfClosing) continue
      depth += closing ? -1 : 1
      if (depth === 0) {
        skipping = undefined
        parts.push(' ')
      }
      continue
    }
    if (!closing && (SKIPPED.has(name) || (name === 'figure' && /\bclass="galley-compare"/.test(attributes)))) {
      if (RAW.has(name)) {
        const end = html.toLowerCase().indexOf(`</${name}`, last)
        last = end < 0 ? html.length : html.indexOf('>', end) + 1 || html.length
        TAG.lastIndex = last
        parts.push(' ')
        continue
      }
      if (selfClosing) parts.push(' ')
      else {
        skipping = name
        depth = 1
      }
      continue
    }
    if (BLOCKS.has(name)) parts.push(' ')
  }
  if (skipping === undefined) parts.push(html.slice(last))
  return decodeReferences(parts.join(''))
}

/** Elements that start a new line of text (so a name cannot run across their edge). */
export const BLOCKS = new Set(
  'address article aside blockquote br dd details div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 header hr li main nav ol p section summary table tbody td tfoot th thead tr ul'.split(' ')
)

/** The character references hast-util-to-html writes (`&amp;`, `&lt;`, `&#x…;`…), and any other named one it might keep, as text. */
function decodeReferences(text: string): string {
  if (!text.includes('&')) return text
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z][a-z0-9]*);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1))
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : whole
    }
    return named[name.toLowerCase()] ?? whole
  })
}

const named: Record<string, string> = {amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0'}
