import {promises as fs} from 'node:fs'
import path from 'node:path'
import type {Liquid, Template} from 'liquidjs'
import type {VFile} from 'vfile'
import {readFrontMatter} from '../content/front-matter.js'
import {sourceText} from '../content/source-text.js'
import {report} from '../report.js'
import {reportLiquidError, type FileRegistry} from './liquid-errors.js'

export interface Layout {
  readonly name: string
  readonly file: VFile
  /** The layout file's absolute path (Liquid names files by it in its errors). */
  readonly absolute: string
  /** The layout's own front matter (`layout:` names its parent). */
  readonly data: Readonly<Record<string, unknown>>
  readonly parent: string | undefined
  /** Lines of the layout's front-matter keys, for messages about them. */
  readonly keyLines: Readonly<Record<string, number>>
  /** The layout's body without its front matter (lines kept). */
  readonly body: string
  /** Its parsed templates, once `parseLayouts` ran (Liquid is loaded only when a page is made). */
  templates: Template[]
  /**
   * How many line breaks the blanked front matter left at the top. They keep
   * Liquid's line numbers true; `renderLayout` drops them from the output.
   */
  readonly blankLines: number
}

export interface LayoutSet {
  /** The layout called `name`, site first, then theme. */
  get(name: string): Layout | undefined
  /** Every layout found (after shadowing), in name order. */
  all(): Layout[]
  /** Folders searched, for messages. */
  readonly folders: readonly string[]
}

/**
 * Read every layout in `folders` (site first, then the default theme: a
 * site layout shadows the theme's of the same name). Layout files are
 * `NAME.html` (or any extension); front matter is blanked with its lines
 * kept, so Liquid's line numbers are the file's. Loops in `layout:` chains
 * are reported on the layout file; the templates are parsed by
 * `parseLayouts`, when a page is first made.
 */
export async function loadLayouts(folders: readonly string[], files: FileRegistry): Promise<LayoutSet> {
  const layouts = new Map<string, Layout>()
  for (const folder of folders) {
    let names: string[]
    try {
      names = (await fs.readdir(folder, {withFileTypes: true})).filter((entry) => entry.isFile()).map((entry) => entry.name).sort()
    } catch {
      continue
    }
    for (const name of names) {
      const key = name.replace(/\.[^.]+$/, '')
      if (layouts.has(key) || name.startsWith('.')) continue
      const absolute = path.join(folder, name)
      const file = files.get(absolute)
      file.value = sourceText(await fs.readFile(absolute))
      let matter
      try {
        matter = readFrontMatter(file)
      } catch {
        continue // reported on the file
      }
      const parent = typeof matter.data.layout === 'string' && matter.data.layout !== '' ? matter.data.layout : undefined
      const blankLines = matter.present ? matter.body.length - matter.body.replace(/^\n+/, '').length : 0
      layouts.set(key, {name: key, file, absolute, data: matter.data, parent, keyLines: matter.keyLines, body: matter.body, templates: [], blankLines})
    }
  }
  reportLoops(layouts)
  return {get: (name) => layouts.get(name), all: () => [...layouts.values()].sort((a, b) => a.name.localeCompare(b.name)), folders}
}

/** Parse every layout's templates with `liquid`; a parse error is reported on the layout file at its line. */
export function parseLayouts(liquid: Liquid, set: LayoutSet, files: FileRegistry): void {
  for (const layout of set.all()) {
    try {
      layout.templates = liquid.parse(layout.body, layout.absolute)
    } catch (error) {
      reportLiquidError(error, layout.file, files.get)
    }
  }
}

/** Report every `layout:` chain that comes back to a layout it passed, naming both ends. */
function reportLoops(layouts: ReadonlyMap<string, Layout>): void {
  const reported = new Set<string>()
  for (const start of layouts.values()) {
    const seen: string[] = []
    let current: Layout | undefined = start
    while (current) {
      if (seen.includes(current.name)) {
        const from = layouts.get(seen[seen.length - 1] ?? '')
        const cycle = [...seen.slice(seen.indexOf(current.name)), current.name]
        const key = [...cycle].sort().join('>')
        if (from && !reported.has(key)) {
          reported.add(key)
          report(from.file, {
            reason: `layout chain loops: layout "${from.name}" names "${current.name}" as its layout, which leads back to "${from.name}" (${cycle.join(' → ')})`,
            ruleId: 'layout-loop',
            severity: 'error',
            place: {line: from.keyLines.layout ?? 1, column: 1}
          })
        }
        break
      }
      seen.push(current.name)
      current = current.parent ? layouts.get(current.parent) : undefined
    }
  }
}


/** The chain of layouts starting at `name`, stopping before any repeat (loops are reported at load). */
export function layoutChain(set: LayoutSet, name: string): Layout[] {
  const chain: Layout[] = []
  let current = set.get(name)
  while (current && !chain.includes(current)) {
    chain.push(current)
    current = current.parent ? set.get(current.parent) : undefined
  }
  return chain
}

/** Render one layout around `content`, without the line breaks its front matter left behind. */
export async function renderLayout(liquid: Liquid, layout: Layout, scope: Record<string, unknown>): Promise<string> {
  // Synchronously: the async renderer wraps every node of every template in a promise, which was most of the
  // time of wrapping a page. Every tag and filter of ours works either way (includes are read with the sync fs).
  const html = liquid.renderSync(layout.templates, {...scope, layout: layout.data}) as string
  let start = 0
  while (start < layout.blankLines && html[start] === '\n') start++
  return html.slice(start)
}
