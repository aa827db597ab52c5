import type {CslItem} from './library.js'

/** A bibliography file read: its entries, or the problem at its line and column. */
export type ParsedBibliography = {readonly ok: true; readonly items: CslItem[]} | {readonly ok: false; readonly reason: string; readonly line: number; readonly column: number}

let loading: Promise<typeof import('@citation-js/core')> | undefined

/** citation-js with its BibTeX and CSL plugins, imported the first time a bibliography or a citation needs it. */
export function citationJs(): Promise<typeof import('@citation-js/core')> {
  loading ??= (async () => {
    const core = await import('@citation-js/core')
    await import('@citation-js/plugin-bibtex')
    await import('@citation-js/plugin-csl')
    return core
  })()
  return loading
}

/**
 * Parse a BibTeX/BibLaTeX file (`.bib`) or a CSL-JSON file (`.json`) into
 * CSL-JSON items, with citation-js. A syntax error comes back with its line
 * and column; entries without a key are a problem too (nothing could cite
 * them), as are two entries with one key.
 */
export async function parseBibliography(text: string, kind: 'bibtex' | 'csl-json'): Promise<ParsedBibliography> {
  if (kind === 'csl-json') return parseCslJson(text)
  const {Cite} = await citationJs()
  let data: Array<Record<string, unknown>>
  try {
    data = (await Cite.async(text, {forceType: '@biblatex/text', generateGraph: false})).data as Array<Record<string, unknown>>
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    const at = /at line (\d+) col (\d+)/.exec(message)
    return {ok: false, reason: `invalid BibTeX: ${message.split('\n')[0]?.replace(/ at line \d+ col \d+:?$/, '') ?? message}`, line: at ? Number(at[1]) : 1, column: at ? Number(at[2]) : 1}
  }
  if (data.length === 0 && /@\s*\w+\s*[{(]/.test(text)) return {ok: false, reason: 'invalid BibTeX: no entry could be read', line: 1, column: 1}
  return checked(data.map(clean), text)
}

function parseCslJson(text: string): ParsedBibliography {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    const offset = Number(/position (\d+)/.exec(message)?.[1] ?? 0)
    const before = text.slice(0, offset).split('\n')
    return {ok: false, reason: `invalid CSL-JSON: ${message}`, line: before.length, column: (before[before.length - 1]?.length ?? 0) + 1}
  }
  const list = Array.isArray(value) ? value : undefined
  if (!list || !list.every((item) => typeof item === 'object' && item !== null && !Array.isArray(item))) return {ok: false, reason: 'invalid CSL-JSON: expected an array of entries', line: 1, column: 1}
  return checked(list.map((item) => clean(item as Record<string, unknown>)), text)
}

function clean(item: Record<string, unknown>): Record<string, unknown> {
  const {_graph: _graph, ...rest} = item
  return rest
}

function checked(items: Array<Record<string, unknown>>, text: string): ParsedBibliography {
  const seen = new Set<string>()
  for (const item of items) {
    const id = item.id
    if (typeof id !== 'string' || id === '') return {ok: false, reason: 'an entry has no key (id), so nothing could cite it', line: 1, column: 1}
    if (seen.has(id)) {
      const {line, column} = lineOf(text, id, 2)
      return {ok: false, reason: `two entries have the key \`${id}\``, line, column}
    }
    seen.add(id)
  }
  return {ok: true, items: items as CslItem[]}
}

/** The line and column of the `nth` occurrence of an entry's key. */
function lineOf(text: string, key: string, nth: number): {line: number; column: number} {
  let at = -1
  for (let count = 0; count < nth; count++) {
    at = text.indexOf(key, at + 1)
    if (at === -1) return {line: 1, column: 1}
  }
  const before = text.slice(0, at).split('\n')
  return {line: before.length, column: (before[before.length - 1]?.length ?? 0) + 1}
}
