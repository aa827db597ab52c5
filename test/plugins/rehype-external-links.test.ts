import {rehypeExternalLinks} from '../../src/markdown/rehype-external-links.js'
import {pluginFixtures} from '../plugin-fixtures.js'

pluginFixtures('rehype-external-links', (options) => [[rehypeExternalLinks, options]])
