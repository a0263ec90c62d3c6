/**
 * Comparison charts stay readable: an early spike is clipped out of view (and said so), a loss gets
 * a log axis when it spans decades, an accuracy keeps its linear one.
 */
import { describe, expect, it } from 'vitest';
import { metricView } from '../src/ui/lessons/metricView';

describe('metricView', () => {
  it('clips the irnn spike of 3e6 at 1.5× the rest and says where it went', () => {
    const mse = [0.2, 3e6, 4e4, 0.3, ...Array.from({ length: 400 }, (_, i) => 0.17 * Math.exp(-i / 80))];
    const v = metricView(mse, 1 / 6, false);
    expect(v.yMode).toBe('auto');
    // the largest of the baseline and every value after the first 5 % (21 points) is the baseline 1/6
    expect(v.yClip?.at).toBeCloseTo(1.5 / 6, 12);
    expect(v.yClip?.note).toBe('view clipped at 0.25; the first steps reached 3e6');
    const high = metricView([9e5, ...Array.from({ length: 99 }, (_, i) => (i === 50 ? 0.4 : 0.1))], 1 / 6, false);
    expect(high.yClip?.at).toBeCloseTo(0.6, 12); // a later value above the baseline sets the clip
  });

  it('never clips below the baseline, and leaves a run without a spike alone', () => {
    const flat = Array.from({ length: 200 }, () => 0.15);
    expect(metricView(flat, 1 / 6, false)).toEqual({ yMode: 'auto' });
    const spike = [50, ...flat];
    expect(metricView(spike, 1 / 6, false).yClip?.at).toBeCloseTo(1.5 / 6, 12);
  });

  it('keeps an accuracy linear and unclipped', () => {
    expect(metricView([0.25, 0.3, 0.9], 0.25, true)).toEqual({ yMode: 'linear' });
  });
});
