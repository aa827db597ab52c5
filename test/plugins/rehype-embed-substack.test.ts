import {rehypeEmbedSubstack} from '../../src/markdown/rehype-embed-substack.js'
import {pluginFixtures} from '../plugin-fixtures.js'

pluginFixtures('rehype-embed-substack', () => [[rehypeEmbedSubstack]])
