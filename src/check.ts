import {promises as fs} from 'node:fs'
import path from 'node:path'
import type {Element, Root} from 'hast'
import {fromHtml} from 'hast-util-from-html'
import {visit} from 'unist-util-visit'
import {safeDecode} from './markdown/url-attributes.js'

/** Options for {@link checkSite}. */
export interface CheckOptions {
  /** Absolute path of a built site. */
  readonly out: string
  /** `''` or a path such as `/blog`: the site is served under this path. */
  readonly baseurl: string
  /**
   * The site's public URL (e.g. `https://example.com`). Absolute links on its
   * origin are then checked as internal links; without it every absolute
   * http(s) URL is external. Only the origin is used. Default: none.
   */
  readonly siteUrl?: string
  /** Also check http(s) URLs over the network. Default: `false`. */
  readonly external?: boolean
  /** External requests in flight at once. Default: `8`. */
  readonly concurrency?: number
  /** Time limit for each external request, in milliseconds. Default: `10000`. */
  readonly timeoutMs?: number
  /** `fetch` to use for external links (injectable for tests). Default: the global `fetch`. */
  readonly fetch?: typeof fetch
}

/** One broken link, reported once per page at its first occurrence. */
export interface BrokenLink {
  /** Output-relative POSIX path of the page, e.g. `2024/05/12/x/index.html`. */
  readonly page: string
  /** 1-based line of the attribute holding the URL. */
  readonly line: number
  /** 1-based column of the attribute holding the URL. */
  readonly column: number
  /** The URL as written in the page. */
  readonly href: string
  /** Why it is broken. */
  readonly reason: string
}

/** What {@link checkSite} found. */
export interface CheckResult {
  /** HTML pages read. */
  readonly pages: number
  /** URL occurrences checked (internal, plus external ones with `external`). */
  readonly links: number
  /** Broken links, sorted by page, line and column. */
  readonly broken: BrokenLink[]
  /**
   * Set when the network looked unreachable: every external URL, on two or
   * more hosts, failed before any server answered (DNS or network errors such
   * as `ENOTFOUND`, `EAI_AGAIN`, `ENETUNREACH`). Those links are then neither
   * broken nor checked, and none of them is in `broken`.
   */
  readonly offline?: {readonly code: string; readonly unchecked: number; readonly hosts: number} | undefined
}

/** Error codes that say the request never reached any server: no name resolution, no route. */
const networkDownCodes = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'ENETDOWN', 'EHOSTUNREACH'])

const defaults = {concurrency: 8, timeoutMs: 10_000} as const

/** Stand-in origin for pages when no `siteUrl` is given; https so `//host/x` resolves the way it would on a live site. */
const placeholderOrigin = 'https://galley.invalid'

/**
 * Check every internal link, image, script, stylesheet, `srcset` candidate,
 * media source and `#fragment` in the built site at `options.out`, and with
 * `external` every http(s) URL too. URLs are resolved as a browser would
 * from the page's URL under `baseurl` (honouring `<base href>`), and mapped
 * to files the way static hosts do. Broken links come back as data.
 */
