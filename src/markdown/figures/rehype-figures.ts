import type {Element, ElementContent, Root, RootContent} from 'hast'
import {toString} from 'hast-util-to-string'
import type {VFile} from 'vfile'
import '../data.js'
import {element, positionOf} from '../hast-nodes.js'
import {isMarkdownImage} from '../rehype-images.js'
import {sourceMayHold} from '../source-check.js'
import {isCaptionLike} from './caption-like.js'
import {kindOf, labelId, peekTrailingLabel, takeTrailingLabel} from './labels.js'

export interface FiguresOptions {
  /** Make figures at all; a post's front matter `figures: false` (or `off`) turns them off for it. Default `true`. */
  readonly enabled?: boolean | undefined
}

const emptyOptions: FiguresOptions = Object.freeze({})

/**
 * Turn standalone images with a caption into figures, and read Quarto's
 * labels on figures, tables and equations (numbered later by
 * rehype-cross-references). An image standing alone as a block — a raw
 * `<img>` line, a paragraph holding only `![…](…)`, either wrapped in a
 * link — becomes
 *
 * ```html
 * <figure id="fig-moe"><a class="figure-link" href="SRC"><img …></a><figcaption>…</figcaption></figure>
 * ```
 *
 * (the link opens the full-size image: enlarging without script; an image
 * the author linked keeps its own link) when it has a caption:
 *
 * 1. a markdown title: `![alt](src "Caption")`;
 * 2. else the paragraph right after it, when that reads as a caption (see
 *    `isCaptionLike`; its inline markup is kept);
 * 3. else, with `figure: true` in the front matter, the image's `title` or
 *    else its `alt`;
 * 4. else, with a label only (`![alt](src){#fig-x}`, `<img id="fig-x">`),
 *    an empty caption that numbering fills in.
 *
 * An image inside a paragraph of text, an author's own `<figure>` and an
 * image followed by ordinary prose are left as written (a paragraph holding
 * only an uncaptioned image gets `class="image-block"`, which the theme
 * centres like a raw `<img>` block). Labels: `{#fig-…}`
 * right after the image or at the end of its caption, an `id="fig-…"` on
 * the image; `: Caption {#tbl-…}` (or `Table: …`) in the paragraph after a
 * table becomes its `<caption>`; a paragraph of only `{#eq-…}` right after
 * display math labels it.
 *
 * Runs after rehype-images (sizes and alt are set) and before
 * rehype-base-url (which prefixes the link's root-relative `href`).
 */
