import type {Root, RootContent} from 'hast'
import {fromHtml} from 'hast-util-from-html'
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

/** The text of rendered HTML without code, links, scripts, styles and comparison figures (names there do not count as mentions). */
export function proseOf(html: string): string {
  const parts: string[] = []
  const walk = (node: Root | RootContent): void => {
    if (node.type === 'text') parts.push(node.value)
    else if (node.type === 'element') {
      const figure = node.tagName === 'figure' && Array.isArray(node.properties.className) && node.properties.className.includes('galley-compare')
      if (figure || ['code', 'pre', 'a', 'script', 'style', 'svg'].includes(node.tagName)) {
        parts.push(' ')
        return
      }
      for (const child of node.children) walk(child)
      parts.push(' ')
    } else if (node.type === 'root') for (const child of node.children) walk(child)
  }
  walk(fromHtml(html, {fragment: true}))
  return parts.join('')
}
