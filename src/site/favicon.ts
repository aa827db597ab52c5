import {escapeHtml} from '../content/escape-html.js'

/** Icon files a site may put at its root, in the order they are preferred, with their media types. */
const ownIcons: ReadonlyArray<readonly [string, string]> = [
  ['favicon.svg', 'image/svg+xml'],
  ['favicon.ico', 'image/x-icon'],
  ['favicon.png', 'image/png']
]

/** The generated icon's path, when the site has none of its own. */
export const GENERATED_FAVICON = 'favicon.svg'

/** The icon the head links to: the site's own (a file among `copies`), else the generated `/favicon.svg`. */
export function faviconOf(copies: ReadonlyMap<string, string>): {url: string; type: string; generated: boolean} {
  const own = ownIcons.find(([file]) => copies.has(file))
  return own ? {url: '/' + own[0], type: own[1], generated: false} : {url: '/' + GENERATED_FAVICON, type: 'image/svg+xml', generated: true}
}

/**
 * An SVG icon showing the first letter (grapheme) of `title` on a rounded
 * square, in the theme's accent colour; `G` when the title has no letter.
 */
export function faviconSvg(title: string): string {
  const letter = firstLetter(title)
  return [
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">',
    '<rect width="64" height="64" rx="14" fill="#1f4e8c"/>',
    `<text x="32" y="33" dominant-baseline="central" text-anchor="middle" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="40" font-weight="700" fill="#ffffff">${escapeHtml(letter)}</text>`,
    '</svg>',
    ''
  ].join('\n')
}

function firstLetter(title: string): string {
  const segments = new Intl.Segmenter(undefined, {granularity: 'grapheme'}).segment(title)
  for (const {segment} of segments) if (/[\p{L}\p{N}]/u.test(segment)) return segment.toLocaleUpperCase()
  return 'G'
}
