/**
 * The distribution of singular values of the state Jacobians J_t, binned on a log axis: pure
 * numbers (bins and counts) that the histogram chart draws. Isometry is one tall bar at σ = 1.
 */

export interface SvBins {
  /** bin edges in log10 σ, (bins + 1) */
  edges: number[];
  /** values per bin, (bins) */
  counts: number[];
  /** values that were 0 (or not finite) and have no place on a log axis */
  off: number;
  total: number;
}

/** Bins of width `binWidth` decades over [lo, hi] decades; values outside stand in the end bins. */
export function binSingularValues(values: readonly number[], lo = -3, hi = 1, binWidth = 0.1): SvBins {
  const bins = Math.round((hi - lo) / binWidth);
  const edges = Array.from({ length: bins + 1 }, (_, i) => lo + i * binWidth);
  const counts = new Array<number>(bins).fill(0);
  let off = 0;
  for (const v of values) {
    if (!(v > 0) || !Number.isFinite(v)) {
      off++;
      continue;
    }
    const i = Math.floor((Math.log10(v) - lo) / binWidth + 1e-9);
    counts[Math.max(0, Math.min(bins - 1, i))]++;
  }
  return { edges, counts, off, total: values.length };
}
