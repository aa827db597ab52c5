import type {Output} from '../outputs.js'
import type {LiquidPage} from '../liquid-scope.js'
import {applyLayouts, layoutFor} from '../wrap.js'
import type {Emitter} from './types.js'
import {isWritten} from '../collections.js'

/** Every post and page, and each document of a collection with `output: true`, wrapped in its layout chain. */
export const documentPages: Emitter = {
  name: 'documents',
  emit(model, context) {
    return model.published.filter(isWritten).map((doc): Output => {
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
