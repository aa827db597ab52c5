import path from 'node:path'
import {VFile} from 'vfile'
import {report} from '../report.js'

interface TokenLike {
  readonly file?: string
  getPosition(): number[]
}

interface LiquidErrorLike extends Error {
  readonly token?: TokenLike
  readonly originalError?: Error
  readonly errors?: LiquidErrorLike[]
}

/**
 * Turn a liquidjs error into positioned messages. The message goes on the file
 * the failing token is in (a layout, an include, or the post itself, whose
 * front matter is blanked so its lines are true); `files` gives a VFile per
 * absolute path so all messages about one file are collected together.
 *
 * liquidjs appends `, file:…, line:…, col:…` to `message`; we take the
 * position from the token and the reason without that suffix, never
 * rewriting the error itself.
 */
export function reportLiquidError(error: unknown, fallback: VFile, fileFor: (absolute: string) => VFile, note?: string): void {
  const liquid = error as LiquidErrorLike
  const errors = Array.isArray(liquid.errors) && liquid.errors.length > 0 ? liquid.errors : [liquid]
  for (const one of errors) {
    const token = one.token
    const file = token?.file ? fileFor(token.file) : fallback
    const [line = 1, column = 1] = token ? token.getPosition() : []
    const reason = reasonOf(one) + (note ? ` (${note})` : '')
    report(file, {reason, ruleId: 'liquid', severity: 'error', place: {line, column}, cause: one})
  }
}

/** liquidjs's words for its limits (`templateLimits` in liquid.ts), and what they mean here. */
const limitReasons: Readonly<Record<string, string>> = {
  'memory alloc limit exceeded': 'this template allocates too much (memory limit: a loop over a huge range, or strings grown without end?)',
  'template render limit exceeded': 'this template renders for too long (time limit: a loop that does not end soon enough?)',
  'parse length limit exceeded': 'this template is too long to parse (length limit)'
}

function reasonOf(error: LiquidErrorLike): string {
  const text = error.originalError?.message ?? error.message ?? String(error)
  const reason = text.replace(/(, file:.*?)?, line:\d+, col:\d+$/s, '').replace(/\s+/g, ' ').trim()
  return limitReasons[reason] ?? reason
}

/** VFiles for files that are not posts (layouts, includes, config), one per path, so their messages are collected together. */
export interface FileRegistry {
  get(absolute: string): VFile
  all(): VFile[]
}

export function createFileRegistry(source: string): FileRegistry {
  const files = new Map<string, VFile>()
  return {
    get(absolute) {
      let file = files.get(absolute)
      if (!file) {
        const relative = path.relative(source, absolute)
        file = new VFile({path: relative.startsWith('..') ? absolute : relative})
        files.set(absolute, file)
      }
      return file
    },
    all: () => [...files.values()]
  }
}
