import {rehypeThirdPartyScripts} from '../../src/markdown/rehype-third-party-scripts.js'
import {pluginFixtures} from '../plugin-fixtures.js'

pluginFixtures('rehype-third-party-scripts', (options) => [[rehypeThirdPartyScripts, options]])
