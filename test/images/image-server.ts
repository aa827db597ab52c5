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
  close(): Promise<void>
}

export async function startImageServer(): Promise<ImageServer> {
  const routes = new Map<string, Route>()
  const hits = new Map<string, number>()
  const sockets = new Set<import('node:net').Socket>()
  const server: Server = createServer((request, response) => {
    const url = request.url ?? '/'
    const count = (hits.get(url) ?? 0) + 1
    hits.set(url, count)
    const handler = routes.get(url) ?? routes.get(url.split('?')[0] ?? url)
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
