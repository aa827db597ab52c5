import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http'
import type {AddressInfo} from 'node:net'
import sharp from 'sharp'

/** A PNG of `width`×`height` in one colour, for test images (deterministic bytes). */
export function makePng(width: number, height: number, colour = '#3366aa'): Promise<Buffer> {
  return sharp({create: {width, height, channels: 3, background: colour}}).png().toBuffer()
}

export function makeJpeg(width: number, height: number, colour = '#aa6633'): Promise<Buffer> {
  return sharp({create: {width, height, channels: 3, background: colour}}).jpeg().toBuffer()
}

type Route = (request: IncomingMessage, response: ServerResponse, hits: number) => void | Promise<void>

/** A local stand-in for a CDN on 127.0.0.1: routes by path, counting requests per path. */
export interface ImageServer {
  readonly origin: string
  /** Requests seen per path (query included). */
  readonly hits: Map<string, number>
  route(path: string, handler: Route): void
  /** Answer every path no route names. */
  fallback(handler: Route): void
  close(): Promise<void>
}

export async function startImageServer(): Promise<ImageServer> {
  const routes = new Map<string, Route>()
  let fallback: Route | undefined
  const hits = new Map<string, number>()
  const sockets = new Set<import('node:net').Socket>()
  const server: Server = createServer((request, response) => {
    const url = request.url ?? '/'
    const count = (hits.get(url) ?? 0) + 1
    hits.set(url, count)
    const handler = routes.get(url) ?? routes.get(url.split('?')[0] ?? url) ?? fallback
    if (!handler) {
      response.writeHead(404, {'content-type': 'text/html'})
      response.end('<html><body>not found</body></html>')
      return
    }
    void Promise.resolve(handler(request, response, count)).catch(() => response.destroy())
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    hits,
    route: (path, handler) => void routes.set(path, handler),
    fallback: (handler) => void (fallback = handler),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      })
  }
}

/** A handler that answers `bytes` as `type`. */
export function serve(bytes: Uint8Array | string, type: string): Route {
  return (_request, response) => {
    response.writeHead(200, {'content-type': type, 'content-length': Buffer.byteLength(bytes)})
    response.end(bytes)
  }
}

const types: Record<string, string> = {'.html': 'text/html; charset=utf-8', '.css': 'text/css', '.png': 'image/png', '.jpg': 'image/jpeg', '.avif': 'image/avif', '.webp': 'image/webp', '.svg': 'image/svg+xml', '.gif': 'image/gif', '.js': 'text/javascript', '.xml': 'application/xml'}

/** A static file server for a built site on 127.0.0.1 (folder URLs → index.html), as a static host serves it. */
export async function serveFolder(dir: string): Promise<ImageServer> {
  const {promises: fs} = await import('node:fs')
  const path = await import('node:path')
  const server = await startImageServer()
  const handler: Route = async (request, response) => {
    let pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)
    if (pathname.endsWith('/')) pathname += 'index.html'
    const file = path.join(dir, pathname)
    try {
      const bytes = await fs.readFile(file)
      response.writeHead(200, {'content-type': types[path.extname(file)] ?? 'application/octet-stream'})
      response.end(bytes)
    } catch {
      response.writeHead(404)
      response.end()
    }
  }
  server.fallback(handler)
  return server
}
