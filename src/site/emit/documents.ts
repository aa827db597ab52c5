import type {Output} from '../outputs.js'
import type {LiquidPage} from '../liquid-scope.js'
import {applyLayouts, layoutFor} from '../wrap.js'
import type {Emitter} from './types.js'

/** Every post and page, wrapped in its layout chain. */
export const documentPages: Emitter = {
  name: 'documents',
  emit(model, context) {
    return model.published.map((doc): Output => {
      const view = model.views.get(doc) as LiquidPage
      const extra = doc === model.indexDoc && model.indexPages[0] ? {paginator: model.indexPages[0].paginator} : {}
      const layout = layoutFor(doc, context.layouts.layouts)
      return {
        path: doc.outputPath,
        key: context.keys.page(layout, {page: view, ...extra}),
        owner: doc.file,
        deferrable: true,
        make: () => applyLayouts(doc, view, context.layouts, extra)
      }
    })
  }
}
