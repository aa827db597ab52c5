import {hashOf} from '../build-cache.js'
import {faviconOf, faviconSvg, GENERATED_FAVICON} from '../favicon.js'
import type {Emitter} from './types.js'

/** `/favicon.svg` drawn from the site title's first letter, unless the site has an icon of its own (favicon.svg, .ico or .png). */
export const favicon: Emitter = {
  name: 'favicon',
  emit(model, context) {
    if (!faviconOf(model.copies).generated || context.taken(GENERATED_FAVICON)) return []
    const title = String(model.config.site.title ?? '')
    const svg = faviconSvg(title)
    return [{path: GENERATED_FAVICON, key: hashOf('favicon', svg), owner: context.configFile, deferrable: false, make: async () => svg}]
  }
}
