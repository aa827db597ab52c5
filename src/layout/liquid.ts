import {Liquid} from 'liquidjs'
import {createJekyllFilters} from './filters.js'
import {registerJekyllTags, type TagContext} from './tags.js'

export interface LiquidOptions extends TagContext {
  /** Include folders, searched in order (the site's, then the default theme's). */
  readonly includes: readonly string[]
  readonly baseurl: string
  readonly url: string
  /** Renders markdown to HTML for the `markdownify` filter. */
  readonly markdownify: (markdown: string) => string
}

/**
 * One liquidjs engine per build, configured like Jekyll:
 * - `{% include file.html param=value %}` (jekyllInclude) with literal file
 *   names (dynamicPartials off), looked up in the site's includes, then the
 *   theme's;
 * - strictFilters on: a misspelt filter is an error, not an empty string;
 * - strictVariables off: themes test absent values (`{% if page.image %}`);
 * - Jekyll's filters and tags registered through the same calls users use.
 */
export function createLiquid(options: LiquidOptions): Liquid {
  const liquid = new Liquid({
    root: [...options.includes],
    partials: [...options.includes],
    layouts: [...options.includes],
    extname: '',
    jekyllInclude: true,
    dynamicPartials: false,
    strictFilters: true,
    strictVariables: false,
    relativeReference: false,
    cache: true
  })
  for (const [name, filter] of Object.entries(createJekyllFilters({baseurl: options.baseurl, url: options.url, markdownify: options.markdownify}))) {
    liquid.registerFilter(name, filter)
  }
  registerJekyllTags(liquid, options)
  return liquid
}
