import {rehypeDistillFootnotes} from '../../src/markdown/notes/rehype-distill-footnotes.js'
import {rehypeSidenotes} from '../../src/markdown/notes/rehype-sidenotes.js'
import {pluginFixtures} from '../plugin-fixtures.js'

pluginFixtures('rehype-sidenotes', () => [[rehypeDistillFootnotes], [rehypeSidenotes]])
