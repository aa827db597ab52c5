import {buildFiles} from './build-files.js'
import {documentPages} from './documents.js'
import {feeds} from './feeds.js'
import {imageVariantFiles} from './image-variants.js'
import {indexPages} from './index-pages.js'
import {listings} from './listings.js'
import {modelPages} from './model-pages.js'
import {sitemap} from './sitemap.js'
import type {Emitter} from './types.js'

export type {EmitContext, Emitter, SiteModel} from './types.js'

/**
 * The site's outputs, in the order they are made: the documents first (a
 * post edit shows soonest), then the pages Galley makes, then the files that
 * list pages (the sitemap must see every page emitted before it).
 */
export function emitters(version: string): Emitter[] {
  return [documentPages, indexPages, listings, modelPages, feeds, sitemap, buildFiles(version), imageVariantFiles(version)]
}
