/** Where a front-matter key is written, for messages about its value. */
export function keyPlace(owner: {readonly keyLines: Readonly<Record<string, number>>}, key: string): {line: number; column: number} {
  return {line: owner.keyLines[key] ?? 1, column: 1}
}
