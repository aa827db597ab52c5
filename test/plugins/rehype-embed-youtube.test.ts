import {rehypeEmbedYoutube} from '../../src/markdown/rehype-embed-youtube.js'
import {pluginFixtures} from '../plugin-fixtures.js'

pluginFixtures('rehype-embed-youtube', (options) => [[rehypeEmbedYoutube, options]])
