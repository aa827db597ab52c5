import type {Element, Root} from 'hast'
import {SKIP, visit} from './walk.js'
import type {VFile} from 'vfile'
import {report} from '../report.js'
import {element, positionOf} from './hast-nodes.js'
import {parseAbsoluteUrl} from './url-attributes.js'
import {sourceMayHold} from './source-check.js'

export interface EmbedYoutubeOptions {
  /**
   * URL of the image shown in place of the player (root-relative URLs get
   * the baseurl from `rehypeBaseUrl`, which runs later).
   * Default: `/assets/embeds/video-placeholder.svg`, the theme's neutral 16:9 play button.
   */
  readonly placeholder?: string
}

const emptyOptions: EmbedYoutubeOptions = {}

/**
 * Hosts whose scripts serve only YouTube embeds: none, as YouTube embeds are
 * iframes. Exported for symmetry with the other embed plugins.
 */
export const SCRIPT_HOSTS: readonly string[] = Object.freeze([])

const defaultPlaceholder = '/assets/embeds/video-placeholder.svg'
const defaultWidth = 560
const defaultHeight = 315
/** The `title` YouTube's share dialog puts on every iframe: it names no video. */
const genericTitle = 'youtube video player'

const youtubeHosts = new Set(['youtube.com', 'www.youtube.com', 'm.youtube.com', 'youtube-nocookie.com', 'www.youtube-nocookie.com'])
const shortHosts = new Set(['youtu.be', 'www.youtu.be'])

/**
 * Replace YouTube iframes with a click-to-load link: a local placeholder
 * image and a label, pointing at the video on youtube-nocookie.com with
 * `autoplay=1`, so the page makes no request to YouTube until the reader
 * clicks:
 *
 * ```html
 * <a class="embed-video embed-video-youtube" href="https://www.youtube-nocookie.com/embed/ID?autoplay=1" title="Play video">
 *   <img src="/assets/embeds/video-placeholder.svg" alt="Play video on YouTube" width="560" height="315" decoding="async" loading="lazy">
 *   <span class="embed-video-label">Play video (YouTube)</span>
 * </a>
 * ```
 *
 * (without the whitespace). The iframe's `title` becomes the label, unless it
 * is YouTube's generic “YouTube video player”. The playlist (`list`) and the
 * start and end times are kept; `t=1m30s` becomes `start=90`, as the embedded
 * player reads only `start`. The size comes from the iframe's `width` and
 * `height` when they are numbers (one missing is derived at 16:9), else
 * 560×315. Wrappers (`<p>`, `<div>`, `<center>`) stay: the link is phrasing
 * content, valid in any of them. Other iframes are untouched; a YouTube
 * iframe whose video cannot be read from `src` is left as written and reported.
 */
export function rehypeEmbedYoutube(options: EmbedYoutubeOptions = emptyOptions) {
  const placeholder = options.placeholder ?? defaultPlaceholder
  return function transform(tree: Root, file: VFile): void {
    if (!sourceMayHold(file, /<iframe/i)) return
    visit(tree, 'element', (node: Element, index, parent) => {
      if (node.tagName !== 'iframe' || parent === undefined || index === undefined) return undefined
      const src = node.properties.src
      if (typeof src !== 'string') return SKIP
      const video = parseYoutubeUrl(src)
      if (video === undefined) return SKIP
      if (video === 'unreadable') {
        report(file, {
          reason: `YouTube iframe \`${src}\` names no video, so it is left as written: it loads YouTube on every visit to this page`,
          ruleId: 'embed-youtube',
          severity: 'warning',
          place: node.position
        })
        return SKIP
      }
      parent.children[index] = toLink(node, video, placeholder)
      return SKIP
    })
  }
}

/** A video (or playlist) read from a YouTube URL. */
export interface YoutubeVideo {
  /** The video id, or `videoseries` for a playlist. */
  readonly id: string
  /** Parameters worth keeping: `list`, `start`, `end`. */
  readonly params: ReadonlyArray<readonly [string, string]>
}

