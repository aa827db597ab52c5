import type {Element, ElementContent, Parents, Root, RootContent} from 'hast'
import {visit} from './walk.js'

/**
 * Small builders and edits shared by the plugins that replace author markup.
 * Every node made here takes the position of the node it replaces, so
 * messages and the excerpt still point into the source.
 */

/** A copy of `from`'s position, for a node that takes its place. */
export function positionOf(from: Element): {position?: NonNullable<Element['position']>} {
  const position = from.position
  if (position === undefined) return {}
  return {position: {start: {...position.start}, end: {...position.end}}}
}

export function element(tagName: string, properties: Element['properties'], children: ElementContent[], from: Element): Element {
  return {type: 'element', tagName, properties, children, ...positionOf(from)}
}

export function textNode(value: string, from: Element): ElementContent {
  return {type: 'text', value, ...positionOf(from)}
}

/** Whitespace-only text. */
export function isBlank(node: RootContent | undefined): boolean {
  return node !== undefined && node.type === 'text' && node.value.trim() === ''
}

/**
 * Remove each node from its parent (with the line break before it when that
 * would otherwise leave two in a row), then the paragraphs that held nothing
 * else: a script written inline on a line of its own leaves an empty `<p>`.
 */
export function removeNodes(tree: Root, found: ReadonlyArray<{readonly node: Element; readonly parent: Parents}>): void {
  for (const {node, parent} of found) {
    const at = parent.children.indexOf(node)
    if (at === -1) continue
    const dropBefore = isBlank(parent.children[at - 1]) && (at + 1 >= parent.children.length || isBlank(parent.children[at + 1]))
    parent.children.splice(dropBefore ? at - 1 : at, dropBefore ? 2 : 1)
  }
  const emptied = new Set<Parents>(found.map((entry) => entry.parent))
  if (emptied.size === 0) return
  visit(tree, 'element', (node: Element, index, parent) => {
    if (parent === undefined || index === undefined || node.tagName !== 'p' || !emptied.has(node) || !node.children.every(isBlank)) return undefined
    parent.children.splice(index, 1)
    return index
  })
}
