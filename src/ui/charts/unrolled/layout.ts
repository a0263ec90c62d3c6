/**
 * Geometry and bookkeeping of the unrolled diagram: which steps fit (at most 24, the last ones),
 * where each column, box and arrow goes (in px from the panel width and the rem size), where the
 * truncation window cuts the gradient path, and the arrow width for a gradient norm.
 */

export const MAX_STEPS = 24;
export const STRIP_UNITS = 8;

export interface UnrolledLayout {
  T: number;
  /** the first step shown; steps t0 … T−1 are drawn */
  t0: number;
  n: number;
  dirs: number;
  units: number;
  width: number;
  height: number;
  /** left of the first column (after the row labels and the ellipsis) */
  x0: number;
  /** ellipsis region [gutter, x0) when t0 > 0 */
  gutter: number;
  stepW: number;
  boxW: number;
  boxH: number;
  unitH: number;
  /** top of each row's boxes */
  rowY: number[];
  /** baseline of the time labels */
  labelY: number;
  /** top of the ŷ arrows, bottom of the x arrows */
  outY: number;
  inY: number;
  rem: number;
}

export function unrolledLayout(T: number, dirs: number, H: number, width: number, height: number, rem: number): UnrolledLayout {
  const gutter = dirs > 1 ? 2.8 * rem : 0.2 * rem;
  const minStep = 1.55 * rem;
  const ellipsis = 2 * rem;
  let n = Math.max(1, Math.min(T, MAX_STEPS, Math.floor((width - gutter) / minStep)));
  if (n < T) n = Math.max(1, Math.min(n, Math.floor((width - gutter - ellipsis) / minStep)));
  const t0 = Math.max(0, T - n);
  const x0 = gutter + (t0 > 0 ? ellipsis : 0);
  const stepW = Math.max(1, (width - x0) / Math.max(1, n));
  const labelY = 1 * rem;
  const outY = 1.5 * rem;
  const firstRow = outY + 1.4 * rem;
  const rowGap = 1.7 * rem;
  const below = 2.6 * rem; // the gradient and the x_t inputs under the last row
  // the boxes take the height that is left, within readable limits; fewer units when it is tight
  const room = Math.max(0, (height - firstRow - below - (dirs - 1) * rowGap) / dirs - 0.6 * rem);
  const minUnit = 0.25 * rem;
  const units = Math.max(1, Math.min(STRIP_UNITS, H, Math.max(2, Math.floor(room / minUnit))));
  const unitH = Math.max(minUnit, Math.min(room / units, 1.1 * rem));
  const boxH = units * unitH + 0.6 * rem;
  const boxW = Math.min(stepW * 0.52, 2.8 * rem);
  const rowY = Array.from({ length: dirs }, (_, d) => firstRow + d * (boxH + rowGap));
  const inY = rowY[dirs - 1] + boxH + 2.2 * rem;
  return { T, t0, n, dirs, units, width, height: inY + 0.4 * rem, x0, gutter, stepW, boxW, boxH, unitH, rowY, labelY, outY, inY, rem };
}

/** Centre x of step t's column. */
export const colX = (L: UnrolledLayout, t: number): number => L.x0 + (t - L.t0 + 0.5) * L.stepW;

/**
 * True when no gradient crosses between steps t−1 and t in direction `dir` (truncated BPTT with
 * window k detaches the state entering processing steps k, 2k, …; the reverse direction processes
 * time backwards, so its processing step p is time T−1−p).
 */
export function cutBetween(t: number, dir: number, T: number, k: number): boolean {
  if (!(k > 0) || t <= 0 || t >= T) return false;
  if (dir === 0) return t % k === 0;
  const p = T - 1 - (t - 1); // processing step of time t−1, whose entering state comes from t
  return p > 0 && p % k === 0;
}

/** The last step of t's truncation chunk in the forward direction (T−1 without truncation). */
export function chunkEnd(t: number, T: number, k: number): number {
  if (!(k > 0)) return T - 1;
  return Math.min(T - 1, (Math.floor(t / k) + 1) * k - 1);
}

/** Arrow width for ‖∂L/∂h_t‖: affine in log10 of the norm over the finite positive range; 0 for none. */
export function gradWidthScale(norms: ArrayLike<number> | null, rem: number): (v: number) => number {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < (norms?.length ?? 0); i++) {
    const v = (norms as ArrayLike<number>)[i];
    if (Number.isFinite(v) && v > 0) {
      lo = Math.min(lo, Math.log10(v));
      hi = Math.max(hi, Math.log10(v));
    }
  }
  const maxW = 0.6 * rem;
  return (v: number) => {
    if (!(Number.isFinite(v) && v > 0)) return 0;
    if (!(hi > lo)) return maxW / 2;
    return 1 + ((Math.log10(v) - lo) / (hi - lo)) * (maxW - 1);
  };
}
