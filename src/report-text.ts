/**
 * Text echoed from content, file names or the command line, made safe for a
 * terminal: C0 and C1 control characters (ANSI escapes start with one), DEL,
 * and the bidirectional overrides that can make a line read as something
 * else are written as `\x1b`-style escapes; tabs stay.
 */
export function escapeControls(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (char) => {
    const code = char.charCodeAt(0)
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`
  })
}
