import {mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import {randomBytes} from 'node:crypto'
import path from 'node:path'

/** Drawn cards by the hash of what they show, kept in the persistent cache folder so no card is drawn twice. */
export interface CardStore {
  get(key: string): Uint8Array | undefined
  put(key: string, png: Uint8Array): void
  /** Remove stored cards whose key is none of `keys` (cards of posts edited or gone), so the folder does not grow with every edit. */
  keepOnly(keys: ReadonlySet<string>): void
}

/** A store under `<cacheDir>/cards/`, or one that keeps nothing when the build has no cache (`--no-cache`). */
export function openCardStore(cacheDir: string | undefined): CardStore {
  if (cacheDir === undefined) return {get: () => undefined, put: () => undefined, keepOnly: () => undefined}
  const dir = path.join(cacheDir, 'cards')
  const fileOf = (key: string) => path.join(dir, `${key}.png`)
  return {
    get(key) {
      try {
        return new Uint8Array(readFileSync(fileOf(key)))
      } catch {
        return undefined
      }
    },
    put(key, png) {
      try {
        mkdirSync(dir, {recursive: true})
        // Written whole, then renamed: a build killed meanwhile never leaves half a card under a key.
        const temporary = `${fileOf(key)}.${randomBytes(4).toString('hex')}`
        writeFileSync(temporary, png)
        renameSync(temporary, fileOf(key))
      } catch {
        // A cache that cannot be written only means the card is drawn again next time.
      }
    },
    keepOnly(keys) {
      let names: string[]
      try {
        names = readdirSync(dir)
      } catch {
        return
      }
      for (const name of names) if (name.endsWith('.png') && !keys.has(name.slice(0, -4))) rmSync(path.join(dir, name), {force: true})
    }
  }
}
