/**
 * Pure helpers for the live charts: extents that ignore NaN and ±Inf (a diverged run must not
 * break a chart), the choice of a log axis, number formats, and a path builder that thins a long
 * series to its per-pixel minimum and maximum (the curve keeps its envelope, the DOM stays small).
 */
import { format, scaleLinear, scaleLog, type ScaleContinuousNumeric } from 'd3';

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

const fmtSmallExp = format('.0e');
const fmtG = format('~g');
const fmt4 = format('.4~r');
const fmt3e = format('.3~e');
const prettyExp = (s: string) => s.replace('e+', 'e').replace('-', '−');

/** Tick labels: plain for ordinary magnitudes, 1e−5 style beyond. */
export function fmtTick(d: number): string {
  const a = Math.abs(d);
  if (a === 0) return '0';
  if (a >= 1e4 || a < 1e-3) return prettyExp(fmtSmallExp(d));
  return fmtG(d).replace('-', '−');
}

/** A readout: four significant digits, exponent notation for very large or small numbers. */
export function fmtValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  const a = Math.abs(v);
  return a !== 0 && (a >= 1e5 || a < 1e-3) ? prettyExp(fmt3e(v)) : fmt4(v).replace('-', '−');
}

/** Like fmtValue, but what Number() and parseFloat() read back: ASCII minus, "Infinity". For
 *  readouts that tests and scripts parse. */
export function fmtPlain(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return fmtValue(v).replace(/−/g, '-');
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
 * An SVG path through the points, one vertical run (first, min, max, last) per half pixel: a
 * series of thousands of steps becomes a path of at most ~2 points per pixel. A point that is not
 * `ok` (NaN, ±Inf, ≤ 0 on a log axis) breaks the line.
 */
export function pathOf(xs: ArrayLike<number>, ys: ArrayLike<number>, sx: (v: number) => number, sy: (v: number) => number, ok: (y: number) => boolean): string {
  const parts: string[] = [];
  let penDown = false;
  let col = NaN;
  let first = 0;
  let min = 0;
  let max = 0;
  let last = 0;
  const r = (v: number) => Math.round(v * 10) / 10;
  const flush = () => {
    if (Number.isNaN(col)) return;
    parts.push(`${penDown ? 'L' : 'M'}${col},${r(first)}`);
    if (max - min > 0.5) parts.push(`L${col},${r(min)}L${col},${r(max)}`);
    parts.push(`L${col},${r(last)}`);
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
    const px = Math.round(sx(xs[i]) * 2) / 2;
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
