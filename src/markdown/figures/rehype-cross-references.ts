import type {Element, ElementContent, Root, Text} from 'hast'
import {location} from 'vfile-location'
import type {VFile} from 'vfile'
import '../data.js'
import {report} from '../../report.js'
import {element} from '../hast-nodes.js'
import {sourceMayHold} from '../source-check.js'
import {SKIP, visit} from '../walk.js'
import {kindNames, kindOf, type LabelKind} from './labels.js'

export interface CrossReferencesOptions {
  /** Number labelled items and resolve references at all. Default `true`. */
  readonly enabled?: boolean | undefined
}

const emptyOptions: CrossReferencesOptions = Object.freeze({})

/**
 * Number the labelled figures, tables and equations of a post, each kind
 * counting from 1 in document order (Quarto's rule: only labelled items are
 * numbered), and turn `@fig-moe` in the text into a link reading
 * `Figure 2`:
 *
 * - `<figure id="fig-…">`: `<span class="figure-number">Figure 2:</span>`
 *   starts its caption (a figure without one gets `Figure 2`);
 * - `<table id="tbl-…">`: the same in its `<caption>`;
 * - display math with `id="eq-…"`: `<span class="equation-number">(3)</span>`
 *   after the formula.
 *
 * A reference to an id no item has is an error at its line (`xref`); so is
 * a label used twice. References inside code, links and math are text.
 * Runs after rehype-figures, which moves labels onto the items.
 */
export function rehypeCrossReferences(options: CrossReferencesOptions = emptyOptions) {
  const enabled = options.enabled ?? true
  return function transform(tree: Root, file: VFile): void {
    if (!enabled || file.data.matter?.figures === false || file.data.matter?.figures === 'off') return
    if (!sourceMayHold(file, /@(?:fig|tbl|eq)-|\{#(?:fig|tbl|eq)-|\bid=["']?(?:fig|tbl|eq)-/)) return
    const numbers = new Map<string, {kind: LabelKind; number: number}>()
    const counts: Record<LabelKind, number> = {fig: 0, tbl: 0, eq: 0}
    visit(tree, 'element', (node: Element) => {
      const kind = kindOf(node.properties.id)
      if (kind === undefined || !isNumbered(node, kind)) return undefined
      const id = String(node.properties.id)
      if (numbers.has(id)) {
        report(file, {reason: `label \`${id}\` is used twice: each figure, table or equation needs its own`, ruleId: 'xref', severity: 'error', place: node.position})
        return undefined
      }
      const number = ++counts[kind]
      numbers.set(id, {kind, number})
      addNumber(node, kind, number)
      return undefined
    })
    resolveReferences(tree, file, numbers)
  }
}

function isNumbered(node: Element, kind: LabelKind): boolean {
  if (kind === 'fig') return node.tagName === 'figure'
  if (kind === 'tbl') return node.tagName === 'table'
  const className = node.properties.className
  return Array.isArray(className) && className.includes('katex-display')
}

function addNumber(node: Element, kind: LabelKind, number: number): void {
  if (kind === 'eq') {
    node.children.push(element('span', {className: ['equation-number']}, [{type: 'text', value: `(${number})`}], node))
    return
  }
  const captionTag = kind === 'fig' ? 'figcaption' : 'caption'
  const label = `${kindNames[kind]} ${number}`
  let caption = node.children.find((child): child is Element => child.type === 'element' && child.tagName === captionTag)
  const empty = caption === undefined || caption.children.every((child) => child.type === 'text' && child.value.trim() === '')
  if (caption === undefined) {
    caption = element(captionTag, {}, [], node)
    if (kind === 'fig') node.children.push(caption)
    else node.children.unshift(caption)
  }
  const numberSpan = element('span', {className: [kind === 'fig' ? 'figure-number' : 'table-number']}, [{type: 'text', value: empty ? label : label + ':'}], node)
  caption.children.unshift(...(empty ? [numberSpan] : [numberSpan, {type: 'text' as const, value: ' '}]))
}

/** Elements whose text is never searched for references. */
const opaque: ReadonlySet<string> = new Set(['a', 'code', 'pre', 'script', 'style', 'kbd', 'samp', 'math', 'svg', 'textarea'])

const reference = /(?<![\w@./-])@((?:fig|tbl|eq)-[\w-]*[A-Za-z0-9_])/g

function resolveReferences(tree: Root, file: VFile, numbers: ReadonlyMap<string, {kind: LabelKind; number: number}>): void {
  const source = file.value === undefined ? undefined : String(file.value)
  const place = source === undefined ? undefined : location(source)
  const inChildren = (children: Array<Root['children'][number] | ElementContent>): void => {
    for (let index = 0; index < children.length; index++) {
      const child = children[index]
      if (child?.type !== 'text' || !child.value.includes('@')) continue
      const parts = split(child, numbers, (id) => {
        const offset = child.position?.start.offset
        const found = offset === undefined || source === undefined ? -1 : source.indexOf('@' + id, offset)
        const point = found === -1 || place === undefined ? undefined : place.toPoint(found)
        report(file, {
          reason: `unknown cross-reference \`@${id}\`: no figure, table or equation has the label \`{#${id}}\``,
          ruleId: 'xref',
          severity: 'error',
          place: point ?? child.position
        })
      })
      if (parts === undefined) continue
      children.splice(index, 1, ...parts)
      index += parts.length - 1
    }
  }
  inChildren(tree.children)
  visit(tree, 'element', (node: Element) => {
    if (opaque.has(node.tagName) || hasClass(node, 'katex')) return SKIP
    inChildren(node.children)
    return undefined
  })
}

/** The text split into text and reference links, or undefined when it holds none that resolve. */
function split(text: Text, numbers: ReadonlyMap<string, {kind: LabelKind; number: number}>, unknown: (id: string) => void): ElementContent[] | undefined {
  const out: ElementContent[] = []
  let last = 0
  let linked = false
  for (const match of text.value.matchAll(reference)) {
    const id = match[1] as string
    const at = match.index
    const target = numbers.get(id)
    if (target === undefined) {
      unknown(id)
      continue
    }
    if (at > last) out.push({...text, value: text.value.slice(last, at)})
    out.push({type: 'element', tagName: 'a', properties: {className: ['xref'], href: '#' + id}, children: [{type: 'text', value: `${kindNames[target.kind]} ${target.number}`}], ...(text.position ? {position: text.position} : {})})
    last = at + match[0].length
    linked = true
  }
  if (!linked) return undefined
  if (last < text.value.length) out.push({...text, value: text.value.slice(last)})
  return out
}

function hasClass(node: Element, name: string): boolean {
  const value = node.properties.className
  return Array.isArray(value) && value.includes(name)
}
