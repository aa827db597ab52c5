import {remarkKramdownLinks} from '../../src/markdown/kramdown/remark-kramdown-links.js'
import {pluginFixtures} from '../plugin-fixtures.js'

pluginFixtures('remark-kramdown-links', () => [], () => [[remarkKramdownLinks]])
