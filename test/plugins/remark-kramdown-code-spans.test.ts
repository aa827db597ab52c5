import {remarkKramdownCodeSpans} from '../../src/markdown/kramdown/remark-kramdown-code-spans.js'
import {pluginFixtures} from '../plugin-fixtures.js'

pluginFixtures('remark-kramdown-code-spans', () => [], () => [[remarkKramdownCodeSpans]])
