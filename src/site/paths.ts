import {urlToOutputPath} from '../content/permalink.js'

/** The output file for a URL Galley itself chose (always valid). */
export function outputPathOf(url: string): string {
  const placed = urlToOutputPath(url)
  if (!placed.ok) throw new Error(placed.reason)
  return placed.outputPath
}
