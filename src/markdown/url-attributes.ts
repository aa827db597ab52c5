import type {Element} from 'hast'

/** The attributes (hast property names) that hold a URL, per element. */
const urlProperties: Readonly<Record<string, readonly string[]>> = {
  a: ['href'],
  area: ['href'],
  link: ['href'],
  img: ['src', 'srcSet'],
  source: ['src', 'srcSet'],
  video: ['src', 'poster'],
  audio: ['src'],
  track: ['src'],
  iframe: ['src'],
  embed: ['src'],
  object: ['data'],
  script: ['src'],
  form: ['action'],
  blockquote: ['cite'],
  q: ['cite']
}

/** The URL-bearing property names of `node` (srcset values hold several URLs). */
export function urlPropertiesOf(node: Element): readonly string[] {
  return urlProperties[node.tagName] ?? []
}

/** Whether `url` is written relative to the current document's folder (`img/x.png`, `../a.md`). */
export function isDocumentRelative(url: string): boolean {
  return url !== '' && !/^[a-z][a-z\d+.-]*:/i.test(url) && !url.startsWith('/') && !url.startsWith('#') && !url.startsWith('?') && !url.includes('{{') && !url.includes('{%')
}

/** Whether `url` is root-relative (`/assets/x.png`) but not protocol-relative (`//cdn`). */
export function isRootRelative(url: string): boolean {
  return url.startsWith('/') && !url.startsWith('//')
}

/** Split `a/b.png?x=1#top` into the path and the rest (`?x=1#top`). */
export function splitUrl(url: string): {path: string; suffix: string} {
  const index = url.search(/[?#]/)
  return index === -1 ? {path: url, suffix: ''} : {path: url.slice(0, index), suffix: url.slice(index)}
}

/**
 * Apply `change` to every URL in the property `name` of `node`; handles the
 * `srcset` list form (`a.png 1x, b.png 2x`). `change` returns the new URL or
 * undefined to leave it.
 */
export function rewriteUrls(node: Element, name: string, change: (url: string) => string | undefined): void {
  const properties = node.properties as Record<string, unknown>
  const value = properties[name]
  if (name === 'srcSet' && (typeof value === 'string' || Array.isArray(value))) {
    // hast keeps `srcset` as a list (comma-separated property), though its types say string.
    const candidates = typeof value === 'string' ? value.split(',') : value.map(String)
    const rewritten: string[] = candidates.map((candidate) => {
      const [url = '', ...descriptor] = candidate.trim().split(/\s+/)
      return [change(url) ?? url, ...descriptor].join(' ')
    })
    properties[name] = typeof value === 'string' ? rewritten.join(', ') : rewritten
    return
  }
  if (typeof value !== 'string') return
  const next = change(value)
  if (next !== undefined) properties[name] = next
}

/** An absolute `http(s)` or protocol-relative (`//host/…`) URL, parsed; undefined for anything else. */
export function parseAbsoluteUrl(src: string): URL | undefined {
  const value = src.trim()
  if (!/^(https?:)?\/\//i.test(value)) return undefined
  try {
    return new URL(value.startsWith('//') ? 'https:' + value : value)
  } catch {
    return undefined
  }
}

/** `decodeURIComponent`, or the text as it is when it is not valid percent-encoding (a stray `%` is a valid file name character). */
export function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value)
  } catch {
    return value
  }
}
