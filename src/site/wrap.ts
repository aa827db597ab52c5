import type {Liquid} from 'liquidjs'
import type {VFile} from 'vfile'
import {keyPlace} from '../content/key-place.js'
import type {Post} from '../content/post.js'
import type {FileRegistry} from '../layout/liquid-errors.js'
import {reportLiquidError} from '../layout/liquid-errors.js'
import {layoutChain, renderLayout, type LayoutSet} from '../layout/layouts.js'
import {report} from '../report.js'
import type {LiquidPage} from './liquid-scope.js'

export interface LayoutContext {
  /** The Liquid engine, made (and the layouts parsed) the first time a page needs it. */
  readonly liquid: () => Promise<Liquid>
  readonly layouts: LayoutSet
  readonly registry: FileRegistry
  readonly site: Record<string, unknown>
}

/**
 * Wrap a document's HTML in its layout chain. A missing layout is a warning
 * (posts fall back to `post`, pages to `default`, as Jekyll warns and goes
 * on); a Liquid error is reported on the layout file at its line.
 */
export async function applyLayouts(doc: Post, view: LiquidPage, context: LayoutContext, extra: Record<string, unknown> = {}): Promise<string | undefined> {
  const name = layoutFor(doc, context.layouts)
  const wanted = doc.layout === null ? undefined : (doc.layout ?? defaultLayout(doc))
  // al-folio's `layout: distill` is the post layout here when the site has no distill layout of its own: no warning.
  const distillAsPost = wanted === 'distill' && name === 'post'
  if (wanted !== undefined && !context.layouts.get(wanted) && !distillAsPost) {
    report(doc.file, {
      reason: `layout "${wanted}" not found in ${context.layouts.folders.join(', ')}; ${name ? `using "${name}"` : 'the page is written without a layout'}`,
      ruleId: 'layout',
      severity: 'warning',
      place: keyPlace(doc, 'layout')
    })
  }
  return wrap(String(view.content ?? ''), name, {page: view, ...extra}, doc.file, context)
}

/** The layout a document is wrapped in: its own, else the fallback (`post` for posts, `default` for pages), else none. */
export function layoutFor(doc: Post, layouts: LayoutSet): string | undefined {
  const wanted = doc.layout === null ? undefined : (doc.layout ?? defaultLayout(doc))
  if (wanted === undefined || layouts.get(wanted)) return wanted
  const fallback = doc.kind === 'post' || wanted === 'distill' ? 'post' : 'default'
  return layouts.get(fallback) && fallback !== wanted ? fallback : undefined
}

export async function wrap(content: string, name: string | undefined, scope: {page: LiquidPage} & Record<string, unknown>, owner: VFile, context: LayoutContext): Promise<string | undefined> {
  let html = content
  for (const layout of name === undefined ? [] : layoutChain(context.layouts, name)) {
    try {
      html = await renderLayout(await context.liquid(), layout, {...scope, site: context.site, content: html})
    } catch (error) {
      reportLiquidError(error, layout.file, context.registry.get, `while applying layout "${layout.name}" to ${owner.path}`)
      return undefined
    }
  }
  return html
}

function defaultLayout(doc: Post): string | undefined {
  if (doc.kind === 'post') return 'post'
  return doc.format === 'markdown' ? 'page' : undefined
}
