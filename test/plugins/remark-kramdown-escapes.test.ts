import {remarkKramdownEscapes} from '../../src/markdown/kramdown/remark-kramdown-escapes.js'
import {pluginFixtures} from '../plugin-fixtures.js'

pluginFixtures('remark-kramdown-escapes', () => [], () => [[remarkKramdownEscapes]])
