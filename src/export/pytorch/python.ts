/**
 * Writing Python source from TypeScript: literals that Python reads back to the same values
 * (a JavaScript number's shortest text is the shortest text of the same float64 in Python too),
 * and bytes as base64 (no Node API: the page calls this as well).
 */

/** A number as Python source: whole numbers as ints where asked, else the float's shortest text. */
export function pyNum(x: number): string {
  if (Number.isNaN(x)) return 'float("nan")';
  if (!Number.isFinite(x)) return x > 0 ? 'float("inf")' : '-float("inf")';
  return String(x);
}

/** A string as a Python literal (JSON's escapes are Python's, except that Python also reads \u escapes the same way). */
export function pyStr(s: string): string {
  return JSON.stringify(s);
}

export function pyBool(b: boolean): string {
  return b ? 'True' : 'False';
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard base64 (RFC 4648, with padding) of bytes, as Python's base64.b64decode reads it. */
export function base64(bytes: Uint8Array): string {
  const out: string[] = [];
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out.push(ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63] + ALPHABET[(n >> 6) & 63] + ALPHABET[n & 63]);
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i] << 16;
    out.push(`${ALPHABET[n >> 18]}${ALPHABET[(n >> 12) & 63]}==`);
  } else if (rest === 2) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8);
    out.push(`${ALPHABET[n >> 18]}${ALPHABET[(n >> 12) & 63]}${ALPHABET[(n >> 6) & 63]}=`);
  }
  return out.join('');
}

/** float64 values as little-endian bytes, whatever the machine's own order. */
export function float64Bytes(values: ArrayLike<number>): Uint8Array {
  const view = new DataView(new ArrayBuffer(values.length * 8));
  for (let i = 0; i < values.length; i++) view.setFloat64(i * 8, values[i], true);
  return new Uint8Array(view.buffer);
}

/** A long base64 text cut into lines of `width` inside a parenthesized Python string. */
export function pyLongString(text: string, width = 100): string {
  const lines: string[] = [];
  for (let i = 0; i < text.length; i += width) lines.push(`    "${text.slice(i, i + width)}"`);
  return lines.length ? `(\n${lines.join('\n')}\n)` : '""';
}

/** Trims the common indentation of a template and its first and last blank line. */
export function dedent(text: string): string {
  const lines = text.replace(/^\n/, '').replace(/\n\s*$/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
  return lines.map((l) => l.slice(indent)).join('\n');
}
