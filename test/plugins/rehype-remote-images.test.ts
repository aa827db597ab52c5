import {rehypeRemoteImages} from '../../src/markdown/images/rehype-remote-images.js'
import {pluginFixtures} from '../plugin-fixtures.js'

/** Fixture options: `mirrored` (URL → copy's URL), `missing` (URLs whose copy is gone), `baseurl`. */
pluginFixtures('rehype-remote-images', (options) => [
  [
    rehypeRemoteImages,
    {
      mirrored: new Map(Object.entries((options.mirrored ?? {}) as Record<string, string>)),
      missing: new Set((options.missing ?? []) as string[]),
      baseurl: (options.baseurl as string | undefined) ?? ''
    }
  ]
])
