import rehypeRaw from 'rehype-raw'
import rehypeStringify from 'rehype-stringify'
import {remarkGfmParts} from './remark-gfm-parts.js'
import remarkParse from 'remark-parse'
import remarkRehype from 'remark-rehype'
import {unified} from 'unified'

/**
 * Markdown → HTML for Liquid's `markdownify` filter (front-matter text such
 * as captions). Synchronous, with the same markdown dialect as posts, but
 * none of the post-only plugins.
 */
export function createMarkdownify(): (markdown: string) => string {
  const processor = unified().use(remarkParse).use(remarkGfmParts).use(remarkRehype, {allowDangerousHtml: true}).use(rehypeRaw).use(rehypeStringify).freeze()
  return (markdown) => String(processor.processSync(markdown)).trim()
}
