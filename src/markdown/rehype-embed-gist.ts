import type {Element, Root} from 'hast'
import type {VFile} from 'vfile'
import {SKIP, visit} from './walk.js'
import {element, positionOf} from './hast-nodes.js'
import {parseAbsoluteUrl} from './url-attributes.js'
import {sourceMayHold} from './source-check.js'

/**
 * Hosts whose scripts serve only GitHub gist embeds. When a site opts out of
 * this plugin, the pipeline passes them to `rehypeThirdPartyScripts` as
 * `allowedHosts`, so the script the author kept is not reported.
 */
export const SCRIPT_HOSTS: readonly string[] = Object.freeze(['gist.github.com'])

/** A gist read from its embed script's URL. */
export interface Gist {
  /** The owner, when the URL names one (`/USER/ID.js`; `/ID.js` does not). */
  readonly user: string | undefined
  readonly id: string
  /** The one file to show (`?file=name`), if any. */
  readonly file: string | undefined
}

/**
 * Replace gist embed scripts (`<script src="https://gist.github.com/USER/ID.js">`,
 * which `document.write`s the gist into the page) with a link to the gist:
 *
 * ```html
 * <p class="embed-gist"><a href="https://gist.github.com/USER/ID">View the gist USER/ID on GitHub</a></p>
 * ```
 *
 * With `?file=name.py` the link text names the file (“View name.py from the
 * gist USER/ID on GitHub”) and the link goes to that file's anchor. A script
 * written inside a line of text becomes a `span.embed-gist` instead, so the
 * paragraph stays valid. Other gist.github.com scripts are left for
 * `rehypeThirdPartyScripts` to report.
 */
export function rehypeEmbedGist() {
  return function transform(tree: Root, file: VFile): void {
    if (!sourceMayHold(file, /<script/i)) return
    visit(tree, 'element', (node: Element, index, parent) => {
      if (node.tagName !== 'script' || parent === undefined || index === undefined) return undefined
      const src = node.properties.src
      const gist = typeof src === 'string' ? parseGistScript(src) : undefined
      if (gist === undefined) return SKIP
      const inline = parent.type === 'element' && parent.tagName === 'p'
      parent.children[index] = toLink(node, gist, inline ? 'span' : 'p')
      return SKIP
    })
  }
}

/** Read `https://gist.github.com/USER/ID.js[?file=x]` (also `http:`, protocol-relative, no USER). */
export function parseGistScript(src: string): Gist | undefined {
  const url = parseAbsoluteUrl(src)
  if (url === undefined) return undefined
  if (url.hostname.toLowerCase() !== 'gist.github.com') return undefined
  const match = /^\/(?:([A-Za-z\d](?:[A-Za-z\d-]*[A-Za-z\d])?)\/)?([\da-f]+)\.js$/i.exec(url.pathname)
  if (match === null || match[2] === undefined) return undefined
  const file = url.searchParams.get('file')
  return {user: match[1], id: match[2], file: file === null || file.trim() === '' ? undefined : file.trim()}
}

function toLink(script: Element, gist: Gist, tagName: 'p' | 'span'): Element {
  const name = gist.user === undefined ? gist.id : `${gist.user}/${gist.id}`
  const href = `https://gist.github.com/${name}` + (gist.file === undefined ? '' : `#file-${gist.file.toLowerCase().replace(/[^a-z\d_-]/g, '-')}`)
  const label = gist.file === undefined ? `View the gist ${name} on GitHub` : `View ${gist.file} from the gist ${name} on GitHub`
  const link = element('a', {href}, [{type: 'text', value: label, ...positionOf(script)}], script)
  return element(tagName, {className: ['embed-gist']}, [link], script)
}

