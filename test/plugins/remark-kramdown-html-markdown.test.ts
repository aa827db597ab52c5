import {remarkKramdownExtensions} from '../../src/markdown/kramdown/remark-kramdown-extensions.js'
import {remarkKramdownHtmlMarkdown} from '../../src/markdown/kramdown/remark-kramdown-html-markdown.js'
import {pluginFixtures} from '../plugin-fixtures.js'

// The extensions plugin reads `{::options parse_block_html="true" /}`, which this one honours.
pluginFixtures('remark-kramdown-html-markdown', () => [], (options) => [[remarkKramdownExtensions], [remarkKramdownHtmlMarkdown, options]])
