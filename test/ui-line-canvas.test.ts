/**
 * The geometry the canvas training curves draw (src/ui/charts/lines/lineLayout.ts + envelopeOf),
 * checked against positions computed here from the data with plain arithmetic: a fixed [0, 1]
 * axis, a log axis by decades, per-half-pixel envelopes binned independently, breaks at NaN, the
 * clip line, reference lines and clip-event columns. Also the eigenvalue matching the spectra
 * animate with (against the straightforward greedy matching over sorted pairs) and the tween's
 * "would it show" test.
 */
import { describe, expect, it } from 'vitest';
import { layoutLinePlot, type LinePlotLayout } from '../src/ui/charts/lines/lineLayout';
import type { LineChartProps } from '../src/ui/charts/lines/LineChart';
import { envelopeOf, pathOf } from '../src/ui/charts/lines/scales';
import { dashOf } from '../src/ui/charts/lines/linePlotCanvas';
import { matchToPrevious, type Complex } from '../src/ui/charts/spectra/eigenMatch';
import { movesMoreThan } from '../src/ui/charts/useTween';
import { Rng } from '../src/engine/rng';

const base = (over: Partial<LineChartProps>): LineChartProps => ({
  width: 400,
  height: 240,
  rem: 14,
  series: [],
  xLabel: 'training step',
  yLabel: 'metric',
  yMode: 'linear',
  ariaLabel: 'test',
  ...over,
});

/** The points envelopeOf visits, with the piece breaks. */
function points(L: LinePlotLayout, xs: ArrayLike<number>, ys: ArrayLike<number>): { px: number; py: number; move: boolean }[] {
  const out: { px: number; py: number; move: boolean }[] = [];
  envelopeOf(xs, ys, L.fx, L.fy, L.ok, (px, py, move) => out.push({ px, py, move }));
  return out;
}

const close = (a: number, b: number, tol = 1e-9) => expect(Math.abs(a - b)).toBeLessThanOrEqual(tol);

