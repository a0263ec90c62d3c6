/**
 * The network's readout at one step, for the task views: the predicted class (argmax of the
 * logits), the class probabilities (softmax) and the largest magnitude (a colour scale's range).
 */

export function argmax(a: ArrayLike<number>, start: number, n: number): number {
  let best = -1;
  let bestV = -Infinity;
  for (let k = 0; k < n; k++) {
    const v = a[start + k];
    if (v > bestV) {
      bestV = v;
      best = k;
    }
  }
  return best;
}

/** Softmax of n logits starting at `start`; non-finite logits give zeros. */
export function softmax(a: ArrayLike<number>, start: number, n: number): number[] {
  let m = -Infinity;
  for (let k = 0; k < n; k++) if (Number.isFinite(a[start + k])) m = Math.max(m, a[start + k]);
  const e = Array.from({ length: n }, (_, k) => (Number.isFinite(a[start + k]) ? Math.exp(a[start + k] - m) : 0));
  const s = e.reduce((x, y) => x + y, 0);
  return s > 0 ? e.map((v) => v / s) : e;
}

/** The largest |v| over finite values, at least `floor`. */
export function maxAbs(a: ArrayLike<number>, floor = 1e-9): number {
  let m = floor;
  for (let i = 0; i < a.length; i++) if (Number.isFinite(a[i])) m = Math.max(m, Math.abs(a[i]));
  return m;
}
