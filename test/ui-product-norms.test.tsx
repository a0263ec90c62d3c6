/**
 * The Jacobian-product chart draws norms past double's range where they are: from their logs,
 * a straight line for ‖W^k‖ = ρ^k at ρ = 1e−40 (1e−480 at k = 12), every point on it.
 */
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { powerOfTen } from '../src/ui/format';
import { ProductNormsPlot } from '../src/ui/charts/spectra/ProductNormsPlot';

const circles = (svg: string) => [...svg.matchAll(/<circle cx="([-\d.e]+)" cy="([-\d.e]+)"/g)].map((m) => [Number(m[1]), Number(m[2])]);

describe('ProductNormsPlot', () => {
  it('puts every lag of an underflowing product on one straight line', () => {
    const logNorms = Array.from({ length: 12 }, (_, i) => (i + 1) * Math.log(1e-40));
    const svg = renderToStaticMarkup(<ProductNormsPlot logNorms={logNorms} rate={Math.log(1e-40)} lyapunov={Math.log(1e-40)} width={400} height={300} rem={16} />);
    const pts = circles(svg).slice(1); // the first circle is the legend's
    expect(pts).toHaveLength(12);
    const dy = pts.map((p, i) => (i ? p[1] - pts[i - 1][1] : 0)).slice(1);
    for (const d of dy) expect(d).toBeCloseTo(dy[0], 6);
    expect(dy[0]).toBeGreaterThan(0); // falling: larger y downwards
  });

  it('names powers of ten with a true minus', () => {
    expect([-480, -2, -1, 0, 1, 3].map(powerOfTen)).toEqual(['1e−480', '1e−2', '0.1', '1', '10', '1e3']);
  });
});
