import {remarkKramdownExtensions} from '../../src/markdown/kramdown/remark-kramdown-extensions.js'
import {remarkKramdownHtmlBlocks} from '../../src/markdown/kramdown/remark-kramdown-html-blocks.js'
import {remarkKramdownHtmlMarkdown} from '../../src/markdown/kramdown/remark-kramdown-html-markdown.js'
import {pluginFixtures} from '../plugin-fixtures.js'

// As in the pipeline: HTML blocks read by kramdown's rules first (a parser wrapper, inside the extensions' one);
// the extensions plugin reads `{::options parse_block_html="true" /}`, which this one honours.
pluginFixtures('remark-kramdown-html-markdown', () => [], (options) => [[remarkKramdownHtmlBlocks], [remarkKramdownExtensions], [remarkKramdownHtmlMarkdown, options]])