describe('line plot geometry (canvas training curves)', () => {
  it('places a series on a fixed [0, 1] axis at x·plotW/xMax, (1 − y)·plotH', () => {
    const N = 50;
    const xs = Float64Array.from({ length: N }, (_, i) => i + 1);
    const ys = Float64Array.from({ length: N }, (_, i) => ((i * 7) % 11) / 10);
    const L = layoutLinePlot(base({ series: [{ key: 's', label: 's', x: xs, y: ys, color: '#000', dash: '' }], yFixed: [0, 1] }));
    expect(L).not.toBeNull();
    if (!L) return;
    const pts = points(L, xs, ys);
    // 50 points over ~300 px: a column each, visited as its first and its last value (the same)
    const cols = new Map<number, number[]>();
    for (const p of pts) cols.set(p.px, [...(cols.get(p.px) ?? []), p.py]);
    expect(cols.size).toBe(N);
    for (let i = 0; i < N; i++) {
      const px = Math.round(((xs[i] / N) * L.plotW) * 2) / 2;
      const got = cols.get(px);
      expect(got).toBeDefined();
      for (const py of got ?? []) close(py, (1 - ys[i]) * L.plotH);
    }
    expect(pts[0].move).toBe(true);
    expect(pts.slice(1).every((p) => !p.move)).toBe(true);
  });

  it('keeps each half-pixel column’s first, lowest, highest and last value of a long series', () => {
    const N = 20000;
    const rng = new Rng(7);
    const xs = Float64Array.from({ length: N }, (_, i) => i);
    const ys = Float64Array.from({ length: N }, () => rng.uniform());
    const L = layoutLinePlot(base({ series: [{ key: 's', label: 's', x: xs, y: ys, color: '#000', dash: '' }], yFixed: [0, 1] }));
    if (!L) throw new Error('no layout');
    // the bins, computed here: column = round(2·x·plotW/xMax)/2
    const bins = new Map<number, number[]>();
    const xMax = N - 1;
    for (let i = 0; i < N; i++) {
      const c = Math.round(((xs[i] / xMax) * L.plotW) * 2) / 2;
      bins.set(c, [...(bins.get(c) ?? []), (1 - ys[i]) * L.plotH]);
    }
    const pts = points(L, xs, ys);
    expect(pts.length).toBeLessThanOrEqual(4 * bins.size);
    const byCol = new Map<number, number[]>();
    for (const p of pts) byCol.set(p.px, [...(byCol.get(p.px) ?? []), p.py]);
    expect([...byCol.keys()].sort((a, b) => a - b)).toEqual([...bins.keys()].sort((a, b) => a - b));
    for (const [c, pys] of bins) {
      const drawn = byCol.get(c) ?? [];
      close(drawn[0], pys[0]);
      close(drawn[drawn.length - 1], pys[pys.length - 1]);
      close(Math.min(...drawn), Math.min(...pys));
      close(Math.max(...drawn), Math.max(...pys));
    }
    // one column per pixel (the canvas at devicePixelRatio 1): whole-pixel bins, computed here too
    const wholeBins = new Map<number, number[]>();
    for (let i = 0; i < N; i++) {
      const c = Math.round((xs[i] / xMax) * L.plotW);
      wholeBins.set(c, [...(wholeBins.get(c) ?? []), (1 - ys[i]) * L.plotH]);
    }
    const whole = new Map<number, number[]>();
    envelopeOf(xs, ys, L.fx, L.fy, L.ok, (px, py) => whole.set(px, [...(whole.get(px) ?? []), py]), 1);
    expect([...whole.keys()].sort((a, b) => a - b)).toEqual([...wholeBins.keys()].sort((a, b) => a - b));
    for (const [c, pys] of wholeBins) {
      const drawn = whole.get(c) ?? [];
      close(Math.min(...drawn), Math.min(...pys));
      close(Math.max(...drawn), Math.max(...pys));
      close(drawn[drawn.length - 1], pys[pys.length - 1]);
    }
    // the SVG path is the same points
    expect(pathOf(xs, ys, L.fx, L.fy, L.ok).split(/[ML]/).filter(Boolean)).toHaveLength(pts.length);
  });

  it('spaces decades evenly on a log axis and breaks the line at NaN and at zero', () => {
    const xs = Float64Array.from([1, 2, 3, 4, 5, 6]);
    const ys = Float64Array.from([1e-3, 1e-2, NaN, 1e-1, 0, 1]);
    const L = layoutLinePlot(base({ series: [{ key: 's', label: 's', x: xs, y: ys, color: '#000', dash: '' }], yMode: 'log' }));
    if (!L) throw new Error('no layout');
    expect(L.log).toBe(true);
    const pts = points(L, xs, ys);
    const at = (x: number) => pts.filter((p) => p.px === Math.round(((x / 6) * L.plotW) * 2) / 2).map((p) => p.py);
    const decade = at(1)[0] - at(2)[0];
    expect(decade).toBeGreaterThan(0);
    close(at(4)[0], at(2)[0] - decade, 1e-6);
    close(at(6)[0], at(2)[0] - 2 * decade, 1e-6);
    expect(at(3)).toEqual([]);
    expect(at(5)).toEqual([]);
    // three pieces: [1, 2], [4], [6]
    expect(pts.filter((p) => p.move)).toHaveLength(3);
    expect(L.skipped).toBe(1); // NaN; a zero on a log axis is left out but finite
  });

  it('draws values above the clip at the clip line, reference lines at their values, clip events at their columns', () => {
    const xs = Float64Array.from({ length: 10 }, (_, i) => 10 * (i + 1));
    const ys = Float64Array.from([0.5, 0.2, 5, 0.3, 0.1, 0.4, 0.2, 0.3, 0.25, 0.2]);
    const L = layoutLinePlot(
      base({
        series: [{ key: 's', label: 's', x: xs, y: ys, color: '#000', dash: '' }],
        yClip: { at: 1, note: 'clipped at 1' },
        refLines: [{ key: 'r', label: 'baseline', value: 0.75, color: '#999', dash: '7 4' }],
        events: { label: 'clipped', x: Float64Array.from([30, 70]), color: '#f90' },
      }),
    );
    if (!L) throw new Error('no layout');
    const [lo, hi] = L.y.domain();
    const yPx = (v: number) => ((hi - v) / (hi - lo)) * L.plotH;
    const pts = points(L, xs, L.ys[0]);
    close(pts.find((p) => p.px === Math.round(((30 / 100) * L.plotW) * 2) / 2)?.py ?? NaN, yPx(1), 1e-6);
    close(L.refLabels[0].py, yPx(0.75), 1e-6);
    expect(L.eventCols).toEqual([Math.round(0.3 * L.plotW), Math.round(0.7 * L.plotW)]);
    expect(L.rows.flat().map((r) => r.label)).toEqual(['metric — clipped at 1', 'clipped']);
  });

  it('maps like the d3 scales it stands for, linear and log', () => {
    const xs = Float64Array.from([1, 10, 100, 1000]);
    for (const yMode of ['linear', 'log'] as const) {
      const L = layoutLinePlot(base({ series: [{ key: 's', label: 's', x: xs, y: xs, color: '#000', dash: '' }], yMode }));
      if (!L) throw new Error('no layout');
      for (const v of [1, 3, 10, 250, 1000]) {
        close(L.fx(v), L.x(v), 1e-9);
        close(L.fy(v), L.y(v), 1e-9);
      }
    }
  });

  it('reads SVG dash arrays for the canvas', () => {
    expect(dashOf('')).toEqual([]);
    expect(dashOf('7 4')).toEqual([7, 4]);
    expect(dashOf('9 3 2 3')).toEqual([9, 3, 2, 3]);
    expect(dashOf('5,3')).toEqual([5, 3]);
  });
});

