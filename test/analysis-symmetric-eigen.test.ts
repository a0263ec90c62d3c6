/**
 * The small symmetric eigensolver behind the fast analysis's Ritz values (tred2 + bounded tql2)
 * against ml-matrix's EigenvalueDecomposition (an independent port of JAMA) and closed forms.
 */
import { describe, expect, it } from 'vitest';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { symmetricEigen } from '../src/engine/analysis/symmetricEigen';
import { Rng } from '../src/engine/rng';
import { seededOrthogonal } from './analysisCases';

function randomSymmetric(m: number, rng: Rng): Float64Array {
  const G = new Float64Array(m * m); // (m, m)
  for (let i = 0; i < m; i++) for (let j = 0; j <= i; j++) G[i * m + j] = G[j * m + i] = rng.normal();
  return G;
}

describe('symmetricEigen', () => {
  it.each([1, 2, 3, 8, 24, 40])('m = %i: ml-matrix’s values to 1e-13 of ‖G‖, and G V = V Λ with V orthonormal', (m) => {
    const G = randomSymmetric(m, new Rng(m));
    const { values, V } = symmetricEigen(G, m);
    const M = new Matrix(m, m);
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) M.set(i, j, G[i * m + j]);
    const ref = new EigenvalueDecomposition(M, { assumeSymmetric: true }).realEigenvalues.sort((a, b) => b - a);
    const norm = Math.max(...ref.map(Math.abs));
    for (let i = 0; i < m; i++) expect(Math.abs(values[i] - ref[i])).toBeLessThan(1e-13 * norm);
    for (let a = 0; a < m; a++)
      for (let b = 0; b < m; b++) {
        let dot = 0;
        for (let k = 0; k < m; k++) dot += V[k * m + a] * V[k * m + b];
        expect(Math.abs(dot - (a === b ? 1 : 0))).toBeLessThan(1e-13);
      }
    for (let a = 0; a < m; a++)
      for (let i = 0; i < m; i++) {
        let gv = 0;
        for (let k = 0; k < m; k++) gv += G[i * m + k] * V[k * m + a];
        expect(Math.abs(gv - values[a] * V[i * m + a])).toBeLessThan(1e-12 * norm);
      }
  });

  it('closed form: Q diag(λ) Qᵀ gives λ descending, and the same values without vectors', () => {
    const m = 20;
    const Q = seededOrthogonal(m, new Rng(5));
    const lambda = Array.from({ length: m }, (_, i) => 10 - i * 0.75); // 10 … −4.25
    const G = new Float64Array(m * m); // (m, m)
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) for (let k = 0; k < m; k++) G[i * m + j] += Q[i * m + k] * lambda[k] * Q[j * m + k];
    const { values } = symmetricEigen(G, m);
    for (let i = 0; i < m; i++) expect(Math.abs(values[i] - lambda[i])).toBeLessThan(1e-13 * 10);
    expect(symmetricEigen(G, m, false).values).toEqual(values);
  });

  it('diagonal, zero, repeated, NaN, and entries near 1e-310 (where an unbounded QL would not stop)', () => {
    expect(symmetricEigen(Float64Array.from([3, 0, 0, 0, -1, 0, 0, 0, 2]), 3).values).toEqual([3, 2, -1]);
    expect(symmetricEigen(new Float64Array(16), 4).values).toEqual([0, 0, 0, 0]);
    expect(symmetricEigen(Float64Array.from([2, 0, 0, 2]), 2).values).toEqual([2, 2]);
    expect(symmetricEigen(Float64Array.from([1, NaN, NaN, 1]), 2).values.every(Number.isNaN)).toBe(true);
    const tiny = randomSymmetric(12, new Rng(9)).map((g) => g * 1e-310);
    const r = symmetricEigen(tiny, 12); // returns (NaN where it did not converge), never hangs
    expect(r.values).toHaveLength(12);
  });
});
