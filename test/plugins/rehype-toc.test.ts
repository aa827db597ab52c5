import {rehypeHeadingIds} from '../../src/markdown/rehype-heading-ids.js'
import {rehypeToc} from '../../src/markdown/rehype-toc.js'
import {pluginFixtures} from '../plugin-fixtures.js'

pluginFixtures('rehype-toc', (options) => [[rehypeHeadingIds, {anchors: false}], [rehypeToc, options]])