export function rehypeFigures(options: FiguresOptions = emptyOptions) {
  const enabled = options.enabled ?? true
  return function transform(tree: Root, file: VFile): void {
    if (!enabled || isOff(file.data.matter?.figures)) return
    if (!sourceMayHold(file, /<img|!\[|\{#(?:tbl|eq)-|^:\s|^Table:/im)) return
    const source = file.value === undefined ? undefined : String(file.value)
    const context: Context = {source, fromAlt: file.data.matter?.figure === true}
    eachFlowParent(tree, (children) => transformChildren(children, context))
  }
}

interface Context {
  readonly source: string | undefined
  /** `figure: true` in the front matter: an image's title or alt may be its caption. */
  readonly fromAlt: boolean
}

/** Elements whose children are blocks, where a figure may stand. */
const flowContainers: ReadonlySet<string> = new Set(['div', 'section', 'article', 'aside', 'main', 'blockquote', 'li', 'details', 'dd', 'header', 'footer'])

function eachFlowParent(node: Root | Element, each: (children: Array<RootContent | ElementContent>) => void): void {
  each(node.children)
  for (const child of node.children) {
    if (child.type === 'element' && flowContainers.has(child.tagName)) eachFlowParent(child, each)
  }
}

function transformChildren(children: Array<RootContent | ElementContent>, context: Context): void {
  for (let index = 0; index < children.length; index++) {
    const child = children[index]
    if (child === undefined || child.type !== 'element') continue
    if (child.tagName === 'table') captionTable(children, index, child)
    else if (hasClass(child, 'katex-display')) labelEquation(children, index, child)
    else {
      const figure = toFigure(children, index, child, context)
      if (figure) children[index] = figure
    }
  }
}

/** The image block at `children[index]` as a figure, taking its caption paragraph from after it; undefined to leave it. */
function toFigure(children: Array<RootContent | ElementContent>, index: number, node: Element, context: Context): Element | undefined {
  const block = imageBlock(node)
  if (!block) return undefined
  const {image, link} = block
  let label = block.label
  if (label === undefined && kindOf(image.properties.id) === 'fig') {
    label = String(image.properties.id)
    delete image.properties.id
  }

  let caption: ElementContent[] | undefined
  let captionFrom: Element | undefined
  const title = image.properties.title
  if (isMarkdownImage(image, context.source) && typeof title === 'string' && title.trim() !== '') {
    caption = [{type: 'text', value: title, ...positionOf(image)}]
    captionFrom = image
    delete image.properties.title
  } else {
    const next = nextContent(children, index)
    if (next !== undefined && isCaptionParagraph(children[next])) {
      const paragraph = children[next] as Element | ElementContent
      const content: ElementContent[] = paragraph.type === 'element' ? [...paragraph.children] : [{...(paragraph as ElementContent)}]
      const own = peekTrailingLabel(content)
      if (own === undefined || label === undefined || label === own) {
        if (own !== undefined) label = takeTrailingLabel(content)
        caption = trimmed(content)
        captionFrom = paragraph.type === 'element' ? paragraph : node
        children.splice(index + 1, next - index)
      }
    }
    if (caption === undefined && context.fromAlt) {
      const text = typeof title === 'string' && title.trim() !== '' ? title : typeof image.properties.alt === 'string' ? image.properties.alt : ''
      if (text.trim() !== '') {
        caption = [{type: 'text', value: text.trim(), ...positionOf(image)}]
        captionFrom = image
        if (typeof title === 'string') delete image.properties.title
      }
    }
  }
  if (caption === undefined && label === undefined) {
    // A paragraph of one image, uncaptioned: marked so the theme centres it
    // like a raw <img> block (`p img` is inline, for images in text).
    if (node.tagName === 'p') node.properties.className = [...classesOf(node), 'image-block']
    return undefined
  }

  const content: ElementContent[] = [link ?? enlargeLink(image)]
  if (caption !== undefined) content.push(element('figcaption', {}, caption, captionFrom ?? node))
  const properties: Element['properties'] = {}
  if (label !== undefined) properties.id = label
  return element('figure', properties, content, node)
}

/** A lone image as a block: `<img>`, `<a><img></a>`, or a paragraph of one of them and an optional `{#fig-…}`. */
function imageBlock(node: Element): {image: Element; link: Element | undefined; label: string | undefined} | undefined {
  if (node.tagName === 'img') return {image: node, link: undefined, label: undefined}
  if (node.tagName === 'a') {
    const image = only(node.children)
    return image && image.tagName === 'img' ? {image, link: node, label: undefined} : undefined
  }
  if (node.tagName !== 'p') return undefined
  const label = peekTrailingLabel(node.children)
  if (label !== undefined && kindOf(label) !== 'fig') return undefined
  const content = [...node.children]
  const inner = only(label === undefined ? content : withoutLabel(content))
  if (!inner) return undefined
  const block = inner.tagName === 'p' ? undefined : imageBlock(inner)
  return block ? {...block, label} : undefined
}

/** A copy of `children` without their trailing label (text nodes copied, so the tree is untouched). */
function withoutLabel(children: readonly ElementContent[]): ElementContent[] {
  const copy = children.map((child) => (child.type === 'text' ? {...child} : child))
  takeTrailingLabel(copy)
  return copy
}

/** The one element of `children`, whitespace aside. */
function only(children: readonly ElementContent[]): Element | undefined {
  const content = children.filter((child) => !isBlank(child as RootContent))
  const first = content[0]
  return content.length === 1 && first !== undefined && first.type === 'element' ? first : undefined
}

/** The index of the next sibling that is not whitespace, if any. */
function nextContent(children: ReadonlyArray<RootContent | ElementContent>, index: number): number | undefined {
  for (let at = index + 1; at < children.length; at++) if (!isBlank(children[at] as RootContent)) return at
  return undefined
}

/** Phrasing elements a caption may hold. */
const phrasing: ReadonlySet<string> = new Set(['a', 'em', 'strong', 'i', 'b', 'code', 'span', 'small', 'sub', 'sup', 'abbr', 'cite', 'q', 'mark', 'br', 'del', 's', 'u', 'kbd', 'time', 'var'])

/** A paragraph (or a bare line of text after a raw `<img>`) that reads as a caption. */
function isCaptionParagraph(node: RootContent | ElementContent | undefined): boolean {
  if (node === undefined) return false
  if (node.type === 'text') return isCaptionLike(node.value)
  if (node.type !== 'element' || node.tagName !== 'p') return false
  if (!node.children.every(isPhrasing)) return false
  return isCaptionLike(toString(node).replace(/\s*\{#fig-[\w-]+\}\s*$/, ''))
}

function isPhrasing(node: ElementContent): boolean {
  if (node.type === 'text' || node.type === 'comment') return true
  return node.type === 'element' && phrasing.has(node.tagName) && node.children.every(isPhrasing)
}

/** Children with leading and trailing whitespace trimmed off the outer text nodes. */
function trimmed(children: ElementContent[]): ElementContent[] {
  const out = children.map((child) => (child.type === 'text' ? {...child} : child))
  const first = out[0]
  if (first?.type === 'text') first.value = first.value.replace(/^\s+/, '')
  const last = out[out.length - 1]
  if (last?.type === 'text') last.value = last.value.replace(/\s+$/, '')
  return out.filter((child) => !(child.type === 'text' && child.value === ''))
}

/** The image wrapped in a link to its own file, so a reader can open a dense chart at full size. */
function enlargeLink(image: Element): Element {
  const src = image.properties.src
  if (typeof src !== 'string' || src.trim() === '') return image
  const properties: Element['properties'] = {className: ['figure-link'], href: src}
  const alt = image.properties.alt
  if (typeof alt !== 'string' || alt.trim() === '') properties.ariaLabel = 'Open the image at full size'
  return element('a', properties, [image], image)
}

/** `: Caption {#tbl-x}` or `Table: Caption` in the paragraph right after a table becomes its caption. */
function captionTable(children: Array<RootContent | ElementContent>, index: number, table: Element): void {
  if (table.children.some((child) => child.type === 'element' && child.tagName === 'caption')) return
  const next = nextContent(children, index)
  const paragraph = next === undefined ? undefined : children[next]
  if (paragraph === undefined || paragraph.type !== 'element' || paragraph.tagName !== 'p') return
  const first = paragraph.children[0]
  if (first?.type !== 'text') return
  const lead = /^(?::|Table:)\s+/.exec(first.value)
  if (!lead) return
  const content = [{...first, value: first.value.slice(lead[0].length)}, ...paragraph.children.slice(1)]
  const label = takeTrailingLabel(content)
  if (label !== undefined && kindOf(label) !== 'tbl') return
  if (label !== undefined && typeof table.properties.id !== 'string') table.properties.id = label
  table.children.unshift(element('caption', {}, trimmed(content), paragraph))
  children.splice(index + 1, (next as number) - index)
}

/** A paragraph of only `{#eq-x}` right after display math labels it. */
function labelEquation(children: Array<RootContent | ElementContent>, index: number, math: Element): void {
  const next = nextContent(children, index)
  const paragraph = next === undefined ? undefined : children[next]
  if (paragraph === undefined || paragraph.type !== 'element' || paragraph.tagName !== 'p') return
  const match = /^\s*\{#((?:eq)-[\w-]+)\}\s*$/.exec(toString(paragraph))
  if (!match || !labelId.test(match[1] as string) || paragraph.children.some((child) => child.type === 'element')) return
  math.properties.id = match[1]
  children.splice(index + 1, (next as number) - index)
}

/** Whitespace-only text (a test that neither copies nor walks past the first letter). */
function isBlank(node: RootContent | ElementContent | undefined): boolean {
  return node !== undefined && node.type === 'text' && !/\S/.test(node.value)
}

function classesOf(node: Element): string[] {
  const value = node.properties.className
  return Array.isArray(value) ? value.map(String) : []
}

function hasClass(node: Element, name: string): boolean {
  const value = node.properties.className
  return Array.isArray(value) && value.includes(name)
}

function isOff(value: unknown): boolean {
  return value === false || value === 'off' || value === 'false'
}