export async function checkSite(options: CheckOptions): Promise<CheckResult> {
  const baseurl = normalizeBaseurl(options.baseurl)
  const origin = options.siteUrl === undefined ? placeholderOrigin : new URL(options.siteUrl).origin
  const files = await listFiles(options.out).catch((error: unknown) => {
    throw new Error(`cannot check ${options.out}: it does not exist or is not a folder (build the site first)`, {cause: error})
  })
  const fileSet = new Set(files)
  const pages: Page[] = []
  for (const file of files) {
    if (!isHtml(file)) continue
    const html = await fs.readFile(path.join(options.out, ...file.split('/')), 'utf8')
    pages.push(scanPage(file, html, origin + pageUrl(file, baseurl)))
  }
  const idsByPage = new Map(pages.map((page) => [page.path, page.ids]))

  const broken: BrokenLink[] = []
  const reported = new Set<string>()
  /** Record a broken link once per page and href, at its first occurrence. */
  const report = (page: string, reference: Reference, reason: string): void => {
    const key = page + '\0' + reference.href
    if (reported.has(key)) return
    reported.add(key)
    broken.push({page, line: reference.line, column: reference.column, href: reference.href, reason})
  }

  const external = new Map<string, Array<{page: string; reference: Reference}>>()
  let links = 0
  for (const page of pages) {
    for (const reference of page.references) {
      const target = classify(reference.href, page.base, origin)
      if (target.kind === 'ignored' || (target.kind === 'external' && !options.external)) continue
      links++
      if (target.kind === 'malformed') {
        report(page.path, reference, 'malformed URL')
      } else if (target.kind === 'external') {
        const key = target.url.href.replace(/#.*$/, '') // the fragment is never sent; each URL is fetched once
        const list = external.get(key) ?? []
        list.push({page: page.path, reference})
        external.set(key, list)
      } else {
        const reason = checkInternal(target.url, page.path, baseurl, fileSet, idsByPage)
        if (reason !== undefined) report(page.path, reference, reason)
      }
    }
  }

  if (external.size > 0) {
    const fetchImpl = options.fetch ?? fetch
    const timeoutMs = options.timeoutMs ?? defaults.timeoutMs
    const occurrences = [...external.values()]
    const urls = [...external.keys()]
    const results = await mapLimit(urls, Math.max(1, options.concurrency ?? defaults.concurrency), (url) => probe(url, fetchImpl, timeoutMs))
    const hosts = new Set(urls.map((url) => new URL(url).host))
    const down = results.map((result) => result.networkDown)
    if (hosts.size >= 2 && down.every((code) => code !== undefined)) {
      const unchecked = occurrences.reduce((sum, list) => sum + list.length, 0)
      return {pages: pages.length, links: links - unchecked, broken: sortBroken(broken), offline: {code: down[0] ?? 'ENOTFOUND', unchecked, hosts: hosts.size}}
    }
    for (const [index, result] of results.entries()) {
      if (result.reason !== undefined) for (const {page, reference} of occurrences[index] ?? []) report(page, reference, result.reason)
    }
  }

  return {pages: pages.length, links, broken: sortBroken(broken)}
}

/**
 * One line per broken link, `page:line: href (reason)`, sorted by page,
 * then position.
 */
export function formatBroken(broken: BrokenLink[]): string[] {
  return sortBroken(broken).map((link) => `${link.page}:${link.line}: ${link.href} (${link.reason})`)
}

// ---------------------------------------------------------------------------
// Reading pages

interface Reference {
  readonly href: string
  readonly line: number
  readonly column: number
}

interface Page {
  readonly path: string
  /** URL that relative references resolve against: the page URL, or its `<base href>`. */
  readonly base: string
  /** Every `id`, and every `name` of an `<a>`: the valid fragment targets. */
  readonly ids: Set<string>
  readonly references: Reference[]
}

/** Which attributes of which elements hold a URL (hast property names). */
const urlProperties: Readonly<Record<string, readonly string[]>> = {
  a: ['href', 'xLinkHref'],
  area: ['href'],
  link: ['href'],
  img: ['src'],
  script: ['src', 'xLinkHref'],
  iframe: ['src'],
  embed: ['src'],
  object: ['data'],
  audio: ['src'],
  video: ['src', 'poster'],
  source: ['src'],
  track: ['src'],
  input: ['src'],
  image: ['href', 'xLinkHref'], // svg
  use: ['href', 'xLinkHref'] // svg
}

/** `<link rel>` values that name an origin to warm up, not a resource. */
const originOnlyRels = new Set(['preconnect', 'dns-prefetch'])

function scanPage(file: string, html: string, url: string): Page {
  // verbose: parse5 keeps the position of every attribute, so a report
  // points at `href="…"` itself rather than the start of its element.
  const tree: Root = fromHtml(html, {verbose: true})
  const ids = new Set<string>()
  const references: Reference[] = []
  let base: string | undefined

  visit(tree, 'element', (node: Element) => {
    const {properties} = node
    if (typeof properties.id === 'string' && properties.id !== '') ids.add(properties.id)
    if (node.tagName === 'a' && typeof properties.name === 'string' && properties.name !== '') ids.add(properties.name)

    if (node.tagName === 'base' && base === undefined && typeof properties.href === 'string') {
      try {
        base = new URL(properties.href.trim(), url).href
      } catch {
        // An unusable <base> is ignored by browsers too.
      }
      return
    }
    if (node.tagName === 'link' && Array.isArray(properties.rel) && properties.rel.some((rel) => originOnlyRels.has(String(rel).toLowerCase()))) return

    for (const property of urlProperties[node.tagName] ?? []) {
      const value = properties[property]
      if (typeof value === 'string') references.push({href: value.trim(), ...placeOf(node, property)})
    }
    if ((node.tagName === 'img' || node.tagName === 'source') && typeof properties.srcSet === 'string') {
      const place = placeOf(node, 'srcSet')
      for (const candidate of srcsetUrls(properties.srcSet)) references.push({href: candidate, ...place})
    }
    if (node.tagName === 'meta' && typeof properties.httpEquiv !== 'undefined' && String(properties.httpEquiv).toLowerCase() === 'refresh' && typeof properties.content === 'string') {
      const target = refreshUrl(properties.content)
      if (target !== undefined) references.push({href: target, ...placeOf(node, 'content')})
    }
  })

  return {path: file, base: base ?? url, ids, references: references.filter((reference) => reference.href !== '')}
}

function placeOf(node: Element, property: string): {line: number; column: number} {
  const start = node.data?.position?.properties?.[property]?.start ?? node.position?.start
  return {line: start?.line ?? 1, column: start?.column ?? 1}
}

/**
 * The URLs of a `srcset` attribute, following the HTML parsing algorithm: a
 * URL runs to the next whitespace (trailing commas end it), then
 * descriptors run to the next comma outside parentheses.
 */
function srcsetUrls(value: string): string[] {
  const urls: string[] = []
  const isSpace = (character: string | undefined): boolean => character !== undefined && /[\t\n\f\r ]/.test(character)
  let index = 0
  while (index < value.length) {
    while (index < value.length && (isSpace(value[index]) || value[index] === ',')) index++
    if (index >= value.length) break
    const start = index
    while (index < value.length && !isSpace(value[index])) index++
    let url = value.slice(start, index)
    if (url.endsWith(',')) {
      url = url.replace(/,+$/, '')
      if (url !== '') urls.push(url)
      continue
    }
    urls.push(url)
    let depth = 0
    while (index < value.length) {
      const character = value[index++]
      if (character === '(') depth++
      else if (character === ')') depth = Math.max(0, depth - 1)
      else if (character === ',' && depth === 0) break
    }
  }
  return urls
}

/** The URL of `<meta http-equiv=refresh content="0; url=…">`, if any. */
function refreshUrl(content: string): string | undefined {
  const match = /^\s*\d*(?:\.[\d.]*)?\s*[;,]?\s*(?:url\s*=\s*)?(.*)$/i.exec(content)
  const target = (match?.[1] ?? '').trim().replace(/^(['"])(.*)\1$/, '$2').replace(/^['"]/, '')
  return target === '' ? undefined : target
}

// ---------------------------------------------------------------------------
// Resolving and checking

type Target = {kind: 'ignored'} | {kind: 'malformed'} | {kind: 'internal' | 'external'; url: URL}

function classify(href: string, base: string, origin: string): Target {
  const scheme = /^([a-z][a-z\d+.-]*):/i.exec(href)?.[1]?.toLowerCase()
  if (scheme !== undefined && scheme !== 'http' && scheme !== 'https') return {kind: 'ignored'} // mailto:, tel:, data:, javascript:, …
  let url: URL
  try {
    url = new URL(href, base)
  } catch {
    return {kind: 'malformed'}
  }
  return {kind: url.origin === origin ? 'internal' : 'external', url}
}

/** Why an internal URL is broken, or `undefined` when it resolves. */
function checkInternal(url: URL, page: string, baseurl: string, files: ReadonlySet<string>, idsByPage: ReadonlyMap<string, ReadonlySet<string>>): string | undefined {
  const pathname = url.pathname
  // `/blog//x` resolves on most servers but is a different URL (a second copy for search engines, broken relative links).
  if (pathname.includes('//')) return 'doubled slash in the path'
  if (baseurl !== '' && pathname !== baseurl && !pathname.startsWith(baseurl + '/')) return `outside the site's base path ${baseurl}`
  let rest: string
  try {
    rest = decodeURIComponent(pathname.slice(baseurl.length))
  } catch {
    return 'malformed percent-encoding'
  }
  rest = path.posix.normalize('/' + rest).slice(1)
  if (rest === '..' || rest.startsWith('../')) return `outside the site's base path ${baseurl || '/'}`

  const candidates = rest === '' || rest.endsWith('/') ? [rest + 'index.html'] : [rest, rest + '.html', rest + '/index.html']
  const target = candidates.find((candidate) => files.has(candidate))
  if (target === undefined) return `file not found: ${candidates.join(', ')}`

  const fragment = url.hash.slice(1)
  if (fragment === '' || !isHtml(target)) return undefined
  const ids = idsByPage.get(target)
  if (ids === undefined || hasFragment(ids, fragment)) return undefined
  return `no element with id "${safeDecode(fragment)}" ${target === page ? 'on this page' : 'in ' + target}`
}

/** HTML's fragment lookup: the raw id, then the decoded one; `#top` always scrolls to the top. */
function hasFragment(ids: ReadonlySet<string>, fragment: string): boolean {
  const decoded = safeDecode(fragment)
  return ids.has(fragment) || ids.has(decoded) || decoded.toLowerCase() === 'top'
}


// ---------------------------------------------------------------------------
// External URLs

/**
 * Why an external URL is broken (`reason`, undefined when it answers below
 * 400), and the error code when the request reached no server at all.
 */
async function probe(url: string, fetchImpl: typeof fetch, timeoutMs: number): Promise<{reason: string | undefined; networkDown?: string | undefined}> {
  try {
    let status = await request(url, 'HEAD', fetchImpl, timeoutMs)
    if (status === 405 || status === 501) status = await request(url, 'GET', fetchImpl, timeoutMs)
    return {reason: status >= 400 ? `HTTP ${status}` : undefined}
  } catch (error) {
    if (error instanceof RequestTimeout) return {reason: `timed out after ${timeoutMs} ms`}
    const code = describe(error)
    return {reason: `network error: ${code}`, networkDown: networkDownCodes.has(code) ? code : undefined}
  }
}

class RequestTimeout extends Error {}

async function request(url: string, method: 'HEAD' | 'GET', fetchImpl: typeof fetch, timeoutMs: number): Promise<number> {
  const controller = new AbortController()
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    controller.abort()
  }, timeoutMs)
  try {
    const response = await fetchImpl(url, {method, signal: controller.signal, redirect: 'follow', headers: {'user-agent': 'galley-check'}})
    // Only the status matters; release the connection without reading the body.
    await response.body?.cancel().catch(() => undefined)
    return response.status
  } catch (error) {
    throw timedOut ? new RequestTimeout('timed out', {cause: error}) : error
  } finally {
    clearTimeout(timer)
  }
}

function describe(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined
  if (cause instanceof Error) return (cause as {code?: string}).code ?? cause.message
  return error instanceof Error ? error.message : String(error)
}

/** Map `items` through `work` with at most `limit` calls pending; results keep the input order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  async function worker(): Promise<void> {
    while (next < items.length) {
      const index = next++
      results[index] = await work(items[index] as T)
    }
  }
  await Promise.all(Array.from({length: Math.min(limit, items.length)}, worker))
  return results
}

// ---------------------------------------------------------------------------
// Helpers

function normalizeBaseurl(baseurl: string): string {
  const trimmed = baseurl.trim().replace(/\/+$/, '')
  return trimmed === '' ? '' : trimmed.startsWith('/') ? trimmed : '/' + trimmed
}

/** The URL path a page is served at: `a/index.html` → `/blog/a/`, `a.html` → `/blog/a.html`. */
function pageUrl(file: string, baseurl: string): string {
  const served = file === 'index.html' ? '' : file.endsWith('/index.html') ? file.slice(0, -'index.html'.length) : file
  return baseurl + '/' + served.split('/').map(encodeURIComponent).join('/')
}

function isHtml(file: string): boolean {
  return /\.html?$/i.test(file)
}

async function listFiles(root: string): Promise<string[]> {
  const found: string[] = []
  async function walk(relative: string): Promise<void> {
    const entries = await fs.readdir(relative === '' ? root : path.join(root, relative), {withFileTypes: true})
    for (const entry of entries) {
      const child = relative === '' ? entry.name : relative + '/' + entry.name
      const stats = entry.isSymbolicLink() ? await fs.stat(path.join(root, child)).catch(() => undefined) : entry
      if (entry.isDirectory()) await walk(child) // symlinked folders are not followed: no cycles
      else if (stats?.isFile()) found.push(child)
    }
  }
  await walk('')
  return found.sort()
}

function sortBroken(broken: readonly BrokenLink[]): BrokenLink[] {
  return [...broken].sort((a, b) => compare(a.page, b.page) || a.line - b.line || a.column - b.column || compare(a.href, b.href))
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
