import {isSafeUrl} from '../content/safe-url.js'

/** One link of the header navigation. */
export interface NavLink {
  readonly title: string
  readonly url: string
  /** Whether the link leaves the site (an absolute http(s) URL); layouts do not add the baseurl then. */
  readonly external: boolean
}

/** `nav:` as written in site.yml, checked: the links, and what was wrong with the entries left out. */
export interface NavSetting {
  /** The links the site asked for; undefined when site.yml has no `nav:` (the default links are used). */
  readonly links: readonly NavLink[] | undefined
  readonly problems: readonly string[]
}

/**
 * Read `nav:`: a list of `{title, url}` mappings (or `Title: /url` one-key
 * mappings), `false` or `[]` for no links. An entry without a title or
 * with an unsafe URL (`javascript:`) is a problem and left out.
 */
export function readNav(value: unknown): NavSetting {
  if (value === undefined || value === null) return {links: undefined, problems: []}
  if (value === false) return {links: [], problems: []}
  if (!Array.isArray(value)) return {links: undefined, problems: ['nav must be a list of {title, url} entries (or false for none); the default links are used']}
  const links: NavLink[] = []
  const problems: string[] = []
  value.forEach((entry, index) => {
    const pair = entryOf(entry)
    if (!pair) {
      problems.push(`nav entry ${index + 1} must be {title: …, url: …}; it is left out`)
      return
    }
    const [title, url] = pair
    if (title.trim() === '' || url.trim() === '') problems.push(`nav entry ${index + 1} needs both a title and a url; it is left out`)
    else if (!isSafeUrl(url)) problems.push(`nav entry ${index + 1} (${JSON.stringify(title.slice(0, 40))}) must link to an http(s), relative or root-relative URL; it is left out`)
    else links.push({title: title.trim(), url: url.trim(), external: /^(?:https?:)?\/\//i.test(url.trim())})
  })
  return {links, problems}
}

function entryOf(entry: unknown): [string, string] | undefined {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return undefined
  const record = entry as Record<string, unknown>
  if ('title' in record || 'url' in record) return typeof record.title === 'string' && typeof record.url === 'string' ? [record.title, record.url] : undefined
  const keys = Object.keys(record)
  const [key] = keys
  return keys.length === 1 && key !== undefined && typeof record[key] === 'string' ? [key, record[key] as string] : undefined
}

/** What the default links depend on: which generated pages exist, and whether the site has an about page. */
export interface NavDefaults {
  readonly archive: boolean
  readonly tags: boolean
  /** The URL of the site's about page (`/about/`), when it has one. */
  readonly about: string | undefined
}

/** The links when site.yml names none: Archive, Tags, About (if the site has one), Feed. */
export function defaultNav(defaults: NavDefaults): NavLink[] {
  const links: NavLink[] = []
  if (defaults.archive) links.push({title: 'Archive', url: '/archive/', external: false})
  if (defaults.tags) links.push({title: 'Tags', url: '/tags/', external: false})
  if (defaults.about) links.push({title: 'About', url: defaults.about, external: false})
  links.push({title: 'Feed', url: '/feed.xml', external: false})
  return links
}
