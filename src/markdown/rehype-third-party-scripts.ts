import type {Element, Root} from 'hast'
import {toString} from 'hast-util-to-string'
import {SKIP, visit} from './walk.js'
import type {VFile} from 'vfile'
import {report} from '../report.js'
import {sourceMayHold} from './source-check.js'

export interface ThirdPartyScriptsOptions {
  /**
   * Hosts whose scripts are not reported, compared case-insensitively and
   * exactly (`cdn.example.com` does not cover `www.cdn.example.com`). The
   * pipeline passes the site's own host (from `url`) and the `SCRIPT_HOSTS`
   * of every embed kind the site opted out of.
   * Default: none.
   */
  readonly allowedHosts?: readonly string[]
}

const emptyOptions: ThirdPartyScriptsOptions = {}

/**
 * `type` values (MIME essence, lower case) browsers run as classic scripts
 * (HTML standard, “JavaScript MIME type”), plus `module`. A script of any
 * other type is a data block (`application/ld+json`, `math/tex`,
 * `text/x-mathjax-config`, `importmap`, …): the browser never runs it.
 */
const javaScriptTypes = new Set([
  '',
  'module',
  'application/ecmascript',
  'application/javascript',
  'application/x-ecmascript',
  'application/x-javascript',
  'text/ecmascript',
  'text/javascript',
  'text/javascript1.0',
  'text/javascript1.1',
  'text/javascript1.2',
  'text/javascript1.3',
  'text/javascript1.4',
  'text/javascript1.5',
  'text/jscript',
  'text/livescript',
  'text/x-ecmascript',
  'text/x-javascript'
])

/**
 * Report the scripts a post still runs after the embed plugins made their
 * embeds static: each one makes every reader's browser run code, and a
 * third-party one also tells that host about every visit. Scripts are kept
 * (the author may need them, as charts and demos do) and reported as
 * warnings at their position:
 *
 * - `<script src>` from another host (`https:`, `http:` or protocol-relative
 *   `//host/…`) that is not in `allowedHosts`;
 * - `<script src="data:…">`;
 * - inline scripts (no `src`, or an empty one) with any code in them.
 *
 * Relative and root-relative `src` are the site's own and are not reported;
 * nor are data blocks (`type="application/ld+json"`, `math/tex`, …).
 * Run it after the embed plugins, so the scripts they remove are not reported.
 */
export function rehypeThirdPartyScripts(options: ThirdPartyScriptsOptions = emptyOptions) {
  const allowed = new Set((options.allowedHosts ?? []).map((host) => host.trim().toLowerCase()))
  return function transform(tree: Root, file: VFile): void {
    if (!sourceMayHold(file, /<script/i)) return
    visit(tree, 'element', (node: Element) => {
      if (node.tagName !== 'script') return undefined
      if (!runsAsJavaScript(node)) return SKIP
      const reason = problemOf(node, allowed)
      if (reason !== undefined) {
        report(file, {reason, ruleId: reason.startsWith('inline') ? 'inline-script' : 'third-party-script', severity: 'warning', place: node.position})
      }
      return SKIP
    })
  }
}

function problemOf(script: Element, allowed: ReadonlySet<string>): string | undefined {
  const src = script.properties.src
  if (typeof src !== 'string' || src.trim() === '') {
    return toString(script).trim() === '' ? undefined : 'inline script kept: it runs on every visit to this page'
  }
  const value = src.trim()
  if (/^data:/i.test(value)) return 'inline script (a `data:` URL) kept: it runs on every visit to this page'
  const host = hostOf(value)
  if (host === undefined || allowed.has(host)) return undefined
  return `third-party script from ${host} is kept: it runs on every visit to this page`
}

/**
 * Whether the browser runs this `<script>`: its `type` is absent, empty,
 * `module` or a JavaScript MIME type (any case); with no `type`, a legacy
 * `language="javascript"` counts as `text/javascript`. Parameters are
 * ignored (`text/javascript; charset=utf-8` counts as JavaScript): the
 * standard says a browser treats that as data, but reporting one script too
 * many is cheaper than missing one.
 */
function runsAsJavaScript(script: Element): boolean {
  const type = script.properties.type
  const language = script.properties.language
  if (type === undefined || type === null) {
    return typeof language !== 'string' || language.trim() === '' || javaScriptTypes.has('text/' + language.trim().toLowerCase())
  }
  return javaScriptTypes.has(String(type).split(';')[0]?.trim().toLowerCase() ?? '')
}

/** Lower-case host of an absolute or protocol-relative URL; undefined for the site's own (relative) URLs. */
function hostOf(url: string): string | undefined {
  if (!/^([a-z][a-z\d+.-]*:)?\/\//i.test(url)) return undefined
  try {
    return new URL(url.startsWith('//') ? 'https:' + url : url).hostname.toLowerCase() || undefined
  } catch {
    return undefined
  }
}
