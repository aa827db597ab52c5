import {readdirSync} from 'node:fs'
import {createRequire} from 'node:module'
import path from 'node:path'

/** One file to copy for KaTeX: `from` an absolute path in node_modules, `to` a path in the output. */
export interface Asset {
  readonly from: string
  readonly to: string
}

/**
 * What a page with math needs from the katex package: its stylesheet and the
 * woff2 fonts it points at (`fonts/…` next to the CSS; every browser that
 * runs KaTeX's CSS takes woff2, the first source listed, so the woff and ttf
 * copies are left out). Copy each to `to` and link
 * `/assets/katex/katex.min.css` on pages whose `file.data.math` is set.
 */
export function katexAssets(): Asset[] {
  const css = createRequire(import.meta.url).resolve('katex/dist/katex.min.css')
  const fonts = path.join(path.dirname(css), 'fonts')
  return [
    {from: css, to: 'assets/katex/katex.min.css'},
    ...readdirSync(fonts)
      .filter((name) => name.endsWith('.woff2'))
      .sort()
      .map((name) => ({from: path.join(fonts, name), to: `assets/katex/fonts/${name}`}))
  ]
}
