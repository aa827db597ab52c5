import {remarkKramdownFootnotes} from '../../src/markdown/kramdown/remark-kramdown-footnotes.js'
import {pluginFixtures} from '../plugin-fixtures.js'

pluginFixtures('remark-kramdown-footnotes', () => [], () => [[remarkKramdownFootnotes]])