/**
 * Read a YouTube embed/watch/short URL (`https:`, `http:` or protocol-relative).
 * `undefined` when it is not YouTube's, `'unreadable'` when it is but names no video.
 */
export function parseYoutubeUrl(src: string): YoutubeVideo | 'unreadable' | undefined {
  const url = parseAbsoluteUrl(src)
  if (url === undefined) return undefined
  const host = url.hostname.toLowerCase()
  const segments = url.pathname.split('/').filter((segment) => segment !== '')
  let id: string | undefined
  if (shortHosts.has(host)) {
    id = segments[0]
  } else if (youtubeHosts.has(host)) {
    const [first, second] = segments
    if (first === 'watch') id = url.searchParams.get('v') ?? undefined
    else if (first === 'embed' || first === 'v' || first === 'shorts' || first === 'live') id = second
  } else {
    return undefined
  }
  if (id === undefined || !/^[\w-]+$/.test(id)) return 'unreadable'
  const list = url.searchParams.get('list')
  if (id === 'videoseries' && (list === null || list === '')) return 'unreadable'
  const params: Array<[string, string]> = []
  if (list !== null && /^[\w-]+$/.test(list)) params.push(['list', list])
  const start = seconds(url.searchParams.get('start')) ?? seconds(url.searchParams.get('t'))
  if (start !== undefined) params.push(['start', String(start)])
  const end = seconds(url.searchParams.get('end'))
  if (end !== undefined) params.push(['end', String(end)])
  return {id, params}
}

/** `90`, `90s`, `1m30s`, `1h2m3s` → seconds; zero or anything else → undefined. */
function seconds(value: string | null): number | undefined {
  if (value === null) return undefined
  const match = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s?)?$/.exec(value.trim())
  if (match === null || value.trim() === '') return undefined
  const [, hours = '0', minutes = '0', rest = '0'] = match
  const total = Number(hours) * 3600 + Number(minutes) * 60 + Number(rest)
  return total > 0 ? total : undefined
}

function toLink(iframe: Element, video: YoutubeVideo, placeholder: string): Element {
  const query = [['autoplay', '1'] as const, ...video.params].map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join('&')
  const href = `https://www.youtube-nocookie.com/embed/${video.id}?${query}`
  const {width, height} = sizeOf(iframe)
  const title = iframe.properties.title
  const label = typeof title === 'string' && title.trim() !== '' && title.trim().toLowerCase() !== genericTitle ? title.trim().replace(/\s+/g, ' ') : 'Play video (YouTube)'
  const image = element('img', {src: placeholder, alt: 'Play video on YouTube', width, height, decoding: 'async', loading: 'lazy'}, [], iframe)
  const caption = element('span', {className: ['embed-video-label']}, [{type: 'text', value: label, ...positionOf(iframe)}], iframe)
  return element('a', {className: ['embed-video', 'embed-video-youtube'], href, title: 'Play video'}, [image, caption], iframe)
}

/** The iframe's size when written in pixels; one side missing is derived at 16:9. */
function sizeOf(iframe: Element): {width: number; height: number} {
  const width = pixels(iframe.properties.width)
  const height = pixels(iframe.properties.height)
  if (width !== undefined && height !== undefined) return {width, height}
  if (width !== undefined) return {width, height: Math.round((width * 9) / 16)}
  if (height !== undefined) return {width: Math.round((height * 16) / 9), height}
  return {width: defaultWidth, height: defaultHeight}
}

/** `560`, `'560'`, `'560px'` → 560; `'100%'`, `'auto'`, 0 → undefined. */
function pixels(value: unknown): number | undefined {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : ''
  const match = /^(\d+)(?:\.\d+)?(?:px)?$/i.exec(text)
  if (match === null) return undefined
  const number = Number(match[1])
  return number > 0 ? number : undefined
}

