/**
 * Liquid tags that common Jekyll plugins add, by tag name → the gem that
 * provides it. Galley renders some of them itself (`seo`, `feed_meta`,
 * `twitter`, `mermaid`, the jekyll-scholar pair when the citation engine is
 * there); for the others, the "unknown tag" error names the gem, so the
 * author knows where the tag came from.
 */
const pluginTags: Readonly<Record<string, string>> = Object.freeze({
  seo: 'jekyll-seo-tag',
  feed_meta: 'jekyll-feed',
  twitter: 'jekyll-twitter-plugin',
  mermaid: 'jekyll-mermaid (or jekyll-diagrams)',
  cite: 'jekyll-scholar',
  bibliography: 'jekyll-scholar',
  bibliography_count: 'jekyll-scholar',
  reference: 'jekyll-scholar',
  cite_details: 'jekyll-scholar',
  nocite: 'jekyll-scholar',
  gist: 'jekyll-gist',
  avatar: 'jekyll-avatar',
  include_cached: 'jekyll-include-cache',
  responsive_image: 'jekyll-responsive-image',
  responsive_image_block: 'jekyll-responsive-image',
  picture: 'jekyll_picture_tag',
  asset: 'jekyll-assets',
  octicon: 'jekyll-octicons',
  katex: 'jekyll-katex',
  katexmm: 'jekyll-katex',
  plantuml: 'jekyll-plantuml',
  graphviz: 'jekyll-graphviz (or jekyll-diagrams)',
  jupyter_notebook: 'jekyll-jupyter-notebook',
  tabs: 'jekyll-tabs',
  tab: 'jekyll-tabs',
  render_time: 'the example plugin of the Jekyll docs (render_time)'
})

/** The gem whose tag `name` probably is, or undefined. */
export function pluginOfTag(name: string): string | undefined {
  return Object.hasOwn(pluginTags, name) ? pluginTags[name] : undefined
}
