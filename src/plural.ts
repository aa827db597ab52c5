/**
 * `1 post`, `2 posts`, `0 posts`: a count with its noun in the right number.
 * A module without imports, so `cli.ts` can load it for `--help` at no cost.
 * @param many The plural when it is not `one + 's'` (`1 entry`, `2 entries`).
 */
export function count(n: number, one: string, many = one + 's'): string {
  return `${n} ${n === 1 ? one : many}`
}
