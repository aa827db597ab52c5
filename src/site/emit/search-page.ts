import {outputPathOf} from '../paths.js'
import {wrap} from '../wrap.js'
import type {Emitter} from './types.js'

/** `/search/`: the page Pagefind's UI runs on (unless `search: false`), in the site's `search` layout or the theme's. */
export const searchPage: Emitter = {
  name: 'search page',
  emit(model, context) {
    if (!model.config.search) return []
    const url = '/search/'
    const path = outputPathOf(url)
    if (context.taken(path) || !context.layouts.layouts.get('search')) return []
    const page = {title: 'Search', title_html: 'Search', url, layout: 'search', listing: 'search'}
    return [{path, key: context.keys.page('search', {page}), owner: context.generatedOwner, deferrable: true, make: () => wrap('', 'search', {page}, context.generatedOwner, context.layouts)}]
  }
}
