import rehypeParse from 'rehype-parse'
import rehypeRaw from 'rehype-raw'
import rehypeStringify from 'rehype-stringify'
import remarkParse from 'remark-parse'
import remarkRehype from 'remark-rehype'
import {unified, type PluggableList, type Preset} from 'unified'
import type {VFile} from 'vfile'
import type {MarkdownSettings} from '../config.js'
import './data.js'
import {rehypeBlockWhitespace} from './rehype-block-whitespace.js'
import * as gist from './rehype-embed-gist.js'
import * as substack from './rehype-embed-substack.js'
import * as twitter from './rehype-embed-twitter.js'
import * as youtube from './rehype-embed-youtube.js'
import {rehypeThirdPartyScripts} from './rehype-third-party-scripts.js'
import {rehypeImages, type Dimensions} from './rehype-images.js'
import {rehypeFigures} from './figures/rehype-figures.js'
import {rehypeCrossReferences} from './figures/rehype-cross-references.js'
import {remarkEquationLabels} from './figures/remark-equation-labels.js'
import {rehypeStrayTags} from './rehype-stray-tags.js'
import {rehypeHighlightCode, type CodeHighlighter} from './rehype-highlight-code.js'
import {remarkCodeLineNumbers} from './remark-code-line-numbers.js'
import {mathPlugins} from './math.js'
import type {Element} from 'hast'
import {rehypeExternalLinks} from './rehype-external-links.js'
import {rehypeHeadingIds} from './rehype-heading-ids.js'
import {rehypeToc} from './rehype-toc.js'
import {rehypeWordCount} from './rehype-word-count.js'
import {parseAbsoluteUrl} from './url-attributes.js'
import {rehypeBaseUrl} from './rehype-base-url.js'
import {rehypeExcerpt} from './rehype-excerpt.js'
import {rehypeLocalAssets} from './rehype-local-assets.js'
import {mayHoldTable, remarkGfmParts} from './remark-gfm-parts.js'
import {rehypeKramdownToc} from './kramdown/rehype-kramdown-toc.js'
import {remarkKramdownExtensions} from './kramdown/remark-kramdown-extensions.js'
import {remarkKramdownCodeSpans} from './kramdown/micromark-kramdown-code-spans.js'
import {remarkKramdownLazyHtml} from './kramdown/micromark-kramdown-lazy-html.js'
import {remarkKramdownHtmlMarkdown} from './kramdown/remark-kramdown-html-markdown.js'
import {remarkKramdownHtmlBlocks} from './kramdown/remark-kramdown-html-blocks.js'
import {remarkKramdownTagsAsText} from './kramdown/remark-kramdown-tags-as-text.js'
import {remarkKramdownIal} from './kramdown/remark-kramdown-ial.js'
import {remarkKramdownToc} from './kramdown/remark-kramdown-toc.js'
import {remarkKramdownHeaderIds} from './kramdown/remark-kramdown-header-ids.js'
import {remarkKramdownFootnotes} from './kramdown/remark-kramdown-footnotes.js'
import {remarkKramdownDefinitionLists} from './kramdown/remark-kramdown-definition-lists.js'
import {remarkKramdownAbbreviations} from './kramdown/remark-kramdown-abbreviations.js'
import {remarkKramdownEmphasis} from './kramdown/remark-kramdown-emphasis.js'
import {remarkKramdownEscapes} from './kramdown/remark-kramdown-escapes.js'
import {remarkKramdownLinks} from './kramdown/remark-kramdown-links.js'
import {remarkKramdownOrderedLists} from './kramdown/remark-kramdown-ordered-lists.js'
import {kramdownTableHandler, remarkKramdownTables} from './kramdown/remark-kramdown-tables.js'
import {remarkTypography} from './typography/remark-typography.js'
import {remarkCompare} from './compare/remark-compare.js'
import {remarkMermaid} from './diagrams/remark-mermaid.js'
import {rehypePaperReferences} from './papers/rehype-paper-references.js'
import {rehypePaperLint} from './papers/rehype-paper-lint.js'
import {remarkCitations} from './citations/remark-citations.js'
import {rehypeCitations} from './citations/rehype-citations.js'
import type {CitationLibrary} from './citations/library.js'
import {rehypeDistillFootnotes} from './notes/rehype-distill-footnotes.js'
import {rehypeSidenotes} from './notes/rehype-sidenotes.js'
import type {Model} from './compare/types.js'
import {location} from 'vfile-location'
import {report} from '../report.js'
import {defuseUnclosedHtml} from './unclosed-html.js'
import {rehypeRemoteImages} from './images/rehype-remote-images.js'
import {rehypeResponsiveImages} from './images/rehype-responsive-images.js'

