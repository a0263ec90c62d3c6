/** The eigenvalue preview draws every dot whole, ρ = 0.5 or ρ = 1.5 or far beyond (dots were cut above about 1.5). */
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { EigenPlane } from '../src/ui/controls/EigenPreview';

function dots(rho: number): [number, number][] {
  const eig: [number, number][] = Array.from({ length: 16 }, (_, i) => [rho * Math.cos((2 * Math.PI * i) / 16), rho * Math.sin((2 * Math.PI * i) / 16)]);
  const svg = renderToStaticMarkup(<EigenPlane w={{ gate: 'W_hh', eigenvalues: eig, spectralRadius: rho, singularValues: [] }} />);
  return [...svg.matchAll(/<circle cx="([-\d.e]+)" cy="([-\d.e]+)" r="2.5"/g)].map((m) => [Number(m[1]), Number(m[2])]);
}

describe('EigenPreview', () => {
  for (const rho of [0.5, 1, 1.5, 1.6, 3, 1e3]) {
    it(`keeps all 16 dots inside the 120 px frame at ρ = ${rho}`, () => {
      const d = dots(rho);
      expect(d).toHaveLength(16);
      for (const [x, y] of d) for (const v of [x, y]) expect(v - 2.5 >= 0 && v + 2.5 <= 120).toBe(true);
    });
  }
});
