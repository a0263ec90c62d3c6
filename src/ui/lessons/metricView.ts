/**
 * How a comparison card draws its metric so the part the narration points at is readable: a
 * lower-is-better metric (a loss, an error) on a log axis when it spans decades, and an early
 * spike (a blow-up in the first steps: 3·10⁶ in `irnn`, 1,240 in `exploding`) clipped out of the
 * view with a note saying where and how high it went. Pure: numbers in, a decision out.
 */
import { fmt } from '../format';

export interface MetricView {
  yMode: 'auto' | 'linear';
  /** values above `at` stand at it; `note` says so in the chart's heading */
  yClip?: { at: number; note: string };
}

/** The share of the run counted as "early" (at least 5 points). */
const EARLY = 0.05;
/** A spike is clipped when it is this many times above everything after it (and the baseline). */
const SPIKE = 10;


export function metricView(values: ArrayLike<number>, baseline: number, higherIsBetter: boolean): MetricView {
  if (higherIsBetter) return { yMode: 'linear' };
  const n = values.length;
  const early = Math.min(n, Math.max(5, Math.ceil(EARLY * n)));
  let restMax = Number.isFinite(baseline) ? baseline : -Infinity;
  for (let i = early; i < n; i++) if (Number.isFinite(values[i]) && values[i] > restMax) restMax = values[i];
  let peak = -Infinity;
  for (let i = 0; i < n; i++) if (Number.isFinite(values[i]) && values[i] > peak) peak = values[i];
  if (n <= early || !(restMax > 0) || !(peak > SPIKE * restMax)) return { yMode: 'auto' };
  const at = 1.5 * restMax;
  return { yMode: 'auto', yClip: { at, note: `view clipped at ${fmt(at)}; the first steps reached ${fmt(peak)}` } };
}
