import {createEncoder, ENCODE_FORMAT} from '../../images/encode.js'
import {report} from '../../report.js'
import {stampOf} from '../../io.js'
import {safeDecode} from '../../markdown/url-attributes.js'
import {hashOf} from '../build-cache.js'
import type {Output} from '../outputs.js'
import type {Emitter} from './types.js'

/**
 * The encoded copies of local images that pages offer in `<picture>`
 * (`images: {responsive: true}`, the default): one output per width and
 * format, keyed by the original's stamp, so an unchanged image is kept from
 * the last build without being read, and made (from the encoder's own cache
 * when it holds the bytes) otherwise. A file of the site's own at the same
 * path wins. In the preview they are made when first requested.
 */
export function imageVariantFiles(version: string): Emitter {
  return {
    name: 'image variants',
    emit(model, context) {
      if (model.imageVariants.size === 0) return []
      const encoder = createEncoder(model.config.cacheDir)
      const outputs: Output[] = []
      for (const variant of [...model.imageVariants.values()].sort((a, b) => (a.path < b.path ? -1 : 1))) {
        if (context.taken(variant.path)) continue
        const from = model.copies.get(safeDecode(variant.source.slice(1)))
        if (from === undefined) continue
        outputs.push({
          path: variant.path,
          key: hashOf('image variant', stampOf(from), String(variant.width), variant.format, ENCODE_FORMAT, version),
          owner: context.configFile,
          deferrable: true,
          make: async () => {
            try {
              return await encoder.encode(variant, from)
            } catch (error) {
              report(context.configFile, {reason: `could not encode ${variant.source.slice(1)} at ${variant.width} px as ${variant.format}: ${(error as Error).message}`, ruleId: 'image-encode', severity: 'error', place: {line: 1, column: 1}})
              return undefined
            }
          }
        })
      }
      return outputs
    }
  }
}
