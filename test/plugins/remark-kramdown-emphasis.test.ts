import {remarkKramdownEmphasis} from '../../src/markdown/kramdown/remark-kramdown-emphasis.js'
import {pluginFixtures} from '../plugin-fixtures.js'

pluginFixtures('remark-kramdown-emphasis', () => [], () => [[remarkKramdownEmphasis]])
