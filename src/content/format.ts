import path from 'node:path'

const markdownExtensions = new Set(['.md', '.markdown', '.mdown', '.mkd', '.mkdn'])

/** The rendering format of a source file, from its extension. */
export function formatOf(source: string): 'markdown' | 'html' | 'text' {
  const extension = path.posix.extname(source).toLowerCase()
  if (markdownExtensions.has(extension)) return 'markdown'
  return extension === '.html' || extension === '.htm' ? 'html' : 'text'
}
