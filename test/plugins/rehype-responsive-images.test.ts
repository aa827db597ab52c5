import {describe, expect, it} from 'vitest'
import {planImage} from '../../src/images/variants.js'
import {rehypeResponsiveImages} from '../../src/markdown/images/rehype-responsive-images.js'
import {pluginFixtures} from '../plugin-fixtures.js'

/** Fixture options: `sizes` gives each image's intrinsic size by URL (no query); widths, formats and the sizes attribute as in site.yml. */
pluginFixtures('rehype-responsive-images', (options) => {
  const sizes = (options.sizes ?? {}) as Record<string, [number, number]>
  return [
    [
      rehypeResponsiveImages,
      {
        settings: {
          responsive: true,
          widths: (options.widths as number[] | undefined) ?? [480, 800, 1200, 1600],
          formats: (options.formats as Array<'avif' | 'webp'> | undefined) ?? ['avif', 'webp'],
          sizes: (options.sizes_attribute as string | undefined) ?? '(min-width: 42rem) 42rem, 100vw'
        },
        readDimensions: (src: string) => {
          const size = sizes[src]
          return size ? {width: size[0], height: size[1]} : undefined
        }
      }
    ]
  ]
})

describe('planImage', () => {
  const settings = {widths: [480, 800, 1200, 1600], formats: ['avif', 'webp'] as Array<'avif' | 'webp'>}
  it('offers each width below the own, the own width up to the largest, and the original for its own width', () => {
    const plan = planImage('/a/b.png', 1000, settings)
    expect(plan?.srcset).toBe('/a/b.480w.png 480w, /a/b.800w.png 800w, /a/b.png 1000w')
    expect(plan?.sources).toEqual([
      {type: 'image/avif', srcset: '/a/b.480w.avif 480w, /a/b.800w.avif 800w, /a/b.1000w.avif 1000w'},
      {type: 'image/webp', srcset: '/a/b.480w.webp 480w, /a/b.800w.webp 800w, /a/b.1000w.webp 1000w'}
    ])
    expect(plan?.variants.map((variant) => variant.path)).toEqual(['a/b.480w.avif', 'a/b.800w.avif', 'a/b.1000w.avif', 'a/b.480w.webp', 'a/b.800w.webp', 'a/b.1000w.webp', 'a/b.480w.png', 'a/b.800w.png'])
  })
  it('never enlarges: a wider image stops at the largest width, and keeps the original as its widest candidate', () => {
    const plan = planImage('/x.jpg', 4000, settings)
    expect(plan?.srcset).toBe('/x.480w.jpg 480w, /x.800w.jpg 800w, /x.1200w.jpg 1200w, /x.1600w.jpg 1600w, /x.jpg 4000w')
    for (const variant of plan?.variants ?? []) expect(variant.width).toBeLessThanOrEqual(1600)
  })
  it('passes SVG and GIF through, and decodes the output path of a percent-encoded URL', () => {
    expect(planImage('/a.svg', 800, settings)).toBeUndefined()
    expect(planImage('/a.gif', 800, settings)).toBeUndefined()
    expect(planImage('/my%20file.png', 600, settings)?.variants[0]?.path).toBe('my file.480w.avif')
  })
})
