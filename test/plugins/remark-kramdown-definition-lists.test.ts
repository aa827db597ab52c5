import {remarkKramdownDefinitionLists} from '../../src/markdown/kramdown/remark-kramdown-definition-lists.js'
import {pluginFixtures} from '../plugin-fixtures.js'

pluginFixtures('remark-kramdown-definition-lists', () => [], () => [[remarkKramdownDefinitionLists]])