/** The greedy matching written plainly: all pairs as objects, a stable sort by distance. */
function naiveMatch(prev: Complex[], next: Complex[]): Complex[] {
  const pairs: { d: number; i: number; j: number }[] = [];
  prev.forEach((p, i) => next.forEach((q, j) => pairs.push({ d: (p[0] - q[0]) ** 2 + (p[1] - q[1]) ** 2, i, j })));
  pairs.sort((a, b) => a.d - b.d);
  const out: (Complex | null)[] = prev.map(() => null);
  const used = new Set<number>();
  for (const { i, j } of pairs) {
    if (out[i] || used.has(j)) continue;
    out[i] = next[j];
    used.add(j);
  }
  return out.map((c, i) => c ?? next[i]);
}

describe('eigenvalue matching between analyses', () => {
  it('matches each previous point to the same next point as the plain greedy matching', () => {
    const rng = new Rng(11);
    for (const n of [1, 2, 7, 32, 128]) {
      const prev: Complex[] = Array.from({ length: n }, () => [rng.uniform() * 2 - 1, rng.uniform() * 2 - 1]);
      // small moves, a shuffle, and conjugate pairs (equal distances: ties)
      const next: Complex[] = prev.map(([re, im]) => [re + 0.02 * (rng.uniform() - 0.5), im + 0.02 * (rng.uniform() - 0.5)]);
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(rng.uniform() * (i + 1));
        [next[i], next[j]] = [next[j], next[i]];
      }
      expect(matchToPrevious(prev, next)).toEqual(naiveMatch(prev, next));
      const ties: Complex[] = Array.from({ length: n }, (_, i) => [0.5, i % 2 ? 0.25 : -0.25]);
      const tiesNext: Complex[] = ties.map(([re, im]) => [re, -im]);
      expect(matchToPrevious(ties, tiesNext)).toEqual(naiveMatch(ties, tiesNext));
    }
  });

  it('leaves a changed count, or no previous points, as it came', () => {
    const next: Complex[] = [
      [1, 0],
      [0, 1],
    ];
    expect(matchToPrevious(undefined, next)).toBe(next);
    expect(matchToPrevious([[1, 0]], next)).toBe(next);
  });
});

describe('tween: a change that would not show jumps', () => {
  it('says whether any entry moves by more than the threshold', () => {
    expect(movesMoreThan([0, 1], [0.1, 1], 0.2)).toBe(false);
    expect(movesMoreThan([0, 1], [0.3, 1], 0.2)).toBe(true);
    expect(movesMoreThan([0, 1], [0, NaN], 0.2)).toBe(true);
    expect(movesMoreThan([0, 1], [0, 1], 0)).toBe(false);
  });
});
