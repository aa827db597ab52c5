import {remarkKramdownLazyHtml} from '../../src/markdown/kramdown/micromark-kramdown-lazy-html.js'
import {pluginFixtures} from '../plugin-fixtures.js'

pluginFixtures('micromark-kramdown-lazy-html', () => [], () => [[remarkKramdownLazyHtml]])
