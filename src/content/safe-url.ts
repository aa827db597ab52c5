import type {VFile} from 'vfile'
import {report} from '../report.js'
import type {FrontMatter} from './front-matter.js'

/** Front-matter keys whose value is a URL that a layout may write into `href`/`src`/`content`. */
export const urlKeys: readonly string[] = ['image', 'link', 'canonical_url', 'external_url', 'redirect_to']

/**
 * Whether `url` may be written into a page: an `http:`/`https:` URL, a
 * protocol-relative one (`//cdn/x`), or a relative or root-relative path.
 * Any other scheme (`javascript:`, `data:`, `vbscript:`, `file:`, …) is
 * refused. Browsers ignore tabs, line breaks and leading control characters
 * in a scheme (`java\tscript:`), so those are ignored here too.
 */
export function isSafeUrl(url: string): boolean {
  // eslint-disable-next-line no-control-regex
  const bare = url.replace(/[\u0000-\u0020\u007f]/g, '')
  const scheme = /^([a-z][a-z\d+.-]*):/i.exec(bare)
  if (!scheme) return true
  const name = (scheme[1] ?? '').toLowerCase()
  return name === 'http' || name === 'https'
}

/**
 * Front matter without URL-valued fields (`urlKeys`) that are not safe URLs:
 * each dropped one is a warning at its key's line. Returns `matter` itself
 * when nothing was dropped.
 */
export function withSafeUrls(file: VFile, matter: FrontMatter): FrontMatter {
  let data: Record<string, unknown> | undefined
  for (const key of urlKeys) {
    const value = matter.data[key]
    if (typeof value !== 'string' || isSafeUrl(value)) continue
    data ??= {...matter.data}
    delete data[key]
    report(file, {
      reason: `\`${key}\` must be an http(s), relative or root-relative URL; \`${shorten(value)}\` is ignored`,
      ruleId: 'unsafe-url',
      severity: 'warning',
      place: {line: matter.keyLines[key] ?? 1, column: 1}
    })
  }
  return data ? {...matter, data} : matter
}

/** At most 60 characters of `text`, control characters escaped, for a message. */
function shorten(text: string): string {
  // eslint-disable-next-line no-control-regex
  const safe = text.replace(/[\u0000-\u001f\u007f]/g, (char) => '\\u' + char.charCodeAt(0).toString(16).padStart(4, '0'))
  return safe.length > 60 ? safe.slice(0, 59) + '…' : safe
}