/** The slice of the site config that rendering depends on — and nothing else, so results can be cached by it. */
export interface MarkdownOptions {
  readonly baseurl: string
  /** The site's origin, so links to it count as internal. */
  readonly url: string
  readonly excerptSeparator: string
  /** Source-relative path → URL (no baseurl) of every file a post may reference. */
  readonly files: ReadonlyMap<string, string>
  readonly settings: MarkdownSettings
  /** Highlighted code by content hash, shared across posts and rebuilds. */
  readonly codeCache?: Map<string, Element> | undefined
  /** One highlighter for the whole build (grammars load once). */
  readonly highlighter?: CodeHighlighter | undefined
  /** Width and height of a local image by its URL (no baseurl), for `<img width height>`. */
  readonly readDimensions?: ((src: string) => Dimensions | undefined) | undefined
  /** The site's model data, for comparison blocks. */
  readonly models?: readonly Model[] | undefined
  /** The site's bibliographies, for citations (`[@key]`, `<d-cite>`). */
  readonly citations?: CitationLibrary | undefined
  /** Remote image URL → its mirrored copy's URL (no baseurl), and URLs whose copy is missing (`data/remote-images.yml`). */
  readonly remoteImages?: {readonly mirrored: ReadonlyMap<string, string>; readonly missing: ReadonlySet<string>} | undefined
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
 * 1. remark-parse + GFM (tables, autolinks for bare URLs, footnotes, as
 *    remark-gfm adds them; a post that cannot hold a table is parsed without
 *    trying every line as one, which is a third of the parse); math (`$$…$$`, `\\(…\\)`, single `$` only when the
 *    site asks) is read here, before remark-rehype, and typeset by KaTeX
 *    right after rehype-raw.
 *    Kramdown sites (`settings.kramdown`: Jekyll's `_config.yml`, or
 *    `markdown: kramdown`) read GFM without literal autolinks, single-`~`
 *    strikethrough and GFM tables, and add the kramdown preset between GFM
 *    and math: kramdown's table syntax in place of GFM's (a syntax
 *    extension; its head, bodies and footer become hast by its own
 *    remark-rehype handler), kramdown's inline and list syntax (its
 *    backslash escapes, which `*` and `_` open and close emphasis, link
 *    URLs with spaces kept as written, `[text] [id]`, only `1.` as an
 *    ordered marker, a lazy line that starts with a span element's tag kept in its
 *    paragraph), then extensions (`{::nomarkdown}`, `{::comment}`, `{::options}`; they
 *    wrap the parser, so they are read before anything else and also in
 *    re-parsed HTML content), kramdown's code spans in place of CommonMark's
 *    (a parser extension too), then `markdown="1"` HTML content re-parsed
 *    (before the transforms below, so they see it too, math's included),
 *    then `{#id}` at the end of headings (before attribute lists, which would
 *    not take it), then attribute lists (`{: .class}` lines and spans; they must see the
 *    blocks the re-parse made), then `{:toc}` lists, which the attribute
 *    lists mark, become placeholders filled in 3c; then definition lists,
 *    abbreviations (in every text, footnotes' too) and footnotes in
 *    kramdown's markup, last, as they move the notes to the end. Math reads
 *    `$$` blocks by kramdown's rule there, and typography (curly quotes,
 *    dashes; on for kramdown sites) runs after math, the last step on the
 *    mdast, so TeX is no longer text. CommonMark/GFM sites get none of it.
 *    Then pandoc citations (`[@key]`, and `@key` for keys in the post's
 *    bibliography) become Distill `<d-cite>` raw HTML, after the kramdown
 *    preset and before remark-rehype, so that rehype-raw reads them with the
 *    `<d-cite>` an author wrote and one plugin (3a') formats both.
 *    Then comparison blocks (```compare fences) become figures of the
 *    site's model data: after the kramdown preset (a fence inside
 *    `markdown="1"` HTML is one too), before math and remark-rehype, which
 *    turns their figure into hast (a fence left as code would be
 *    highlighted in 3.0). Mermaid fences become SVG figures at the same
 *    point, for the same reasons; then fences that ask for `linenos` get
 *    a class (their info string does not survive rehype-raw). With `figures: auto`, Quarto's one-line labelled
 *    equations (`$$…$$ {#eq-x}`) become display math and a label, after the
 *    math plugins (which read `$$…$$` first).
 * 2. remark-rehype with raw HTML allowed, then rehype-raw: the author's raw
 *    HTML blocks become real hast nodes (parsed by parse5 like a browser), so
 *    our plugins can transform them, and unclosed or stray tags are balanced
 *    inside the post: its HTML can never close or swallow the layout around it.
 * 3. Our plugins:
 *    0. words in angle brackets that are no HTML element (`<RET>`) back to
 *       text first: as unknown elements they swallow the blocks after them
 *       (on kramdown sites only those that start a line: kramdown keeps the
 *       others as elements, their tags unseen);
 *       then fenced code highlighted (shiki, cached by content hash);
 *    a. embeds become static markup (each kind its own plugin, left out when
 *       the site opts out), then the check for remaining third-party scripts
 *       (after the embeds, so it does not report scripts they removed);
 *    a'. links to papers recognised, reading-list lines marked up, and
 *       the paper lint (after the embeds, whose cards may link papers;
 *       before external links, which then treat the new links too); then
 *       citations formatted with their hover cards and the bibliography
 *       (before heading ids, so the References heading gets its id, and
 *       before the excerpt), then Distill's `<d-footnote>` as numbered
 *       footnotes (before local references and the baseurl, which then
 *       treat their links too);
 *    b. mirrored remote images → their copies' URLs, local references →
 *       URLs, then image attributes (sizes are read from the root-relative
 *       URLs 3b produced), then figures and their captions (`figures:
 *       auto`; they need the final alt and sizes), then numbering and
 *       `@fig-…` references (which need the figures' labels), then
 *       responsive images (`<picture>` with the widths and formats the
 *       build encodes; inside a figure too), then the baseurl prefix (which must also see the embeds'
 *       root-relative placeholders and the figures' links to their images);
 *    c. heading ids (kramdown's algorithm on kramdown sites), then the table of contents (which needs the ids), then
 *       on kramdown sites the `{:toc}` placeholders (which need them too);
 *    d. external links, whitespace between blocks, then the word count
 *       (reading time) of the finished content;
 *    e. the excerpt, so it holds the final markup; then, after it (so
 *       no excerpt or description repeats a note), each footnote copied as
 *       a sidenote beside its reference.
 * 4. rehype-stringify.
 * HTML posts skip step 1–2 and start from rehype-parse in fragment mode.
 */
export function createRenderer(options: MarkdownOptions): Renderer {
  // `math: false` (or kramdown's `math_engine: null`): TeX stays text, for the site's own script.
  const math = options.settings.math === false ? {remark: [], rehype: []} : mathPlugins({singleDollar: options.settings.singleDollarMath, kramdown: options.settings.kramdown})
  const ours = galleyPlugins(options)
  const typography = options.settings.typography
  const markdown = (tables: boolean) =>
    unified()
      .use(remarkParse)
      // kramdown reads GFM without literal autolinks, strikes only `~~`, and has tables of its own.
      .use(remarkGfmParts, {tables: tables && !options.settings.kramdown, literalAutolinks: !options.settings.kramdown, singleTilde: !options.settings.kramdown})
      .use(options.settings.kramdown ? kramdownRemark(options, tables) : noPlugins)
      .use(remarkCompare, {models: options.models})
      .use(remarkMermaid, {enabled: options.settings.mermaid})
      .use(remarkCodeLineNumbers)
      .use(remarkCitations, {library: options.citations})
      .use(math.remark)
      .use(options.settings.figures === 'auto' ? [remarkEquationLabels] : [])
      // After math, so TeX is no longer text; last on the mdast, so it sees every text node the plugins above made.
      .use(typography ? [[remarkTypography, {quotes: typography}]] : [])
      // kramdown's tables keep their head, bodies and footer (hast-kramdown-table.ts).
      .use(remarkRehype, {allowDangerousHtml: true, ...(options.settings.kramdown ? {handlers: {table: kramdownTableHandler}} : {})})
      .use(rehypeRaw)
      .use(math.rehype)
      .use(ours)
      .use(rehypeStringify)
      .freeze()
  const withTables = markdown(true)
  const withoutTables = markdown(false)
  const html = unified().use(rehypeParse, {fragment: true}).use(math.rehype).use(ours).use(rehypeStringify).freeze()
  return {
    async render(file, format) {
      defuseUnclosed(file, format)
      const chain = format === 'html' ? html : mayHoldTable(String(file.value ?? '')) ? withTables : withoutTables
      const result = await chain.process(file)
      return {html: String(result.value)}
    }
  }
}

/**
 * Before parsing: a `<!--`, `<script>`, `<style>`, `<textarea>` or `<title>`
 * that never closes would swallow the rest of the post; it becomes text
 * (unclosed-html.ts) and a warning at its place.
 */
function defuseUnclosed(file: VFile, format: 'markdown' | 'html'): void {
  const source = String(file.value ?? '')
  const {text, found} = defuseUnclosedHtml(source, format)
  if (found.length === 0) return
  const place = location(source)
  for (const {offset, opener, closer} of found) {
    report(file, {
      reason: `${opener} is never closed (no ${closer} after it), so it would hide the rest of the post; it is shown as text (close it, or write &lt; for a literal <)`,
      ruleId: 'unclosed-html',
      severity: 'warning',
      place: place.toPoint(offset)
    })
  }
  file.value = text
}

/** The kramdown preset's remark half, in order (see createRenderer); `tables`: the post may hold one (any `|`). */
function kramdownRemark(options: MarkdownOptions, tables: boolean): Preset {
  return {
    plugins: [
      // Parser wrappers, innermost first: kramdown's tables (whose syntax looks at the text being parsed), then its HTML blocks (which re-parse pieces through the tables' wrapper), inside the extensions' wrapper below.
      ...(tables ? [remarkKramdownTables] : []),
      [remarkKramdownHtmlBlocks],
      // Syntax (micromark constructs, so re-parsed HTML content gets them too): backslashes, code spans, emphasis, links, `1.` lists.
      [remarkKramdownEscapes],
      [remarkKramdownCodeSpans],
      [remarkKramdownEmphasis],
      [remarkKramdownLinks],
      [remarkKramdownOrderedLists],
      [remarkKramdownLazyHtml],
      [remarkKramdownExtensions],
      [remarkKramdownHtmlMarkdown, {parseBlockHtml: options.settings.kramdownParseBlockHtml}],
      // After the re-read of marked HTML, so the end tags it split off meet their start tags.
      [remarkKramdownTagsAsText],
      [remarkKramdownHeaderIds],
      [remarkKramdownIal],
      [remarkKramdownToc],
      [remarkKramdownDefinitionLists],
      [remarkKramdownAbbreviations],
      [remarkKramdownFootnotes]
    ]
  }
}

const noPlugins: Preset = {plugins: []}

/** The kramdown preset's rehype half: placeholders of `{:toc}` filled, after heading ids. */
function kramdownRehype(options: MarkdownOptions): PluggableList {
  return options.settings.kramdown ? [[rehypeKramdownToc, {levels: options.settings.kramdownTocLevels}]] : []
}

/** Our rehype plugins, in order, as one preset shared by both chains. */
function galleyPlugins(options: MarkdownOptions): Preset {
  return {
    plugins: [
      [rehypeStrayTags, {inlineAsElements: options.settings.kramdown}],
      [rehypeHighlightCode, {cache: options.codeCache, highlighter: options.highlighter}],
      ...embedPlugins(options),
      [rehypePaperReferences],
      [rehypePaperLint],
      [rehypeCitations, {library: options.citations}],
      [rehypeDistillFootnotes],
      ...remoteImagePlugins(options),
      [rehypeLocalAssets, {files: options.files}],
      [rehypeImages, {readDimensions: options.readDimensions}],
      [rehypeFigures, {enabled: options.settings.figures === 'auto'}],
      [rehypeCrossReferences, {enabled: options.settings.figures === 'auto'}],
      [rehypeResponsiveImages, {settings: options.settings.images, readDimensions: options.readDimensions}],
      [rehypeBaseUrl, {baseurl: options.baseurl}],
      [rehypeHeadingIds, {slugs: options.settings.kramdown ? 'kramdown' : 'github'}],
      [rehypeToc, {enabled: options.settings.toc, separator: options.excerptSeparator}],
      ...kramdownRehype(options),
      [rehypeExternalLinks, {target: options.settings.externalTarget, siteUrl: options.url}],
      [rehypeBlockWhitespace],
      [rehypeWordCount],
      [rehypeExcerpt, {separator: options.excerptSeparator}],
      [rehypeSidenotes, {enabled: options.settings.sidenotes}]
    ]
  }
}

/** Mirrored remote images shown from the site (unless `images: {remote: keep}`), before local references are resolved. */
function remoteImagePlugins(options: MarkdownOptions): PluggableList {
  const remote = options.remoteImages
  if (!remote || options.settings.images.remote === 'keep' || (remote.mirrored.size === 0 && remote.missing.size === 0)) return []
  return [[rehypeRemoteImages, {mirrored: remote.mirrored, missing: remote.missing, baseurl: options.baseurl}]]
}

/** The embed plugins the site keeps on, then the script check told which hosts are the site's own or opted out. */
function embedPlugins(options: MarkdownOptions): PluggableList {
  const kinds = [
    [options.settings.embeds.substack, substack.rehypeEmbedSubstack, substack.SCRIPT_HOSTS],
    [options.settings.embeds.youtube, youtube.rehypeEmbedYoutube, youtube.SCRIPT_HOSTS],
    [options.settings.embeds.twitter, twitter.rehypeEmbedTwitter, twitter.SCRIPT_HOSTS],
    [options.settings.embeds.gist, gist.rehypeEmbedGist, gist.SCRIPT_HOSTS]
  ] as const
  const plugins: PluggableList = kinds.filter(([enabled]) => enabled).map(([, plugin]) => plugin)
  const allowedHosts = kinds.filter(([enabled]) => !enabled).flatMap(([, , hosts]) => hosts)
  const ownHost = parseAbsoluteUrl(options.url)?.hostname.toLowerCase()
  return [...plugins, [rehypeThirdPartyScripts, {allowedHosts: ownHost ? [ownHost, ...allowedHosts] : allowedHosts}]]
}
