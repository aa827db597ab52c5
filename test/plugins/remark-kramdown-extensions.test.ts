import {remarkKramdownExtensions} from '../../src/markdown/kramdown/remark-kramdown-extensions.js'
import {pluginFixtures} from '../plugin-fixtures.js'

pluginFixtures('remark-kramdown-extensions', () => [], () => [[remarkKramdownExtensions]])
