import type {VFile} from 'vfile'

/**
 * The cheap check a plugin makes before walking the tree: whether the
 * file's source text holds what the plugin works on (a class name, a tag).
 * A post without it is skipped. When the source is unknown (a tree built by
 * hand), the answer is yes.
 */
export function sourceMayHold(file: VFile, pattern: RegExp | string): boolean {
  if (file.value === undefined) return true
  const source = String(file.value)
  return typeof pattern === 'string' ? source.includes(pattern) : pattern.test(source)
}
