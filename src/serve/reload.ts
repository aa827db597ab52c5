import type {IncomingMessage, ServerResponse} from 'node:http'

/** Where the preview's own endpoints live; never a path a site uses. */
export const RELOAD_PREFIX = '/__galley/'

/** A build failure as the browser overlay shows it. */
export interface BuildFailure {
  /** `path:line:column: error: message` lines, as the console prints them. */
  readonly lines: readonly string[]
  /** The source line of the first error, when it could be read. */
  readonly source?: {readonly file: string; readonly line: number; readonly text: string} | undefined
}

/** The warnings of a build as the page's badge shows them: the first lines, and how many there are in all. */
export interface BuildWarnings {
  readonly lines: readonly string[]
  readonly total: number
}

/** How many warning lines go to the page; the badge still counts them all. */
export const BADGE_LINES = 200

/**
 * Live reload over server-sent events, with a revision counter (Lume's
 * approach): every page carries the revision it was served at, and a page
 * that connects after a newer build is told to reload at once, so a save
 * made between the page load and the connection is never missed.
 */
export interface ReloadHub {
  readonly revision: () => number
  /** A new build is being served: `css` when only stylesheets changed, else `reload`. */
  published(kind: 'reload' | 'css'): void
  /** The last build failed: show the overlay until the next good build. */
  failed(failure: BuildFailure): void
  /**
   * The warnings of the last build (`path:line:column: warning: …` lines):
   * open pages show their count in a small badge that lists them; an empty
   * list removes it. Kept for pages that connect later.
   */
  warned(warnings: BuildWarnings): void
  /** Handle `GET /__galley/events?since=N`. */
  connect(request: IncomingMessage, response: ServerResponse): void
  close(): void
}

export function createReloadHub(): ReloadHub {
  let revision = 1
  let failure: BuildFailure | undefined
  let warnings: BuildWarnings = {lines: [], total: 0}
  let closed = false
  const clients = new Set<ServerResponse>()

  const send = (response: ServerResponse, event: string, data: unknown) => {
    response.write(`id: ${revision}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`)
  }
  const broadcast = (event: string, data: unknown) => {
    for (const client of clients) send(client, event, data)
  }

  return {
    revision: () => revision,
    published(kind) {
      revision++
      failure = undefined
      broadcast(kind, {revision})
    },
    failed(next) {
      failure = next
      broadcast('build-error', next)
    },
    warned(next) {
      const same = next.total === warnings.total && next.lines.length === warnings.lines.length && next.lines.every((line, index) => line === warnings.lines[index])
      warnings = {lines: next.lines.slice(0, BADGE_LINES), total: next.total}
      if (!same) broadcast('warnings', warnings)
    },
    connect(request, response) {
      if (closed) {
        response.writeHead(503, {'content-type': 'text/plain; charset=utf-8'})
        response.end('The preview is stopping.\n')
        return
      }
      response.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive'
      })
      response.write('retry: 500\n\n')
      clients.add(response)
      request.on('close', () => clients.delete(response))
      // The page's own revision, or — on a reconnect — the last event the page saw.
      const asked = Number(new URL(request.url ?? '/', 'http://localhost').searchParams.get('since'))
      const lastSeen = Number(request.headers['last-event-id'])
      const since = Math.max(Number.isFinite(asked) ? asked : 0, Number.isFinite(lastSeen) ? lastSeen : 0)
      if (warnings.total > 0) send(response, 'warnings', warnings)
      if (failure) send(response, 'build-error', failure)
      else if (Number.isFinite(since) && since > 0 && since < revision) send(response, 'reload', {revision})
    },
    close() {
      closed = true
      for (const client of clients) client.end()
      clients.clear()
    }
  }
}

/** The tags injected into every HTML page the preview serves (never into a built site). */
export function reloadSnippet(revision: number): string {
  return `<meta name="galley-revision" content="${revision}"><script src="${RELOAD_PREFIX}client.js" defer></script>`
}

/** Put the snippet before `</head>` (or at the start when a page has no head). */
export function injectReload(html: string, revision: number): string {
  const snippet = reloadSnippet(revision)
  const at = html.search(/<\/head\s*>/i)
  return at === -1 ? snippet + html : html.slice(0, at) + snippet + html.slice(at)
}

/**
 * The browser side: reload on `reload`, swap stylesheets on `css` (no reload,
 * scroll and state kept), show a full-page overlay on `build-error`, and a
 * small badge counting the build's warnings on `warnings`: a click lists
 * them, × dismisses it until the warnings change (remembered for the tab in
 * sessionStorage, so a reload does not bring the same list back). Every
 * text goes in through textContent, never as HTML.
 */
