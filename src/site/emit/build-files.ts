import {hashOf} from '../build-cache.js'
import type {Output} from '../outputs.js'
import type {Emitter} from './types.js'

/**
 * Files the build makes for every site: the stylesheet of highlighted code
 * (its classes come from the highlighter's themes) and `.nojekyll` (GitHub
 * Pages would run Jekyll over the output otherwise, and drop `_` files).
 */
export function buildFiles(version: string): Emitter {
  return {
    name: 'build files',
    emit(_model, context) {
      const outputs: Output[] = []
      if (!context.taken('assets/css/code.css')) {
        // The themes are the highlighter's defaults, so the version says everything the stylesheet is made from;
        // shiki loads only when it must be made.
        const key = hashOf('code.css', version)
        const make = async () => (await import('../../markdown/rehype-highlight-code.js')).createCodeHighlighter().stylesheet()
        outputs.push({path: 'assets/css/code.css', key, owner: context.configFile, deferrable: false, make})
      }
      if (!context.taken('.nojekyll')) outputs.push({path: '.nojekyll', key: 'empty', owner: context.configFile, deferrable: false, make: async () => ''})
      return outputs
    }
  }
}
