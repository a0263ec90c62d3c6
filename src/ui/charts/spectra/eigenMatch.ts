/**
 * Keeps eigenvalue points identifiable from one analysis to the next: the engine lists them by
 * modulus, so two close ones can swap places between analyses and an animation would send them
 * flying across the plot. This reorders the new list so each point follows its nearest old one.
 */
export type Complex = [number, number];

/** Pair indices (i·n + j) fit in the low 18 bits of a float64's mantissa: n ≤ 512. */
const MAX_N = 512;
const INDEX_BITS = 0x3ffff;
/** Which 32-bit word of a float64 holds its low mantissa bits (the first on little-endian machines). */
const LOW = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1 ? 0 : 1;

/**
 * Greedy nearest matching of `next` to `prev` (same length): the closest pair first, then the
 * closest of what is left. At H = 128 this runs on the main thread on every analysis (per gate
 * block for LSTM/GRU), so no per-pair objects and no comparator sort: each pair's distance² is a
 * float64 whose lowest 18 mantissa bits are replaced by the pair's index, and the typed array is
 * sorted natively. Non-negative floats sort like their bit patterns, so this orders the pairs by
 * distance (perturbed by at most 2⁻³⁴ relative) and equal distances by index, and each sorted
 * key still says which pair it is.
 */
export function matchToPrevious(prev: Complex[] | undefined, next: Complex[]): Complex[] {
  if (!prev || prev.length !== next.length || next.length > MAX_N) return next;
  const n = next.length;
  const keys = new Float64Array(n * n); // (prev i, next j) → distance² with k = i·n + j in its low bits
  const words = new Uint32Array(keys.buffer); // words[2k + LOW] is key k's low half
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      const d = (prev[i][0] - next[j][0]) ** 2 + (prev[i][1] - next[j][1]) ** 2;
      const k = i * n + j;
      keys[k] = Number.isFinite(d) ? d : Number.MAX_VALUE; // Inf/NaN bits would not carry an index
      words[2 * k + LOW] = ((words[2 * k + LOW] & ~INDEX_BITS) | k) >>> 0;
    }
  keys.sort();
  const out: (Complex | null)[] = new Array(n).fill(null);
  const used = new Uint8Array(n);
  let placed = 0;
  for (let s = 0; s < keys.length; s++) {
    const k = words[2 * s + LOW] & INDEX_BITS;
    const i = (k / n) | 0;
    const j = k - i * n;
    if (out[i] || used[j]) continue;
    out[i] = next[j];
    used[j] = 1;
    if (++placed === n) break;
  }
  return out.map((c, i) => c ?? next[i]);
}

/** Only finite eigenvalues can be drawn. */
export const finiteEig = (e: Complex[] | undefined): Complex[] => (e ?? []).filter(([re, im]) => Number.isFinite(re) && Number.isFinite(im));
