/**
 * KaTeX prints some things itself, whatever its `strict` setting: `\message`
 * and `\errmessage` with console.log/error, "No character metrics for …"
 * with console.warn. Nothing may reach the terminal raw, so a KaTeX call runs
 * with the console's printing methods caught; what was printed is returned
 * for the caller to turn into a positioned warning. KaTeX renders
 * synchronously, so no other code runs while the console is caught.
 */
export function catchKatexConsole<T>(run: () => T): {readonly value: T; readonly printed: readonly string[]} {
  const printed: string[] = []
  const methods = ['log', 'warn', 'error', 'info', 'debug'] as const
  const saved = methods.map((name) => console[name])
  for (const name of methods) console[name] = (...args: unknown[]) => void printed.push(args.map(String).join(' '))
  try {
    return {value: run(), printed}
  } finally {
    methods.forEach((name, index) => (console[name] = saved[index]!))
  }
}
