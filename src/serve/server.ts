import {createReadStream} from 'node:fs'
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http'
import path from 'node:path'
import type {HostCheck} from './host-check.js'
import {clientScript, injectReload, RELOAD_PREFIX, type ReloadHub} from './reload.js'

/** What the preview serves: generated files in memory, copied files from their source. */
export interface ServedSite {
  /** Output path → contents. */
  readonly outputs: ReadonlyMap<string, string | Uint8Array>
  /** Output path → render, for pages left to render on first request; undefined when rendering failed. */
  readonly deferred?: ReadonlyMap<string, () => Promise<string | Uint8Array | undefined>>
  /** Output path → absolute source file. Only these files are ever read from disk. */
  readonly copies: ReadonlyMap<string, string>
  /** `''` or `/blog`. */
  readonly baseurl: string
}

const types: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.pdf': 'application/pdf',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
  '.webmanifest': 'application/manifest+json; charset=utf-8'
}

/** Content type by output path; feeds get their own types. */
export function contentType(file: string): string {
  if (file === 'feed.xml' || file.endsWith('/feed.xml')) return 'application/atom+xml; charset=utf-8'
  if (file === 'feed.json' || file.endsWith('/feed.json')) return 'application/feed+json; charset=utf-8'
  return types[path.posix.extname(file).toLowerCase()] ?? 'application/octet-stream'
}

export type Lookup = {kind: 'found'; file: string} | {kind: 'redirect'; location: string} | {kind: 'missing'}

/**
 * Map a request path to an output path, the way static hosts do:
 * `/blog/a/` → `a/index.html`, `/blog/a` → `a`, `a.html`, or a redirect to
 * `/blog/a/`. The path is decoded once and must stay inside the site: any
 * `..` segment (raw or encoded), backslash or NUL is refused — and only
 * files the build knows are ever served, so nothing outside the output
 * (a symlink, a parent folder) can be reached.
 */
export function lookup(site: ServedSite, requestPath: string): Lookup {
  let decoded: string
  try {
    decoded = decodeURIComponent(requestPath)
  } catch {
    return {kind: 'missing'}
  }
  if (decoded.includes('\0') || decoded.includes('\\') || decoded.split('/').some((segment) => segment === '..' || segment === '.')) return {kind: 'missing'}
  if (site.baseurl !== '') {
    if (decoded === site.baseurl) return {kind: 'redirect', location: site.baseurl + '/'}
    if (!decoded.startsWith(site.baseurl + '/')) return decoded === '/' ? {kind: 'redirect', location: site.baseurl + '/'} : {kind: 'missing'}
    decoded = decoded.slice(site.baseurl.length)
  }
  const relative = decoded.replace(/^\/+/, '')
  const has = (file: string) => site.outputs.has(file) || site.copies.has(file) || (site.deferred?.has(file) ?? false)
  if (relative === '' || relative.endsWith('/')) return has(relative + 'index.html') ? {kind: 'found', file: relative + 'index.html'} : {kind: 'missing'}
  if (has(relative)) return {kind: 'found', file: relative}
  if (has(relative + '/index.html')) return {kind: 'redirect', location: site.baseurl + '/' + relative + '/'}
  if (has(relative + '.html')) return {kind: 'found', file: relative + '.html'}
  return {kind: 'missing'}
}

/**
 * The preview's HTTP server: the site from memory, the reload endpoints, the
 * site's 404 page for anything else. With `hosts`, a request addressed to
 * another host (or an event stream asked for by another origin) gets 403.
 */
export function createPreviewServer(current: () => ServedSite, hub: ReloadHub, hosts?: HostCheck): Server {
  return createServer((request, response) => {
    try {
      if (hosts && !allowed(request, hosts)) {
        response.writeHead(403, {'content-type': 'text/plain; charset=utf-8'})
        response.end('Forbidden: the Galley preview answers only requests addressed to the address it listens on.\n')
        return
      }
      handle(request, response, current(), hub)
    } catch (error) {
      response.writeHead(500, {'content-type': 'text/plain; charset=utf-8'})
      response.end(`galley: ${(error as Error).message}\n`)
    }
  })
}

function allowed(request: IncomingMessage, hosts: HostCheck): boolean {
  const port = request.socket.localPort ?? 0
  if (!hosts.host(request.headers.host, port)) return false
  const pathname = new URL(request.url ?? '/', 'http://localhost').pathname
  return pathname !== RELOAD_PREFIX + 'events' || hosts.origin(request.headers.origin, port)
}

function handle(request: IncomingMessage, response: ServerResponse, site: ServedSite, hub: ReloadHub): void {
  const url = new URL(request.url ?? '/', 'http://localhost')
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, {allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8'})
    response.end('Method not allowed\n')
    return
  }
  if (url.pathname === RELOAD_PREFIX + 'events') return hub.connect(request, response)
  if (url.pathname === RELOAD_PREFIX + 'client.js') {
    response.writeHead(200, {'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store'})
    response.end(request.method === 'HEAD' ? undefined : clientScript)
    return
  }
  const found = lookup(site, url.pathname)
  if (found.kind === 'redirect') {
    response.writeHead(301, {location: found.location + url.search})
    response.end()
    return
  }
  if (found.kind === 'missing') return void send(request, response, 404, '404.html', site, hub)
  void send(request, response, 200, found.file, site, hub)
}

async function send(request: IncomingMessage, response: ServerResponse, status: number, file: string, site: ServedSite, hub: ReloadHub): Promise<void> {
  const headers = {'content-type': contentType(file), 'cache-control': 'no-store'}
  const render = site.deferred?.get(file)
  const text = site.outputs.get(file) ?? (render ? await render() : undefined)
  if (render && text === undefined) {
    response.writeHead(500, {'content-type': 'text/plain; charset=utf-8'})
    response.end(`Galley could not render ${file}: the errors are in the terminal.\n`)
    return
  }
  if (text !== undefined) {
    const body = file.endsWith('.html') && typeof text === 'string' ? injectReload(text, hub.revision()) : text
    response.writeHead(status, {...headers, 'content-length': Buffer.byteLength(body)})
    response.end(request.method === 'HEAD' ? undefined : body)
    return
  }
  const source = site.copies.get(file)
  if (source === undefined) {
    response.writeHead(404, {'content-type': 'text/plain; charset=utf-8'})
    response.end('Not found\n')
    return
  }
  response.writeHead(status, headers)
  if (request.method === 'HEAD') return void response.end()
  createReadStream(source)
    .on('error', () => response.destroy())
    .pipe(response)
}
