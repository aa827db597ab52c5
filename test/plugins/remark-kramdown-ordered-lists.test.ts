import {remarkKramdownOrderedLists} from '../../src/markdown/kramdown/remark-kramdown-ordered-lists.js'
import {pluginFixtures} from '../plugin-fixtures.js'

pluginFixtures('remark-kramdown-ordered-lists', () => [], () => [[remarkKramdownOrderedLists]])
