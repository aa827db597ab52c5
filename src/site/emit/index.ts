import {buildFiles} from './build-files.js'
import {documentPages} from './documents.js'
import {favicon} from './favicon.js'
import {feeds} from './feeds.js'
import {imageVariantFiles} from './image-variants.js'
import {indexPages} from './index-pages.js'
import {listings} from './listings.js'
import {modelPages} from './model-pages.js'
import {papersPage} from './papers-page.js'
import {searchPage} from './search-page.js'
import {sitemap} from './sitemap.js'
import {socialCards} from './social-cards.js'
import {tagIndex} from './tag-index.js'
import type {Emitter} from './types.js'

export type {EmitContext, Emitter, SiteModel} from './types.js'

/**
 * The site's outputs, in the order they are made: the documents first (a
 * post edit shows soonest), then the pages Galley makes, then the files that
 * list pages (the sitemap must see every page emitted before it), then
 * images and small files (sharing cards, the icon, code.css).
 */
export function emitters(version: string): Emitter[] {
  return [documentPages, indexPages, listings, tagIndex, searchPage, modelPages, papersPage, feeds, sitemap, socialCards(version), favicon, buildFiles(version), imageVariantFiles(version)]
}
