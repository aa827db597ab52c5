import type {ElementContent} from 'hast'

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

const trailingLabel = /\s*\{#((?:fig|tbl|eq)-[\w-]*[A-Za-z0-9_])\}\s*$/

/** The kind of a labelled id (`fig-x` → `fig`), or undefined for any other id. */
export function kindOf(id: unknown): LabelKind | undefined {
  if (typeof id !== 'string' || !labelId.test(id)) return undefined
  return id.slice(0, id.indexOf('-')) as LabelKind
}

/**
 * Take a `{#kind-id}` label off the end of `children` (the last text node),
 * dropping the text node when nothing else is left in it; returns the id,
 * or undefined (children untouched) when there is none.
 */
export function takeTrailingLabel(children: ElementContent[]): string | undefined {
  let at = children.length - 1
  while (at >= 0) {
    const child = children[at] as ElementContent
    if (child.type === 'text' && child.value.trim() === '') {
      at--
      continue
    }
    if (child.type !== 'text') return undefined
    const match = trailingLabel.exec(child.value)
    if (!match) return undefined
    const rest = child.value.slice(0, match.index)
    if (rest.trim() === '') children.splice(at, children.length - at)
    else {
      child.value = rest
      children.splice(at + 1)
    }
    return match[1]
  }
  return undefined
}
