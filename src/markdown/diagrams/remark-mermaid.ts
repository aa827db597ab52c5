import {createHash} from 'node:crypto'
import type {Element, ElementContent, Root as HastRoot} from 'hast'
import {fromHtml} from 'hast-util-from-html'
import type {Code, Paragraph, Root} from 'mdast'
import {visit} from 'unist-util-visit'
import type {VFile} from 'vfile'
import {report} from '../../report.js'
import {sourceMayHold} from '../source-check.js'

/** Options of remarkMermaid. */
export interface RemarkMermaidOptions {
  /** Draw diagrams (default true); `mermaid: false` in site.yml keeps every block as code. */
  readonly enabled?: boolean | undefined
}

type RenderSvg = (source: string, options: Record<string, unknown>) => string

/**
 * Fenced code with the language `mermaid` (and `{% mermaid %}` blocks, which
 * the Liquid tag turns into such fences) drawn at build time as an inline
 * SVG, by beautiful-mermaid (pure TypeScript with the ELK layout engine: no
 * browser, no DOM). The diagram is theme-aware: its colours derive from
 * `currentColor` on a transparent background, so it follows the page's text
 * colour in light and dark mode. Its stylesheet is scoped to the diagram's
 * own id and loses the web-font import the library adds (a page must not
 * load fonts from a third party); its ids are prefixed, so two diagrams on
 * one page do not share markers. A diagram the library cannot draw (a kind
 * it does not know, such as `pie` or `gantt`, or a syntax error) stays as
 * code, with a warning at its line (rule `mermaid`).
 *
 * The library is loaded only when a post has a mermaid block.
 */
export function remarkMermaid(options: RemarkMermaidOptions = {}) {
  const enabled = options.enabled ?? true
  return async (tree: Root, file: VFile): Promise<void> => {
    if (!enabled || !sourceMayHold(file, 'mermaid')) return
    const blocks: Array<{node: Code; parent: {children: unknown[]}}> = []
    visit(tree, 'code', (node: Code, _index, parent) => {
      if (node.lang?.toLowerCase() === 'mermaid' && parent) blocks.push({node, parent: parent as {children: unknown[]}})
    })
    if (blocks.length === 0) return
    const render = await loadRenderer()
    blocks.forEach(({node, parent}, index) => {
      const id = `mermaid-${createHash('sha256').update(node.value).digest('hex').slice(0, 10)}-${index + 1}`
      let svg: Element | undefined
      try {
        svg = toSvgElement(render(node.value, {bg: 'transparent', fg: 'currentColor', transparent: true, font: 'system-ui'}), id)
      } catch (error) {
        const reason = String((error as Error).message ?? error).replace(/\s+/g, ' ').trim()
        report(file, {reason: `this mermaid diagram cannot be drawn (${reason}); it is kept as code`, ruleId: 'mermaid', severity: 'warning', place: node.position?.start})
        return
      }
      if (!svg) return
      const figure: Paragraph = {
        type: 'paragraph',
        children: [],
        position: node.position,
        data: {hName: 'figure', hProperties: {className: ['diagram', 'diagram-mermaid']}, hChildren: [svg]}
      }
      const at = parent.children.indexOf(node)
      if (at >= 0) parent.children.splice(at, 1, figure)
    })
  }
}

let renderer: Promise<RenderSvg> | undefined
function loadRenderer(): Promise<RenderSvg> {
  renderer ??= import('beautiful-mermaid').then((module) => module.renderMermaidSVG as unknown as RenderSvg)
  return renderer
}

/** The library's SVG as a hast element: its id set, its ids prefixed with it, its stylesheet scoped to it and without @import. */
export function toSvgElement(svgText: string, id: string): Element | undefined {
  const tree = fromHtml(svgText, {fragment: true}) as HastRoot
  const svg = tree.children.find((node): node is Element => node.type === 'element' && node.tagName === 'svg')
  if (!svg) return undefined
  const ids = new Set<string>()
  walk(svg, (node) => {
    if (typeof node.properties.id === 'string') ids.add(node.properties.id)
  })
  const rename = (value: string) => value.replace(/url\(#([^)]+)\)/g, (whole, name: string) => (ids.has(name) ? `url(#${id}-${name})` : whole))
  walk(svg, (node) => {
    if (typeof node.properties.id === 'string') node.properties.id = `${id}-${node.properties.id}`
    for (const [key, value] of Object.entries(node.properties)) {
      if (typeof value === 'string' && value.includes('url(#')) node.properties[key] = rename(value)
      if ((key === 'href' || key === 'xLinkHref') && typeof value === 'string' && value.startsWith('#') && ids.has(value.slice(1))) node.properties[key] = `#${id}-${value.slice(1)}`
    }
    if (node.tagName === 'style') {
      node.children = node.children.map((child): ElementContent => (child.type === 'text' ? {...child, value: scopeStyle(rename(child.value), id)} : child))
    }
  })
  svg.properties.id = id
  svg.properties.role = 'img'
  svg.properties.className = ['mermaid']
  return svg
}

/** Every rule of the library's stylesheet scoped to `#id` (`svg {` → `#id {`, `text {` → `#id text {`), with its @imports dropped. */
export function scopeStyle(css: string, id: string): string {
  return css.replace(/@import\s+(?:url\((?:'[^']*'|"[^"]*"|[^)]*)\)|'[^']*'|"[^"]*")[^;]*;\s*/g, '').replace(/([^{}]+)\{([^{}]*)\}/g, (_whole, selectors: string, body: string) => {
    const scoped = selectors
      .split(',')
      .map((selector) => selector.trim())
      .filter((selector) => selector !== '')
      .map((selector) => (/^svg\b/.test(selector) ? selector.replace(/^svg/, `#${id}`) : `#${id} ${selector}`))
      .join(', ')
    return `\n  ${scoped} {${body}}`
  })
}

function walk(node: Element, visitor: (node: Element) => void): void {
  visitor(node)
  for (const child of node.children) if (child.type === 'element') walk(child, visitor)
}
