import remarkMath from 'remark-math'
import {remarkTypography} from '../../src/markdown/typography/remark-typography.js'
import {pluginFixtures} from '../plugin-fixtures.js'

// remark-math first, as in the pipeline: TeX is then no longer text.
pluginFixtures('remark-typography', () => [], (options) => [[remarkMath, {singleDollarTextMath: false}], [remarkTypography, options]])
