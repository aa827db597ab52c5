import {remarkKramdownCodeSpans} from '../../src/markdown/kramdown/micromark-kramdown-code-spans.js'
import {pluginFixtures} from '../plugin-fixtures.js'

pluginFixtures('micromark-kramdown-code-spans', () => [], () => [[remarkKramdownCodeSpans]])
