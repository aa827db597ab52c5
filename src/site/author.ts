import {isSafeUrl} from '../content/safe-url.js'

/** The site's author as the theme shows it (author box, footer); every field plain text or a checked URL. */
export interface AuthorProfile {
  readonly name: string
  /** One line about the author (`bio:` or `description:`). */
  readonly bio: string
  /** An image URL (root-relative, relative or http(s)). */
  readonly avatar: string
  /** The author's own page. */
  readonly url: string
  readonly links: ReadonlyArray<{readonly title: string; readonly url: string}>
}

/**
 * `author:` of site.yml (or a post) as a profile: a string is a name; a
 * mapping gives `name`, `bio`, `avatar`, `url` and `links` (a mapping of
 * title → URL, or a list of `{title, url}`). URLs that are not http(s),
 * relative or root-relative are left out. Undefined when there is no name.
 */
export function authorProfile(value: unknown): AuthorProfile | undefined {
  if (typeof value === 'string' || typeof value === 'number') {
    const name = String(value).trim()
    return name === '' ? undefined : {name, bio: '', avatar: '', url: '', links: []}
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined
  const record = value as Record<string, unknown>
  const name = text(record.name)
  if (name === '') return undefined
  return {name, bio: text(record.bio ?? record.description), avatar: safe(record.avatar ?? record.image), url: safe(record.url), links: linksOf(record.links)}
}

function linksOf(value: unknown): Array<{title: string; url: string}> {
  const pairs: Array<[unknown, unknown]> = Array.isArray(value)
    ? value.map((entry) => (typeof entry === 'object' && entry !== null ? [(entry as Record<string, unknown>).title ?? (entry as Record<string, unknown>).name, (entry as Record<string, unknown>).url] : [undefined, undefined]))
    : typeof value === 'object' && value !== null
      ? Object.entries(value)
      : []
  return pairs.flatMap(([title, url]) => {
    const label = text(title)
    const href = safe(url)
    return label !== '' && href !== '' ? [{title: label, url: href}] : []
  })
}

function text(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value).trim() : ''
}

function safe(value: unknown): string {
  const url = text(value)
  return url !== '' && isSafeUrl(url) ? url : ''
}
