/**
 * A source file's bytes as the text Galley works on: UTF-8 without a byte
 * order mark, every line ending (`\r\n`, or a lone `\r` as old Mac editors
 * write) as `\n`. Each line ending stays one line ending, so a line and
 * column in the text is the same line and column an editor shows.
 */
export function sourceText(bytes: Uint8Array | string): string {
  const text = typeof bytes === 'string' ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')
  return normalizeLineEndings(text.replace(/^\uFEFF/, ''))
}

/** `\r\n` and lone `\r` → `\n`. */
export function normalizeLineEndings(text: string): string {
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text
}
