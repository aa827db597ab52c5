import type {ElementContent, Text} from 'hast'

/**
 * Quarto's cross-reference labels: `{#fig-moe}` after an image or at the end
 * of its caption, `{#tbl-…}` at the end of a table caption, `{#eq-…}` on
 * the line after display math; `@fig-moe` in the text refers to one.
 */
export type LabelKind = 'fig' | 'tbl' | 'eq'

/** The word a reference to each kind reads as. */
export const kindNames: Readonly<Record<LabelKind, string>> = Object.freeze({fig: 'Figure', tbl: 'Table', eq: 'Equation'})

/** A label's id: a kind, a hyphen and letters, digits, `-` or `_`, not ending in `-` (`@fig-a.` ends a sentence). */
export const labelId = /^(fig|tbl|eq)-[\w-]*[A-Za-z0-9_]$/

const labelAtEnd = /^\{#((?:fig|tbl|eq)-[\w-]*[A-Za-z0-9_])\}\s*$/

/** The kind of a labelled id (`fig-x` → `fig`), or undefined for any other id. */
export function kindOf(id: unknown): LabelKind | undefined {
  if (typeof id !== 'string' || !labelId.test(id)) return undefined
  return id.slice(0, id.indexOf('-')) as LabelKind
}

/**
 * The `{#kind-id}` label at the end of `children` (in the last text node,
 * whitespace after it allowed), without changing anything; undefined when
 * there is none.
 */
export function peekTrailingLabel(children: readonly ElementContent[]): string | undefined {
  return findTrailingLabel(children)?.id
}

/**
 * Take a `{#kind-id}` label off the end of `children` (the last text node),
 * dropping the text node when nothing else is left in it; returns the id,
 * or undefined (children untouched) when there is none.
 */
export function takeTrailingLabel(children: ElementContent[]): string | undefined {
  const found = findTrailingLabel(children)
  if (found === undefined) return undefined
  const {at, node, brace, id} = found
  const rest = node.value.slice(0, brace).replace(/\s+$/, '')
  if (rest === '') children.splice(at)
  else {
    node.value = rest
    children.splice(at + 1)
  }
  return id
}

/** Where the trailing label is: the text node's index, the node, the offset of its `{#`, and the id. */
function findTrailingLabel(children: readonly ElementContent[]): {at: number; node: Text; brace: number; id: string} | undefined {
  let at = children.length - 1
  while (at >= 0 && isBlankText(children[at] as ElementContent)) at--
  const node = children[at]
  if (node === undefined || node.type !== 'text') return undefined
  // A cheap look first: most paragraphs hold no `{#` at all.
  const brace = node.value.lastIndexOf('{#')
  if (brace === -1) return undefined
  const match = labelAtEnd.exec(node.value.slice(brace))
  return match ? {at, node, brace, id: match[1] as string} : undefined
}

function isBlankText(node: ElementContent): boolean {
  return node.type === 'text' && !/\S/.test(node.value)
}
