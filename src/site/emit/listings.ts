import {listingPages} from '../listings.js'
import type {Output} from '../outputs.js'
import {outputPathOf} from '../paths.js'
import {wrap} from '../wrap.js'
import type {Emitter} from './types.js'

/** Tag and category pages, the archive, and the not-found page, each in the first of its layouts the site or theme has. */
export const listings: Emitter = {
  name: 'listings',
  emit(model, context) {
    const pages = [
      ...listingPages(model.postViews, model.config.listings),
      {url: '/404.html', layouts: ['404'], page: {title: 'Page not found', title_html: 'Page not found', url: '/404.html', layout: '404'}}
    ]
    const outputs: Output[] = []
    for (const listing of pages) {
      const path = outputPathOf(listing.url)
      const layout = listing.layouts.find((name) => context.layouts.layouts.get(name))
      if (context.taken(path) || layout === undefined) continue
      const scope = {page: listing.page}
      outputs.push({
        path,
        key: context.keys.page(layout, scope),
        owner: context.generatedOwner,
        deferrable: true,
        make: () => wrap('', layout, scope, context.generatedOwner, context.layouts)
      })
    }
    return outputs
  }
}
