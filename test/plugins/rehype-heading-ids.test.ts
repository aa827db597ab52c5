import {rehypeHeadingIds} from '../../src/markdown/rehype-heading-ids.js'
import {pluginFixtures} from '../plugin-fixtures.js'

pluginFixtures('rehype-heading-ids', (options) => [[rehypeHeadingIds, options]])
