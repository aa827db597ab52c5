import {tagCounts} from '../listings.js'
import type {Output} from '../outputs.js'
import {outputPathOf} from '../paths.js'
import {wrap} from '../wrap.js'
import type {Emitter} from './types.js'

/** `/tags/`: every tag with its post count, linking to its page (when tag pages are on, in the site's `tags` layout or the theme's). */
export const tagIndex: Emitter = {
  name: 'tag index',
  emit(model, context) {
    if (!model.config.listings.tags) return []
    const url = '/tags/'
    const path = outputPathOf(url)
    const layout = ['tags', 'list'].find((name) => context.layouts.layouts.get(name))
    if (context.taken(path) || layout === undefined) return []
    const tags = tagCounts(model.postViews)
    const page = {title: 'Tags', title_html: 'Tags', url, layout, listing: 'tag-index', tags, posts: []}
    const output: Output = {path, key: context.keys.page(layout, {page}), owner: context.generatedOwner, deferrable: true, make: () => wrap('', layout, {page}, context.generatedOwner, context.layouts)}
    return [output]
  }
}
