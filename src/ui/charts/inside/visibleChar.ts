/**
 * Text from a task, made readable in a chart: a character model's vocabulary includes white space
 * and control characters, which must show as something (a space is a character the model predicts).
 */

/** White space and control characters as visible symbols: a space is a character the model predicts. */
export function visibleChar(c: string): string {
  if (c === ' ') return '␣';
  if (c === '\n') return '↵';
  if (c === '\t') return '⇥';
  const code = c.codePointAt(0) ?? 0;
  return code < 0x20 || (code >= 0x7f && code < 0xa0) ? '·' : c;
}
