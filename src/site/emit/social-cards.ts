import {readFileSync} from 'node:fs'
import {stampOf} from '../../io.js'
import {authorProfile} from '../author.js'
import {hashOf} from '../build-cache.js'
import type {LiquidPage} from '../liquid-scope.js'
import type {Output} from '../outputs.js'
import {openCardStore} from '../social-cards/card-store.js'
import {createCardDrawer, type CardInput} from '../social-cards/draw-card.js'
import type {Emitter} from './types.js'

/** Bumped when the card's drawing changes, so stored cards are drawn again. */
const CARD_FORMAT = '2'

const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']

/**
 * A 1200×630 sharing image per post (`social_cards: false` turns them off),
 * at the post's `social_card` URL. Each is keyed by what it shows (title,
 * author, date, reading time, site name, the hero file's stamp): an output
 * whose key is unchanged is kept, and a card drawn once is taken from the
 * persistent cache, so only cards whose inputs changed are drawn.
 */
export function socialCards(version: string): Emitter {
  return {
    name: 'social cards',
    emit(model, context) {
      if (!model.config.socialCards) return []
      const store = openCardStore(model.config.cacheDir)
      let draw: ReturnType<typeof createCardDrawer> | undefined
      const siteName = String(model.config.site.title ?? '')
      const outputs: Output[] = []
      for (const view of model.postViews) {
        const url = view.social_card
        if (typeof url !== 'string') continue
        const path = url.slice(1)
        if (context.taken(path)) continue
        const hero = heroFile(view, model.copies)
        const input: Omit<CardInput, 'hero'> = {title: String(view.title ?? ''), siteName, author: authorProfile(view.author)?.name ?? '', date: dateText(view.date), readingTime: Number(view.reading_time) > 0 ? `${view.reading_time} min read` : ''}
        const key = hashOf('social card', CARD_FORMAT, version, JSON.stringify(input), hero ? `${hero.file}:${hero.stamp}` : '')
        outputs.push({
          path,
          key,
          owner: context.configFile,
          deferrable: true,
          async make() {
            const stored = store.get(key)
            if (stored) return stored
            const png = await (draw ??= createCardDrawer())({...input, hero: hero ? {data: readFileSync(hero.file), type: hero.type} : undefined})
            store.put(key, png)
            return png
          }
        })
      }
      // Cards of this site's posts as they are now stay in the cache; older ones go (a preview with drafts keeps theirs too, until the next build).
      store.keepOnly(new Set(outputs.map((output) => output.key)))
      return outputs
    }
  }
}

/** The post's hero image when it is a PNG or JPEG file of the site (remote images are never fetched). */
function heroFile(view: LiquidPage, copies: ReadonlyMap<string, string>): {file: string; stamp: string; type: 'image/png' | 'image/jpeg'} | undefined {
  const image = view.image
  if (typeof image !== 'string' || !image.startsWith('/')) return undefined
  const type = /\.png$/i.test(image) ? 'image/png' : /\.jpe?g$/i.test(image) ? 'image/jpeg' : undefined
  if (!type) return undefined
  let path: string
  try {
    path = decodeURI(image.slice(1))
  } catch {
    return undefined
  }
  const file = copies.get(path)
  return type && file ? {file, stamp: stampOf(file), type} : undefined
}

/** `May 12, 2024`, in the post's own offset, as the post page shows it. */
function dateText(date: unknown): string {
  const wall = (date as {wall?: () => {year: number; month: number; day: number}} | undefined)?.wall?.()
  return wall ? `${months[wall.month - 1]} ${wall.day}, ${wall.year}` : ''
}