export const clientScript = `(() => {
  const meta = document.querySelector('meta[name="galley-revision"]')
  const since = meta ? meta.content : '0'
  const events = new EventSource('${RELOAD_PREFIX}events?since=' + encodeURIComponent(since))
  events.addEventListener('reload', () => location.reload())
  events.addEventListener('css', () => {
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
      const url = new URL(link.href, location.href)
      if (url.origin !== location.origin) continue
      url.searchParams.set('galley-revision', String(Date.now()))
      const next = link.cloneNode()
      next.href = url.href
      next.addEventListener('load', () => link.remove(), {once: true})
      link.after(next)
    }
    document.getElementById('galley-error-overlay')?.remove()
  })
  const DISMISSED = 'galley-warnings-dismissed'
  events.addEventListener('warnings', (event) => {
    const warnings = JSON.parse(event.data)
    document.getElementById('galley-warnings')?.remove()
    let dismissed = null
    try { dismissed = sessionStorage.getItem(DISMISSED) } catch {}
    if (warnings.total === 0 || dismissed === event.data) return
    const badge = document.createElement('div')
    badge.id = 'galley-warnings'
    badge.setAttribute('role', 'status')
    badge.style.cssText = 'position:fixed;right:12px;bottom:12px;z-index:2147483646;max-width:min(44rem,calc(100vw - 24px));font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;color:#1d1d1f'
    const bar = document.createElement('div')
    bar.style.cssText = 'display:flex;justify-content:flex-end;gap:4px'
    const toggle = document.createElement('button')
    toggle.type = 'button'
    toggle.className = 'galley-warnings-count'
    toggle.textContent = warnings.total + (warnings.total === 1 ? ' warning' : ' warnings')
    toggle.setAttribute('aria-expanded', 'false')
    toggle.style.cssText = 'cursor:pointer;border:1px solid #c28b00;border-radius:999px;padding:2px 10px;background:#ffd479;color:#1d1d1f;font:inherit'
    const close = document.createElement('button')
    close.type = 'button'
    close.className = 'galley-warnings-dismiss'
    close.textContent = '×'
    close.setAttribute('aria-label', 'Dismiss the warnings')
    close.style.cssText = 'cursor:pointer;border:1px solid #c28b00;border-radius:999px;padding:2px 8px;background:#fff;color:#1d1d1f;font:inherit'
    const list = document.createElement('ul')
    list.className = 'galley-warnings-list'
    list.hidden = true
    list.style.cssText = 'margin:6px 0 0;padding:8px 12px;list-style:none;max-height:50vh;overflow:auto;background:#fffdf5;border:1px solid #c28b00;border-radius:6px;white-space:pre-wrap;word-break:break-word'
    for (const line of warnings.lines) {
      const item = document.createElement('li')
      item.textContent = line
      list.append(item)
    }
    if (warnings.total > warnings.lines.length) {
      const item = document.createElement('li')
      item.textContent = '… and ' + (warnings.total - warnings.lines.length) + ' more (see the terminal)'
      list.append(item)
    }
    toggle.addEventListener('click', () => {
      list.hidden = !list.hidden
      toggle.setAttribute('aria-expanded', String(!list.hidden))
    })
    close.addEventListener('click', () => {
      try { sessionStorage.setItem(DISMISSED, event.data) } catch {}
      badge.remove()
    })
    bar.append(toggle, close)
    badge.append(bar, list)
    document.body.append(badge)
  })
  events.addEventListener('build-error', (event) => {
    const failure = JSON.parse(event.data)
    let overlay = document.getElementById('galley-error-overlay')
    if (!overlay) {
      overlay = document.createElement('div')
      overlay.id = 'galley-error-overlay'
      overlay.setAttribute('role', 'alert')
      overlay.style.cssText = 'position:fixed;inset:0;z-index:2147483647;overflow:auto;margin:0;padding:2rem;background:#141418;color:#f5f5f5;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;white-space:pre-wrap'
      document.body.append(overlay)
    }
    const title = document.createElement('strong')
    title.textContent = 'Galley: the build failed. Fix the file and save; this page reloads by itself.'
    title.style.cssText = 'display:block;color:#ff8080;font-size:16px;margin-bottom:1rem'
    const lines = document.createElement('div')
    lines.textContent = failure.lines.join('\\n')
    overlay.replaceChildren(title, lines)
    if (failure.source) {
      const source = document.createElement('pre')
      source.textContent = failure.source.file + ':' + failure.source.line + '\\n' + String(failure.source.line).padStart(5) + ' | ' + failure.source.text
      source.style.cssText = 'margin-top:1rem;padding:1rem;background:#000;color:#ffd479;border-left:4px solid #ff8080'
      overlay.append(source)
    }
  })
})()
`
