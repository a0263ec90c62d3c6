/** The singular-value histogram's bins: isometry is one bar at σ = 1; zeros are counted apart. */
import { describe, expect, it } from 'vitest';
import { binSingularValues } from '../src/ui/charts/spectra/svBins';

describe('binSingularValues', () => {
  it('puts σ = 1 (log10 0) in the bin starting at 0, and every value of an isometry there', () => {
    const b = binSingularValues(new Array(64).fill(1));
    expect(b.edges[0]).toBe(-3);
    expect(b.counts.length).toBe(40);
    const i = b.counts.findIndex((c) => c > 0);
    expect(b.edges[i]).toBeCloseTo(0, 12);
    expect(b.counts[i]).toBe(64);
    expect(b.total).toBe(64);
  });

  it('bins by decade tenths, clamps outliers into the end bins, and counts zeros and NaN apart', () => {
    const b = binSingularValues([0.5, 0.5, 2, 1e-9, 1e9, 0, NaN]);
    const at = (v: number) => b.counts[Math.floor((Math.log10(v) + 3) / 0.1 + 1e-9)];
    expect(at(0.5)).toBe(2);
    expect(at(2)).toBe(1);
    expect(b.counts[0]).toBe(1); // 1e-9 in the first bin
    expect(b.counts[b.counts.length - 1]).toBe(1); // 1e9 in the last
    expect(b.off).toBe(2);
    expect(b.counts.reduce((a, c) => a + c, 0)).toBe(5);
  });
});
