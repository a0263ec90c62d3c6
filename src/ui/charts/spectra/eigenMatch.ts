/**
 * Keeps eigenvalue points identifiable from one analysis to the next: the engine lists them by
 * modulus, so two close ones can swap places between analyses and an animation would send them
 * flying across the plot. This reorders the new list so each point follows its nearest old one.
 */
export type Complex = [number, number];

/** Greedy nearest matching of `next` to `prev` (same length); O(n²), fine for n ≤ a few hundred. */
export function matchToPrevious(prev: Complex[] | undefined, next: Complex[]): Complex[] {
  if (!prev || prev.length !== next.length || next.length > 512) return next;
  const n = next.length;
  const pairs: [number, number, number][] = []; // (distance², prev index, next index)
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      const d = (prev[i][0] - next[j][0]) ** 2 + (prev[i][1] - next[j][1]) ** 2;
      pairs.push([Number.isFinite(d) ? d : Infinity, i, j]);
    }
  pairs.sort((a, b) => a[0] - b[0]);
  const out: (Complex | null)[] = new Array(n).fill(null);
  const used = new Uint8Array(n);
  let placed = 0;
  for (const [, i, j] of pairs) {
    if (out[i] || used[j]) continue;
    out[i] = next[j];
    used[j] = 1;
    if (++placed === n) break;
  }
  return out.map((c, i) => c ?? next[i]);
}

/** Only finite eigenvalues can be drawn. */
export const finiteEig = (e: Complex[] | undefined): Complex[] => (e ?? []).filter(([re, im]) => Number.isFinite(re) && Number.isFinite(im));
