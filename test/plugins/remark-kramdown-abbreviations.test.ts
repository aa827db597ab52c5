import {remarkKramdownAbbreviations} from '../../src/markdown/kramdown/remark-kramdown-abbreviations.js'
import {pluginFixtures} from '../plugin-fixtures.js'

pluginFixtures('remark-kramdown-abbreviations', () => [], () => [[remarkKramdownAbbreviations]])
