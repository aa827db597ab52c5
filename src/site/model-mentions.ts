import type {Root, RootContent} from 'hast'
import {fromHtml} from 'hast-util-from-html'
import type {Model} from '../markdown/compare/types.js'

/**
 * Which models a post discusses: those its front matter lists (`models:
 * [ids]`), and those its rendered text names by name or alias, as whole
 * words, outside code and links. `models: false` turns detection off (the
 * listed ids still count only when given as a list).
 */
export function modelsInPost(html: string, matter: Readonly<Record<string, unknown>>, models: readonly Model[]): string[] {
  const listed = matter.models
  if (listed === false) return []
  const ids = new Set(Array.isArray(listed) ? listed.filter((id): id is string => typeof id === 'string') : [])
  const text = proseOf(html)
  for (const model of models) {
    if (ids.has(model.id)) continue
    if ([model.name, ...model.aliases].some((name) => mentions(text, name))) ids.add(model.id)
  }
  return models.filter((model) => ids.has(model.id)).map((model) => model.id)
}

/** Whether `text` holds `name` as a whole word (no letter, digit, `-` or `.`+digit right before or after it). */
export function mentions(text: string, name: string): boolean {
  if (name.trim() === '') return false
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+')
  return new RegExp(`(?<![\\p{L}\\p{N}_-])${escaped}(?![\\p{L}\\p{N}_-]|\\.\\p{N})`, 'iu').test(text)
}

/** The text of rendered HTML without code, links, scripts and styles (names there do not count). */
export function proseOf(html: string): string {
  const parts: string[] = []
  const walk = (node: Root | RootContent): void => {
    if (node.type === 'text') parts.push(node.value)
    else if (node.type === 'element') {
      if (['code', 'pre', 'a', 'script', 'style', 'svg'].includes(node.tagName)) {
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
