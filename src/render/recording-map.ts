/**
 * A Map that can note which keys a piece of work looked up, and what it
 * found. A cached body stays valid while every lookup it made still finds
 * the same value: adding a post does not re-render the posts that never
 * referred to it.
 */
export class RecordingMap<K, V> extends Map<K, V> {
  #lookups: Map<K, V | undefined> | undefined

  override get(key: K): V | undefined {
    const value = super.get(key)
    if (this.#lookups && !this.#lookups.has(key)) this.#lookups.set(key, value)
    return value
  }

  override has(key: K): boolean {
    this.get(key)
    return super.has(key)
  }

  /** Run `work` (one at a time) and return what it looked up. */
  async record<T>(work: () => Promise<T>): Promise<{value: T; lookups: Array<[K, V | undefined]>}> {
    const lookups = new Map<K, V | undefined>()
    this.#lookups = lookups
    try {
      return {value: await work(), lookups: [...lookups]}
    } finally {
      this.#lookups = undefined
    }
  }
}
