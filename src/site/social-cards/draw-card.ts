import {readFileSync} from 'node:fs'
import {createRequire} from 'node:module'

/** What a card shows; plain data, so the same input always draws the same PNG. */
export interface CardInput {
  readonly title: string
  readonly siteName: string
  readonly author: string
  /** The date as shown (`May 12, 2024`), or ''. */
  readonly date: string
  /** Reading time as shown (`7 min read`), or ''. */
  readonly readingTime: string
  /** A hero image: its bytes and media type (PNG or JPEG), drawn on the right. */
  readonly hero?: {readonly data: Uint8Array; readonly type: 'image/png' | 'image/jpeg'} | undefined
}

export const CARD_WIDTH = 1200
export const CARD_HEIGHT = 630

/** The subsets of Inter the cards can draw: Latin, Greek, Cyrillic and Vietnamese letters. */
const subsets = ['latin', 'latin-ext', 'greek', 'greek-ext', 'cyrillic', 'cyrillic-ext', 'vietnamese']

/** The font files the cards are drawn with (Inter, from @fontsource/inter, as WOFF: satori reads no WOFF2), with their weights. */
export function cardFontFiles(): Array<{file: string; name: string; weight: 400 | 700}> {
  const require = createRequire(import.meta.url)
  // One family name per subset: satori keeps one font per name and weight, and falls back across families.
  return subsets.flatMap((subset) => ([400, 700] as const).map((weight) => ({file: require.resolve(`@fontsource/inter/files/inter-${subset}-${weight}-normal.woff`), name: subset === 'latin' ? 'Inter' : `Inter ${subset}`, weight})))
}

type Node = {type: string; props: Record<string, unknown>}
const h = (type: string, style: Record<string, unknown>, children?: unknown, extra: Record<string, unknown> = {}): Node => ({type, props: {style, children, ...extra}})

/**
 * A drawer of cards: satori lays the card out as SVG with the bundled font,
 * resvg turns it into a 1200×630 PNG. Both load on the first card (a build
 * with no cards to make loads neither), the fonts once per drawer.
 */
export function createCardDrawer(): (input: CardInput) => Promise<Uint8Array> {
  let loaded: Promise<{satori: typeof import('satori').default; Resvg: typeof import('@resvg/resvg-js').Resvg; fonts: Array<{name: string; data: Buffer; weight: 400 | 700; style: 'normal'}>}> | undefined
  const load = () =>
    (loaded ??= (async () => {
      const [{default: satori}, {Resvg}] = await Promise.all([import('satori'), import('@resvg/resvg-js')])
      const fonts = cardFontFiles().map(({file, name, weight}) => ({name, data: readFileSync(file), weight, style: 'normal' as const}))
      return {satori, Resvg, fonts}
    })())
  return async (input) => {
    const {satori, Resvg, fonts} = await load()
    // Text the bundled fonts cannot draw (CJK, emoji…) would show as "no glyph" boxes: satori names it through
    // loadAdditionalAsset, and the card is drawn again without it (a title left empty is not drawn).
    const missing = new Set<string>()
    const options = {width: CARD_WIDTH, height: CARD_HEIGHT, fonts, loadAdditionalAsset: async (_language: string, segment: string) => (missing.add(segment), [])}
    let svg = await satori(cardTree(input) as never, options)
    if (missing.size > 0) svg = await satori(cardTree(withoutText(input, missing)) as never, {...options, loadAdditionalAsset: async () => []})
    return new Uint8Array(new Resvg(svg, {fitTo: {mode: 'width', value: CARD_WIDTH}, font: {loadSystemFonts: false}}).render().asPng())
  }
}

/** `input` with every character of `segments` taken out of its text, spaces tidied. */
function withoutText(input: CardInput, segments: ReadonlySet<string>): CardInput {
  const characters = new Set([...segments].flatMap((segment) => [...segment]).filter((character) => character.trim() !== ''))
  const strip = (text: string) =>
    [...text]
      .filter((character) => !characters.has(character))
      .join('')
      .replace(/\s+/g, ' ')
      .replace(/^[\s\p{P}]+$/u, '')
      .trim()
  return {...input, title: strip(input.title), siteName: strip(input.siteName), author: strip(input.author)}
}

/** The card's layout, as the element tree satori reads. */
function cardTree(input: CardInput): Node {
  const title = input.title.length > 140 ? input.title.slice(0, 137).trimEnd() + '…' : input.title
  const size = title.length > 90 ? 48 : title.length > 50 ? 58 : 68
  const meta = [input.author, input.date, input.readingTime].filter((part) => part !== '').join('  ·  ')
  const text = h(
    'div',
    {display: 'flex', flexDirection: 'column', justifyContent: 'space-between', flex: 1, padding: '64px 64px 56px'},
    [
      h('div', {display: 'flex', fontSize: 28, fontWeight: 700, color: '#9cc3ff', letterSpacing: 1}, input.siteName),
      h('div', {display: 'flex', fontSize: size, fontWeight: 700, lineHeight: 1.15, color: '#ffffff', overflow: 'hidden'}, title),
      h('div', {display: 'flex', fontSize: 28, color: '#d5dcea'}, meta)
    ]
  )
  const children: Node[] = [text]
  if (input.hero) {
    const src = `data:${input.hero.type};base64,${Buffer.from(input.hero.data).toString('base64')}`
    children.push(h('img', {width: 420, height: CARD_HEIGHT, objectFit: 'cover'}, undefined, {src, width: 420, height: CARD_HEIGHT}))
  }
  // A flat background with an accent bar: a gradient doubles resvg's time and the PNG's size.
  return h('div', {display: 'flex', width: '100%', height: '100%', backgroundColor: '#10223f', borderLeft: '16px solid #4f8fe8', fontFamily: 'Inter'}, children)
}
