import {toLiquidPage, type LiquidPage} from '../liquid-scope.js'
import type {Output} from '../outputs.js'
import {outputPathOf} from '../paths.js'
import {applyLayouts, layoutFor, wrap} from '../wrap.js'
import type {Emitter} from './types.js'

/**
 * The index: the site's own index page rendered once per paginator page
 * after the first (the first is the document itself), or — without one —
 * the theme's `home` layout, paginated or listing every post.
 */
export const indexPages: Emitter = {
  name: 'index pages',
  async emit(model, context) {
    const outputs: Output[] = []
    const {indexDoc, indexPages} = model
    const pages = indexDoc ? indexPages.slice(1) : indexPages.length > 0 ? indexPages : [{url: '/', paginator: undefined}]
    for (const {url, paginator} of pages) {
      const path = outputPathOf(url)
      if (context.taken(path)) continue
      const extra = paginator ? {paginator} : {}
      if (indexDoc) {
        const view: LiquidPage = {...(model.views.get(indexDoc) as LiquidPage), url}
        const rendering = await context.renderIndexBody(view, extra, `${indexDoc.source}#${url}`)
        if (!rendering) continue
        Object.assign(view, toLiquidPage(indexDoc, rendering, context.viewOptions), {url})
        outputs.push({
          path,
          key: context.keys.page(layoutFor(indexDoc, context.layouts.layouts), {page: view, ...extra}, paginator ? 'paginator' : 'all'),
          owner: indexDoc.file,
          deferrable: true,
          make: () => applyLayouts(indexDoc, view, context.layouts, extra)
        })
      } else {
        const page: LiquidPage = {title: String(model.config.site.title ?? ''), title_html: '', url, layout: 'home', content: ''}
        outputs.push({
          path,
          key: context.keys.page('home', {page, ...extra}, paginator ? 'paginator' : 'all'),
          owner: context.generatedOwner,
          deferrable: true,
          make: () => wrap('', 'home', {page, ...extra}, context.generatedOwner, context.layouts)
        })
      }
    }
    return outputs
  }
}
