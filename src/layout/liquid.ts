import {Liquid} from 'liquidjs'
import type {LiquidSettings} from '../config.js'
import {registerPluginTags} from './jekyll-plugin-tags.js'
import {applyErrorMode} from './liquid-mode.js'
import {createJekyllFilters} from './filters.js'
import {registerJekyllTags, type TagContext} from './tags.js'

export interface LiquidOptions extends TagContext {
  /** Include folders, searched in order (the site's, then the default theme's). */
  readonly includes: readonly string[]
  readonly baseurl: string
  readonly url: string
  /** Renders markdown to HTML for the `markdownify` filter. */
  readonly markdownify: (markdown: string) => string
  /** The site's `liquid:` settings (default: Galley's strict ones). */
  readonly settings?: LiquidSettings | undefined
}

const galleyStrictness: LiquidSettings = Object.freeze({errorMode: 'strict', strictFilters: true, strictVariables: false})

/**
 * Generous for real sites (a 10 MB post passes a handful of string filters;
 * the slowest layout renders in well under a second), small enough that a
 * runaway template stops in seconds.
 */
export const templateLimits = Object.freeze({
  /** Characters and array elements allocated by filters, ranges and loops in one render. */
  memoryLimit: 50_000_000,
  /** Milliseconds for one render (a body, or one layout of a page). */
  renderLimit: 10_000,
  /** Characters of template parsed in one call. */
  parseLimit: 100_000_000
})

/**
 * One liquidjs engine per build, configured like Jekyll:
 * - `{% include file.html param=value %}` (jekyllInclude) with literal file
 *   names (dynamicPartials off), looked up in the site's includes, then the
 *   theme's;
 * - strictFilters on: a misspelt filter is an error, not an empty string;
 * - strictVariables off: themes test absent values (`{% if page.image %}`);
 * - unless the site's `liquid:` settings say otherwise: a Jekyll site gets
 *   Jekyll's `error_mode: warn` and `strict_filters: false` (see
 *   liquid-mode.ts), and `strict_variables: true` is honoured;
 * - Jekyll's filters and tags registered through the same calls users use;
 * - limits, so a runaway template is an error at its position instead of
 *   minutes of work and an out-of-memory crash: `memoryLimit` (characters and
 *   array elements one render may allocate: `(1..100000000)` is refused
 *   before the range exists), `renderLimit` (time per render), `parseLimit`
 *   (characters per parse), and an include depth limit (`maxIncludeDepth`).
 */
export function createLiquid(options: LiquidOptions): Liquid {
  const settings = options.settings ?? galleyStrictness
  const liquid = new Liquid({
    root: [...options.includes],
    partials: [...options.includes],
    layouts: [...options.includes],
    extname: '',
    jekyllInclude: true,
    dynamicPartials: false,
    strictFilters: settings.strictFilters,
    strictVariables: settings.strictVariables,
    relativeReference: false,
    cache: true,
    ...templateLimits
  })
  for (const [name, filter] of Object.entries(createJekyllFilters({baseurl: options.baseurl, url: options.url, markdownify: options.markdownify}))) {
    liquid.registerFilter(name, filter)
  }
  registerJekyllTags(liquid, options)
  registerPluginTags(liquid, options)
  applyErrorMode(liquid, {settings, warn: options.warn})
  return liquid
}
