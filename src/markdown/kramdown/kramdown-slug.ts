/**
 * A heading id as Jekyll's kramdown (with its GFM parser, Jekyll's default)
 * makes it (kramdown-parser-gfm `generate_gfm_header_id`): the heading's
 * text lowercased, every character that is not a letter, mark, digit,
 * connector (`_`), `-`, space or tab removed, then each space or tab a `-`.
 * Unlike GitHub's slugger, nothing else is folded: `Über café & 3` is
 * `über-café--3`, and a leading digit stays. Empty when nothing is left.
 */
export function kramdownSlug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{Nd}\p{Pc}\- \t]/gu, '')
    .replace(/[ \t]/g, '-')
}

/**
 * kramdown's numbering of repeated ids, one per page: the first `a` stays
 * `a`, later ones are `a-1`, `a-2`, … (counted per base id, as kramdown's
 * `@id_counter` does).
 */
export class KramdownSlugger {
  readonly #counts = new Map<string, number>()

  slug(text: string): string {
    const base = kramdownSlug(text)
    const count = (this.#counts.get(base) ?? -1) + 1
    this.#counts.set(base, count)
    return count > 0 ? `${base}-${count}` : base
  }
}
