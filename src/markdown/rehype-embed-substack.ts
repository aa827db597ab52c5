import type {Element, ElementContent, Parents, Root} from 'hast'
import {toString} from 'hast-util-to-string'
import {SKIP, visit} from './walk.js'
import type {VFile} from 'vfile'
import {report} from '../report.js'
import {element, removeNodes, textNode} from './hast-nodes.js'
import {parseAbsoluteUrl} from './url-attributes.js'
import {sourceMayHold} from './source-check.js'

/**
 * Hosts whose scripts serve only Substack embeds. When a site opts out of
 * this plugin, the pipeline passes them to `rehypeThirdPartyScripts` as
 * `allowedHosts`, so the script the author kept is not reported.
 */
export const SCRIPT_HOSTS: readonly string[] = Object.freeze(['substack.com'])

/**
 * Turn Substack post embeds into static cards, with no script and no iframe.
 *
 * Substack's embed code is a `div.substack-post-embed` holding
 * `<p lang>TITLE by AUTHOR</p>`, an optional subtitle `<p>` (empty when
 * there is none) and `<a data-post-link href>`, followed by
 * `<script src="https://substack.com/embedjs/embed.js">`, which swaps the
 * div for an iframe. Each embed becomes:
 *
 * ```html
 * <div class="embed-card embed-card-substack" lang="en">
 *   <p class="embed-card-title"><a class="embed-card-link" href="HREF">TITLE</a></p>
 *   <p class="embed-card-subtitle">SUBTITLE</p>
 *   <p class="embed-card-meta"><span class="embed-card-author">AUTHOR</span><span class="embed-card-separator"> · </span><span class="embed-card-host">HOST</span><span class="embed-card-separator"> · </span><time datetime="DATE">DATE</time></p>
 *   <p class="embed-card-action"><a href="HREF">Read on Substack</a></p>
 * </div>
 * ```
 *
 * (without the whitespace). The title and author are split at the last
 * ` by `; parts that are absent are left out. The theme's stylesheet draws
 * its own copy of Substack's mark before the meta line (assets/embeds/
 * substack.svg: never fetched from Substack, and no image in the content
 * for feeds to show or lazy loading to count); the date is shown when
 * the embed says it (a `<time datetime>` inside it or `data-post-date` on
 * it); the call to action keeps the embed's own link text. The theme
 * stretches the title's link over the whole card. Once the post has any Substack
 * embed, every `embed.js` script in it is removed: it serves nothing else.
 * An embed without a link or a title is left as written and reported.
 */
export function rehypeEmbedSubstack() {
  return function transform(tree: Root, file: VFile): void {
    if (!sourceMayHold(file, 'substack-post-embed')) return
    let found = false
    visit(tree, 'element', (node: Element, index, parent) => {
      if (!hasClass(node, 'substack-post-embed') || parent === undefined || index === undefined) return undefined
      found = true
      const card = toCard(node)
      if (typeof card === 'string') {
        report(file, {
          reason: `Substack embed without ${card} is left as written`,
          ruleId: 'embed-substack',
          severity: 'warning',
          place: node.position
        })
        return SKIP
      }
      parent.children[index] = card
      return SKIP
    })
    if (found) removeElements(tree, isEmbedScript)
  }
}

/** The card for one embed, or what the embed lacks. */
function toCard(embed: Element): Element | string {
  const link = findElement(embed, (node) => node.tagName === 'a' && isPresent(node.properties.dataPostLink))
  const href = link?.properties.href
  if (link === undefined || typeof href !== 'string' || href.trim() === '') return 'a link (`<a data-post-link href="…">`)'
  const paragraphs = findElements(embed, (node) => node.tagName === 'p' && findElement(node, (inner) => inner === link) === undefined)
  const titleIndex = paragraphs.findIndex((node) => isPresent(node.properties.lang) && text(node) !== '')
  const titleAt = titleIndex === -1 ? paragraphs.findIndex((node) => text(node) !== '') : titleIndex
  const titleParagraph = paragraphs[titleAt]
  if (titleParagraph === undefined) return 'a title (`<p lang="…">TITLE by AUTHOR</p>`)'
  const {title, author} = splitByline(text(titleParagraph))
  const subtitleParagraph = paragraphs[titleAt + 1]
  const subtitle = subtitleParagraph === undefined ? '' : text(subtitleParagraph)
  const host = hostOf(href)

  const children: ElementContent[] = [
    element('p', {className: ['embed-card-title']}, [element('a', {className: ['embed-card-link'], href}, [textNode(title, titleParagraph)], link)], titleParagraph)
  ]
  if (subtitleParagraph !== undefined && subtitle !== '') {
    children.push(element('p', {className: ['embed-card-subtitle']}, [textNode(subtitle, subtitleParagraph)], subtitleParagraph))
  }
  // Each separator sits in its own span with the part after it, so a line
  // that wraps on a phone never ends in a dangling "·" (the theme hides a
  // separator that starts a line: see style, `.embed-card-separator`).
  const parts: ElementContent[][] = []
  if (author !== '') parts.push([element('span', {className: ['embed-card-author']}, [textNode(author, titleParagraph)], titleParagraph)])
  if (host !== undefined) parts.push([element('span', {className: ['embed-card-host']}, [textNode(host, link)], link)])
  const date = dateOf(embed)
  if (date !== undefined) parts.push([element('time', {dateTime: date.datetime}, [textNode(date.text, embed)], embed)])
  if (parts.length > 0) {
    const meta: ElementContent[] = []
    parts.forEach((part, at) => {
      if (at === 0) meta.push(...part)
      else meta.push(element('span', {className: ['embed-card-part']}, [element('span', {className: ['embed-card-separator'], ariaHidden: 'true'}, [textNode(' · ', embed)], embed), ...part], embed))
    })
    children.push(element('p', {className: ['embed-card-meta']}, meta, embed))
  }
  const action = text(link) === '' ? 'Read on Substack' : text(link)
  children.push(element('p', {className: ['embed-card-action']}, [element('a', {href}, [textNode(action, link)], link)], link))

  const lang = titleParagraph.properties.lang
  const properties: Element['properties'] = {className: ['embed-card', 'embed-card-substack']}
  if (typeof lang === 'string' && lang !== '') properties.lang = lang
  return element('div', properties, children, embed)
}

