import rehypeParse from 'rehype-parse'
import rehypeRaw from 'rehype-raw'
import rehypeStringify from 'rehype-stringify'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import remarkRehype from 'remark-rehype'
import {unified, type Preset} from 'unified'
import type {VFile} from 'vfile'
import type {MarkdownSettings} from '../config.js'
import './data.js'
import {rehypeBlockWhitespace} from './rehype-block-whitespace.js'
import {rehypeExternalLinks} from './rehype-external-links.js'
import {rehypeHeadingIds} from './rehype-heading-ids.js'
import {rehypeToc} from './rehype-toc.js'
import {rehypeBaseUrl} from './rehype-base-url.js'
import {rehypeExcerpt} from './rehype-excerpt.js'
import {rehypeLocalAssets} from './rehype-local-assets.js'

/** The slice of the site config that rendering depends on — and nothing else, so results can be cached by it. */
export interface MarkdownOptions {
  readonly baseurl: string
  /** The site's origin, so links to it count as internal. */
  readonly url: string
  readonly excerptSeparator: string
  /** Source-relative path → URL (no baseurl) of every file a post may reference. */
  readonly files: ReadonlyMap<string, string>
  readonly settings: MarkdownSettings
}

/** What rendering one post yields; `file.data` carries excerpt, assets and headings. */
export interface Rendered {
  readonly html: string
}

export interface Renderer {
  /**
   * Render a post body. `file.value` is the file text with front matter
   * blanked; `file.path` is source-relative; `file.data.matter` holds the
   * front matter for per-post switches.
   */
  render(file: VFile, format: 'markdown' | 'html'): Promise<Rendered>
}

/**
 * Build the one fixed unified chain for a build. Order matters:
 * 1. remark-parse + remark-gfm: markdown with GFM (tables, autolinks for bare URLs, footnotes).
 * 2. remark-rehype with raw HTML allowed, then rehype-raw: the author's raw
 *    HTML blocks become real hast nodes (parsed by parse5 like a browser), so
 *    our plugins can transform them, and unclosed or stray tags are balanced
 *    inside the post: its HTML can never close or swallow the layout around it.
 * 3. Our plugins: local references → URLs, then the baseurl prefix (which
 *    must see the URLs step 3a produced), then the excerpt, last, so it holds
 *    the final markup.
 * 4. rehype-stringify.
 * HTML posts skip step 1–2 and start from rehype-parse in fragment mode.
 */
export function createRenderer(options: MarkdownOptions): Renderer {
  const ours = galleyPlugins(options)
  const markdown = unified().use(remarkParse).use(remarkGfm).use(remarkRehype, {allowDangerousHtml: true}).use(rehypeRaw).use(ours).use(rehypeStringify).freeze()
  const html = unified().use(rehypeParse, {fragment: true}).use(ours).use(rehypeStringify).freeze()
  return {
    async render(file, format) {
      const result = format === 'markdown' ? await markdown.process(file) : await html.process(file)
      return {html: String(result.value)}
    }
  }
}

/** Our rehype plugins, in order, as one preset shared by both chains. */
function galleyPlugins(options: MarkdownOptions): Preset {
  return {
    plugins: [
      [rehypeLocalAssets, {files: options.files}],
      [rehypeBaseUrl, {baseurl: options.baseurl}],
      [rehypeHeadingIds],
      [rehypeToc, {enabled: options.settings.toc, separator: options.excerptSeparator}],
      [rehypeExternalLinks, {target: options.settings.externalTarget, siteUrl: options.url}],
      [rehypeBlockWhitespace],
      [rehypeExcerpt, {separator: options.excerptSeparator}]
    ]
  }
}
