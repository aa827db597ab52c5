import {remarkKramdownSpacedLinks} from '../../src/markdown/kramdown/remark-kramdown-spaced-links.js'
import {pluginFixtures} from '../plugin-fixtures.js'

pluginFixtures('remark-kramdown-spaced-links', () => [], () => [[remarkKramdownSpacedLinks]])
