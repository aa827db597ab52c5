import {isIP} from 'node:net'

/**
 * Which `Host` and `Origin` headers the preview answers. A page on another
 * site can point its own domain name at 127.0.0.1 (DNS rebinding) and then
 * read the preview, drafts and all, as if it were same-origin: its requests
 * carry that domain in `Host`. The preview therefore answers only requests
 * addressed to where it listens: `127.0.0.1`, `localhost` or `[::1]` (or
 * the `--host` given) with its own port. When it listens on every interface
 * (`0.0.0.0`, `::`), any IP address is accepted as well (no name, so no
 * rebinding).
 */
export interface HostCheck {
  /** Whether a request with this `Host` header, received on `port`, may be answered. */
  host(header: string | undefined, port: number): boolean
  /** Whether an `Origin` header (absent on same-origin requests) may use the event stream on `port`. */
  origin(header: string | undefined, port: number): boolean
}

const loopbackNames = ['127.0.0.1', 'localhost', '[::1]']

/** The check for a preview bound to `listenHost` (the `--host` value). */
export function createHostCheck(listenHost: string): HostCheck {
  const bound = normaliseName(listenHost.includes(':') && !listenHost.startsWith('[') ? `[${listenHost}]` : listenHost)
  const wildcard = bound === '0.0.0.0' || bound === '[::]'
  const names = new Set([...loopbackNames, bound])
  const allowedName = (name: string) => names.has(name) || (wildcard && isIP(name.replace(/^\[|\]$/g, '')) !== 0)
  const check = (authority: string, port: number): boolean => {
    const parsed = splitAuthority(authority)
    return parsed !== undefined && allowedName(parsed.name) && (parsed.port ?? 80) === port
  }
  return {
    host: (header, port) => header !== undefined && check(header, port),
    origin(header, port) {
      if (header === undefined) return true
      const match = /^http:\/\/([^/]+)$/i.exec(header.trim())
      return match?.[1] !== undefined && check(match[1], port)
    }
  }
}

/** `name:port` or `[v6]:port` → the lower-cased name and the port (undefined when not given); undefined when malformed. */
function splitAuthority(authority: string): {name: string; port: number | undefined} | undefined {
  const match = /^(\[[\da-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/i.exec(authority.trim())
  if (!match?.[1]) return undefined
  return {name: normaliseName(match[1]), port: match[2] === undefined ? undefined : Number(match[2])}
}

function normaliseName(name: string): string {
  return name.toLowerCase().replace(/\.$/, '')
}
