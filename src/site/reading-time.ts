/** Words a reader gets through in a minute: the usual figure for screen reading of non-fiction. */
export const WORDS_PER_MINUTE = 230

/** Minutes to read `words` words, rounded up; at least 1 for any text, 0 for none. */
export function readingMinutes(words: number): number {
  return words <= 0 ? 0 : Math.max(1, Math.ceil(words / WORDS_PER_MINUTE))
}
