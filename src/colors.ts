import picocolors from 'picocolors'

/** The colour functions the CLI uses; each returns its input unchanged when colour is off. */
export type Colors = ReturnType<typeof picocolors.createColors>

/**
 * Colour for one output stream: only when it is a terminal, never when
 * `NO_COLOR` is set to anything but the empty string (no-color.org) or the
 * terminal is `dumb`. The environment is passed in: only cli.ts reads it.
 */
export function colorsFor(stream: {readonly isTTY?: boolean | undefined}, env: Readonly<Record<string, string | undefined>>): Colors {
  const enabled = stream.isTTY === true && (env.NO_COLOR === undefined || env.NO_COLOR === '') && env.TERM !== 'dumb'
  return picocolors.createColors(enabled)
}

/**
 * A `path:line:column: severity: message (rule)` line with its severity in
 * colour (errors red, warnings yellow) and the place dimmed; any other line
 * as it is. The text stays the same, so the line is still clickable.
 */
export function paintMessage(line: string, colors: Colors): string {
  const match = /^(.*?:\d+:\d+: )(error|warning)(: .*)$/s.exec(line)
  if (!match) return line
  const [, place = '', severity = '', rest = ''] = match
  return colors.dim(place) + (severity === 'error' ? colors.red(colors.bold(severity)) : colors.yellow(severity)) + rest
}
