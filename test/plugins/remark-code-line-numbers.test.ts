import {remarkCodeLineNumbers} from '../../src/markdown/remark-code-line-numbers.js'
import {rehypeHighlightCode} from '../../src/markdown/rehype-highlight-code.js'
import {pluginFixtures} from '../plugin-fixtures.js'

// With the highlighter after it, as in the pipeline: the class must survive the highlighting.
pluginFixtures('remark-code-line-numbers', () => [rehypeHighlightCode], () => [remarkCodeLineNumbers])
