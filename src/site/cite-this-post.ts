import type {Post} from '../content/post.js'

/** What a post's "Cite this post" appendix shows: its own BibTeX entry and a plain-text citation. */
export interface CiteThisPost {
  readonly bibtex: string
  readonly text: string
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']
const BIBTEX_MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']

/**
 * The "Cite this post" appendix Distill articles have, for a post whose
 * front matter says `citation: true` (or whose site does, unless the post
 * says `citation: false`): an `@article` (in the site as journal) or, for a
 * site without a title, `@misc` entry from the title, authors, date and URL,
 * every value escaped for BibTeX; and the same as one line of text.
 */
export function citeThisPost(post: Post, site: {readonly title?: unknown; readonly author?: unknown; readonly citation?: unknown}, absoluteUrl: string): CiteThisPost | undefined {
  const wanted = post.data.citation ?? site.citation
  if (post.kind !== 'post' || wanted !== true) return undefined
  const authors = authorNames(post.data.authors ?? post.data.author ?? site.author)
  const title = post.title.text
  const siteTitle = typeof site.title === 'string' ? site.title.trim() : ''
  const wall = post.date?.wall()
  const family = authors[0]?.family ?? ''
  const key = [family, wall?.year ?? '', title.split(/\s+/).find((word) => word.length > 3) ?? ''].join('').normalize('NFKD').replace(/[^A-Za-z0-9]/g, '').toLowerCase() || post.slug.replace(/[^A-Za-z0-9]/g, '') || 'post'
  const fields: Array<[string, string]> = [
    ['title', `{${escapeBibtex(title)}}`],
    ...(authors.length > 0 ? ([['author', `{${authors.map((name) => (name.given ? `${escapeBibtex(name.family)}, ${escapeBibtex(name.given)}` : `{${escapeBibtex(name.family)}}`)).join(' and ')}}`]] as Array<[string, string]>) : []),
    ...(siteTitle ? ([['journal', `{${escapeBibtex(siteTitle)}}`]] as Array<[string, string]>) : []),
    ...(wall ? ([['year', `{${wall.year}}`], ['month', BIBTEX_MONTHS[wall.month - 1] as string]] as Array<[string, string]>) : []),
    ...(absoluteUrl ? ([['url', `{${escapeBibtex(absoluteUrl)}}`]] as Array<[string, string]>) : [])
  ]
  const bibtex = `@${siteTitle ? 'article' : 'misc'}{${key},\n${fields.map(([name, value]) => `  ${name} = ${value}`).join(',\n')}\n}`
  const who = authors.map((name) => (name.given ? `${name.family}, ${initials(name.given)}` : name.family))
  const byline = who.length === 0 ? '' : who.length === 1 ? (who[0] as string) : `${who.slice(0, -1).join(', ')}, & ${who[who.length - 1]}`
  const when = wall ? `(${wall.year}, ${MONTHS[wall.month - 1]} ${wall.day})` : '(n.d.)'
  const text = [byline ? `${byline} ${when}.` : `${title} ${when}.`, byline ? `${title}.` : '', siteTitle ? `${siteTitle}.` : '', absoluteUrl].filter(Boolean).join(' ')
  return {bibtex, text}
}

interface Name {
  readonly family: string
  readonly given: string
}

/** `Ada Okafor`, `Okafor, Ada`, `{name: …}` or a list of those → family and given names; degrees after a comma (`, PhD`) are dropped. */
function authorNames(value: unknown): Name[] {
  const list = Array.isArray(value) ? value : value === undefined || value === null || value === '' ? [] : [value]
  return list.flatMap((entry) => {
    const raw = typeof entry === 'string' ? entry : typeof entry === 'object' && entry !== null && typeof (entry as {name?: unknown}).name === 'string' ? (entry as {name: string}).name : ''
    const name = raw.replace(/,\s*(?:Ph\.?\s?D\.?|M\.?D\.?|M\.?Sc\.?|B\.?Sc\.?|M\.?A\.?|Jr\.?|Sr\.?)\s*$/i, '').trim()
    if (name === '') return []
    // An organisation (`The Galley Team`, `OpenAI Research Group`) is one name, not given and family names.
    if (/^the\s/i.test(name) || /\b(?:team|group|lab|laboratory|institute|university|inc\.?|ltd\.?|foundation|project|collective)$/i.test(name)) return [{family: name, given: ''}]
    if (name.includes(',')) {
      const [family = '', given = ''] = name.split(',', 2).map((part) => part.trim())
      return [{family, given}]
    }
    const words = name.split(/\s+/)
    return [words.length === 1 ? {family: name, given: ''} : {family: words[words.length - 1] as string, given: words.slice(0, -1).join(' ')}]
  })
}

function initials(given: string): string {
  return given
    .split(/[\s-]+/)
    .filter(Boolean)
    .map((part) => `${part[0]?.toUpperCase()}.`)
    .join(' ')
}

/** Text as a BibTeX value inside braces: its special characters escaped, so the entry always parses. */
export function escapeBibtex(value: string): string {
  return value.replace(/[\\{}%&$#_~^]/g, (char) =>
    char === '\\' ? '\\textbackslash{}' : char === '~' ? '\\textasciitilde{}' : char === '^' ? '\\textasciicircum{}' : `\\${char}`
  )
}
