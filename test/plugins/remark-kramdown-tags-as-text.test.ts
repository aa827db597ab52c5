import {remarkKramdownExtensions} from '../../src/markdown/kramdown/remark-kramdown-extensions.js'
import {remarkKramdownHtmlBlocks} from '../../src/markdown/kramdown/remark-kramdown-html-blocks.js'
import {remarkKramdownHtmlMarkdown} from '../../src/markdown/kramdown/remark-kramdown-html-markdown.js'
import {remarkKramdownTagsAsText} from '../../src/markdown/kramdown/remark-kramdown-tags-as-text.js'
import {pluginFixtures} from '../plugin-fixtures.js'

// In the pipeline's order: HTML blocks by kramdown's rules, marked HTML re-read, then stray end tags.
// Expected outputs checked against kramdown: node scripts/compare-fixtures-with-kramdown.mjs test/fixtures/plugins/remark-kramdown-tags-as-text
pluginFixtures('remark-kramdown-tags-as-text', () => [], () => [[remarkKramdownHtmlBlocks], [remarkKramdownExtensions], [remarkKramdownHtmlMarkdown], [remarkKramdownTagsAsText]])
