/**
 * TeX that MathJax typesets but KaTeX refuses, rewritten to what KaTeX reads
 * the same way; only tried on a formula KaTeX has already refused, so TeX
 * KaTeX takes is never touched:
 * - a command as a bare sub- or superscript, `t_\max`, `Q^\vec{\mu}`:
 *   MathJax takes the command (and its braced argument) as the script,
 *   KaTeX wants braces: `t_{\max}`, `Q^{\vec{\mu}}`;
 * - `\mbox{…}`, which this KaTeX lacks: `\text{…}`;
 * - `_` inside `\text{…}` (`\text{style_fwd}`), which MathJax prints and
 *   KaTeX rejects in text mode: `\_`.
 * Returns undefined when nothing applies.
 */
export function mathjaxCompat(tex: string): string | undefined {
  let changed = tex.replace(/\\mbox\{/g, '\\text{').replace(/([_^])\s*(\\[A-Za-z]+)((?:\{[^{}]*\})*)/g, (_whole, script: string, command: string, args: string) => `${script}{${command}${args}}`)
  changed = changed.replace(/\\text\{([^{}]*)\}/g, (whole, inner: string) => (inner.includes('_') ? `\\text{${inner.replace(/(?<!\\)_/g, '\\_')}}` : whole))
  return changed === tex ? undefined : changed
}
