import {hashOf} from '../build-cache.js'
import type {CodeHighlighter} from '../../markdown/rehype-highlight-code.js'
import type {Output} from '../outputs.js'
import type {Emitter} from './types.js'

/**
 * Files the build makes for every site: the stylesheet of highlighted code
 * (its classes come from the highlighter's themes) and `.nojekyll` (GitHub
 * Pages would run Jekyll over the output otherwise, and drop `_` files).
 */
export function buildFiles(highlighter: CodeHighlighter, version: string): Emitter {
  return {
    name: 'build files',
    emit(_model, context) {
      const outputs: Output[] = []
      if (!context.taken('assets/css/code.css')) {
        const key = hashOf('code.css', version, highlighter.themes.light, highlighter.themes.dark)
        outputs.push({path: 'assets/css/code.css', key, owner: context.configFile, deferrable: false, make: () => highlighter.stylesheet()})
      }
      if (!context.taken('.nojekyll')) outputs.push({path: '.nojekyll', key: 'empty', owner: context.configFile, deferrable: false, make: async () => ''})
      return outputs
    }
  }
}
