/**
 * Small numeric helpers for the B charts: formatting that never prints "NaN", finite filters,
 * log-scale domains that survive zeros, argmax and softmax of a readout row.
 */
import { format } from 'd3';

const f3 = format('.3~g');
const e3 = format('.3~e');

/** A number for a label: three significant digits; "—" for NaN, "∞"/"−∞" for infinities. */
export function fmt(v: number | null | undefined): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  if (v === Infinity) return '∞';
  if (v === -Infinity) return '−∞';
  const a = Math.abs(v);
  return (a !== 0 && (a < 1e-3 || a >= 1e5) ? e3(v) : f3(v)).replace(/-/g, '−');
}

/** A linear axis's tick label: "−10" where d3's "~g" would print "−1e+1" (it keeps one digit for a step of 10). */
export const tickText = (v: { valueOf(): number }): string => fmt(+v);

export const isPos = (v: number): boolean => Number.isFinite(v) && v > 0;

/** [lo, hi] of the finite positive values (with `include` added), padded by a factor, for a log scale. */
export function logDomain(values: Iterable<number>, include: number[] = [], pad = 1.4): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!isPos(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  for (const v of include) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!(lo < Infinity)) return [0.1, 10];
  if (lo === hi) return [lo / 10, hi * 10];
  return [Math.max(lo / pad, 1e-300), Math.min(hi * pad, 1e300)];
}

/** Clamps a value into a log scale's domain (zeros and NaN go to the floor). */
export function clampLog(v: number, [lo, hi]: [number, number]): number {
  return isPos(v) ? Math.min(hi, Math.max(lo, v)) : lo;
}

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

/** Least-squares intercept of log(y) = a + rate·x over the finite positive points, or NaN. */
export function logIntercept(xs: number[], ys: number[], rate: number): number {
  let sx = 0;
  let sy = 0;
  let n = 0;
  xs.forEach((x, i) => {
    if (!isPos(ys[i])) return;
    sx += x;
    sy += Math.log(ys[i]);
    n++;
  });
  return n && Number.isFinite(rate) ? sy / n - rate * (sx / n) : NaN;
}

/** Tick labels for a log axis: only powers of ten when the domain spans a decade or more. */
export function logTickFormat([lo, hi]: [number, number]): (v: { valueOf(): number }) => string {
  const decades = Math.log10(hi / lo);
  return (v) => {
    const x = +v;
    const p = Math.log10(x);
    return decades < 1.2 || Math.abs(p - Math.round(p)) < 1e-9 ? fmt(x) : '';
  };
}
