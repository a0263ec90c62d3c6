/**
 * The scales of the line-chart kit, pure functions: extents that ignore NaN and ±Inf (a diverged
 * run must not break a chart), the choice of a log or linear axis, log domains that survive zeros
 * (padded, clamped, or in whole decades), the clipping of an early spike, and path builders: one
 * that thins a long series to its per-pixel minimum and maximum (the curve keeps its envelope, the
 * DOM stays small), one that joins a few points and breaks at non-finite ones.
 */
import { line, scaleLinear, scaleLog, type ScaleContinuousNumeric } from 'd3';
import { fmtTick } from '../../format';

export type Scale = ScaleContinuousNumeric<number, number>;

/** [min, max] over the finite values (only those > 0 when `positive`), or null when there are none. */
export function finiteExtent(arrays: ArrayLike<number>[], positive = false): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const a of arrays) {
    for (let i = 0; i < a.length; i++) {
      const v = a[i];
      if (!Number.isFinite(v) || (positive && v <= 0)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  return lo <= hi ? [lo, hi] : null;
}

/** True when the positive values span more than `decades` powers of ten (and none is ≤ 0). */
export function wantsLog(arrays: ArrayLike<number>[], decades = 2): boolean {
  const all = finiteExtent(arrays);
  const pos = finiteExtent(arrays, true);
  return !!all && !!pos && all[0] > 0 && pos[1] / pos[0] > 10 ** decades;
}

/** A y scale over the data's finite extent; a fallback domain when there is nothing to show. */
export function yScaleOf(extent: [number, number] | null, log: boolean, range: [number, number]): Scale {
  if (log) {
    let [lo, hi] = extent ?? [1e-3, 1];
    if (hi / lo < 10) [lo, hi] = [Math.sqrt(lo * hi) / Math.sqrt(10), Math.sqrt(lo * hi) * Math.sqrt(10)];
    return scaleLog().domain([lo, hi]).range(range).nice();
  }
  let [lo, hi] = extent ?? [0, 1];
  if (hi - lo < 1e-12 * Math.max(1, Math.abs(hi))) {
    const pad = hi !== 0 ? 0.5 * Math.abs(hi) : 0.5; // a flat series: centre it
    [lo, hi] = [lo - pad, hi + pad];
  }
  return scaleLinear().domain([lo, hi]).range(range).nice();
}

/** Ticks with their labels; a log axis labels only the ticks that do not crowd. */
export function ticksOf(scale: Scale, log: boolean, count: number): { value: number; label: string }[] {
  const n = Math.max(2, Math.round(count));
  const ticks = scale.ticks(n);
  // d3's log scale takes a formatter function here (its typings say string only).
  type LogTickFormat = (count: number, f: (d: number) => string) => (d: number) => string;
  const label = log ? (scale.tickFormat as unknown as LogTickFormat)(n, fmtTick) : fmtTick;
  return ticks.map((value) => ({ value, label: label(value) }));
}

/**
 * The points of a line through (xs, ys) in pixels, one vertical run (first, min, max, last) per
 * 1/`perPx` pixel (default half a pixel): a series of thousands of steps becomes a few points per
 * column and keeps its envelope. A point that is not `ok` (NaN, ±Inf, ≤ 0 on a log axis) breaks
 * the line: `visit` gets each point with `move` true where a new piece starts.
 */
export function envelopeOf(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  sx: (v: number) => number,
  sy: (v: number) => number,
  ok: (y: number) => boolean,
  visit: (px: number, py: number, move: boolean) => void,
  perPx = 2,
): void {
  let penDown = false;
  let col = NaN;
  let first = 0;
  let min = 0;
  let max = 0;
  let last = 0;
  const flush = () => {
    if (Number.isNaN(col)) return;
    visit(col, first, !penDown);
    if (max - min > 0.5) {
      visit(col, min, false);
      visit(col, max, false);
    }
    visit(col, last, false);
    penDown = true;
    col = NaN;
  };
  const n = Math.min(xs.length, ys.length);
  for (let i = 0; i < n; i++) {
    const y = ys[i];
    if (!Number.isFinite(xs[i]) || !ok(y)) {
      flush();
      penDown = false;
      continue;
    }
    const px = Math.round(sx(xs[i]) * perPx) / perPx;
    const py = sy(y);
    if (px !== col) {
      flush();
      col = px;
      first = min = max = py;
    } else {
      if (py < min) min = py;
      if (py > max) max = py;
    }
    last = py;
  }
  flush();
}

/** The line of `envelopeOf` as an SVG path (y to 0.1 px). */
export function pathOf(xs: ArrayLike<number>, ys: ArrayLike<number>, sx: (v: number) => number, sy: (v: number) => number, ok: (y: number) => boolean): string {
  const parts: string[] = [];
  envelopeOf(xs, ys, sx, sy, ok, (px, py, move) => parts.push(`${move ? 'M' : 'L'}${px},${Math.round(py * 10) / 10}`));
  return parts.join('');
}

/** How many values the chart could not draw (NaN, ±Inf, or ≤ 0 on a log axis). */
export function countSkipped(arrays: ArrayLike<number>[], ok: (y: number) => boolean): number {
  let n = 0;
  for (const a of arrays) for (let i = 0; i < a.length; i++) if (!ok(a[i])) n++;
  return n;
}

/** A rough width of a text in px, for margins and legend layout (system-ui digits ≈ 0.56 em). */
export const textWidth = (s: string, fontPx: number): number => s.length * 0.56 * fontPx;

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

/** [lo, hi] in log10, whole decades, always including 10⁰ = 1 (the no-change line). */
export function decadeDomain(log10s: number[]): [number, number] {
  const finite = log10s.filter(Number.isFinite);
  const lo = Math.floor(Math.min(0, ...finite));
  const hi = Math.ceil(Math.max(0, ...finite));
  return lo === hi ? [lo - 1, hi + 1] : [lo, hi];
}

/** Values above `at` drawn at it: an early spike must not flatten the rest of the run. */
export function clipAbove(ys: ArrayLike<number>[], at: number | undefined): ArrayLike<number>[] {
  return ys.map((y) => (at === undefined ? y : Float64Array.from(y, (v) => (v > at ? at : v))));
}

/** An SVG path through a few points (d3's line), broken where a point is not `defined`. */
export function linePath<T>(points: T[], x: (d: T, i: number) => number, y: (d: T) => number, defined?: (d: T) => boolean): string {
  const l = line<T>().x(x).y(y);
  if (defined) l.defined(defined);
  return l(points) ?? '';
}
