import {remarkKramdownIal} from '../../src/markdown/kramdown/remark-kramdown-ial.js'
import {rehypeKramdownToc} from '../../src/markdown/kramdown/rehype-kramdown-toc.js'
import {remarkKramdownToc} from '../../src/markdown/kramdown/remark-kramdown-toc.js'
import {rehypeHeadingIds} from '../../src/markdown/rehype-heading-ids.js'
import {pluginFixtures} from '../plugin-fixtures.js'

// The remark half marks the list, the rehype half fills it once heading ids exist.
pluginFixtures(
  'kramdown-toc',
  (options) => [[rehypeHeadingIds, {anchors: false}], [rehypeKramdownToc, options]],
  () => [[remarkKramdownIal], [remarkKramdownToc]]
)