/** The embed's date, from a `<time datetime>` in it or its `data-post-date`, as `{datetime, text}` (`May 12, 2024`); undefined when it gives none or one that is no date. */
function dateOf(embed: Element): {datetime: string; text: string} | undefined {
  const time = findElement(embed, (node) => node.tagName === 'time')
  const raw = typeof time?.properties.dateTime === 'string' ? time.properties.dateTime : typeof embed.properties.dataPostDate === 'string' ? embed.properties.dataPostDate : undefined
  const match = raw === undefined ? null : /^(\d{4})-(\d{2})-(\d{2})/.exec(raw.trim())
  if (!match) return undefined
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined
  const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']
  return {datetime: (match[0] as string), text: `${months[month - 1]} ${day}, ${year}`}
}

/** `TITLE by AUTHOR` → both parts, split at the last ` by ` (titles may contain “by”). */
export function splitByline(value: string): {title: string; author: string} {
  const at = value.lastIndexOf(' by ')
  if (at <= 0) return {title: value, author: ''}
  const author = value.slice(at + 4).trim()
  return author === '' ? {title: value, author: ''} : {title: value.slice(0, at).trim(), author}
}

/** Substack's `embed.js` loader, wherever it is served from on substack.com. */
function isEmbedScript(node: Element): boolean {
  if (node.tagName !== 'script') return false
  const src = node.properties.src
  if (typeof src !== 'string') return false
  const host = hostOf(src)
  return host !== undefined && (host === 'substack.com' || host.endsWith('.substack.com')) && /\/embedjs\/embed\.js$/.test(pathOf(src))
}

/**
 * Remove every element that passes `test`, with the line break before it
 * when that would otherwise leave two in a row, and a paragraph it leaves
 * empty.
 */
function removeElements(tree: Root, test: (node: Element) => boolean): void {
  const found: Array<{node: Element; parent: Parents}> = []
  visit(tree, 'element', (node: Element, _index, parent) => {
    if (parent !== undefined && test(node)) {
      found.push({node, parent})
      return SKIP
    }
    return undefined
  })
  removeNodes(tree, found)
}

function findElement(node: Element, test: (node: Element) => boolean): Element | undefined {
  return findElements(node, test)[0]
}

/** Descendants of `node` (not `node` itself) that pass `test`, in document order. */
function findElements(node: Element, test: (node: Element) => boolean): Element[] {
  const found: Element[] = []
  for (const child of node.children) {
    if (child.type !== 'element') continue
    if (test(child)) found.push(child)
    found.push(...findElements(child, test))
  }
  return found
}

function hasClass(node: Element, name: string): boolean {
  const value = node.properties.className
  return Array.isArray(value) && value.includes(name)
}

/** Whether a hast property is set (a valueless attribute is `''`). */
function isPresent(value: unknown): boolean {
  return value !== undefined && value !== null && value !== false
}

/** Text content with runs of whitespace (line breaks inside the div) collapsed. */
function text(node: Element): string {
  return toString(node).replace(/\s+/g, ' ').trim()
}

/** Lower-case host of an absolute or protocol-relative http(s) URL. */
function hostOf(url: string): string | undefined {
  return parseAbsoluteUrl(url)?.hostname.toLowerCase() || undefined
}

function pathOf(url: string): string {
  try {
    return new URL(url.trim(), 'https://example.invalid/').pathname
  } catch {
    return ''
  }
}

