import {rehypeEmbedGist} from '../../src/markdown/rehype-embed-gist.js'
import {pluginFixtures} from '../plugin-fixtures.js'

pluginFixtures('rehype-embed-gist', () => [[rehypeEmbedGist]])
