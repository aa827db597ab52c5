import {rehypeEmbedTwitter} from '../../src/markdown/rehype-embed-twitter.js'
import {pluginFixtures} from '../plugin-fixtures.js'

pluginFixtures('rehype-embed-twitter', () => [[rehypeEmbedTwitter]])
