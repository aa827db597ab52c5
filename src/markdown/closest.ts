/**
 * The known ids closest to a mistyped one, for messages: those within a few
 * edits of it (a typo), else simply the three nearest; at most three, nearest
 * first, ties in alphabetical order.
 */
export function closestIds(id: string, known: readonly string[]): string[] {
  const nearest = [...known].sort((a, b) => distance(id, a) - distance(id, b) || a.localeCompare(b))
  const close = nearest.filter((other) => distance(id, other) <= Math.max(2, Math.floor(id.length / 3)))
  return (close.length > 0 ? close : nearest).slice(0, 3)
}

/** Edit distance (Levenshtein). */
export function distance(a: string, b: string): number {
  let previous = Array.from({length: b.length + 1}, (_, index) => index)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) current[j] = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1))
    previous = current
  }
  return previous[b.length] as number
}
