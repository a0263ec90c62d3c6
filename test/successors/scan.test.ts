/**
 * The parallel (Hillis–Steele) scan against the plain loop x_t = a_t ⊙ x_{t−1} + b_t, real and
 * complex, with a carried start state, and with truncation (a detach restarts the scan); and the
 * adjoint recurrence against its own loop written out here.
 */
import { describe, expect, it } from 'vitest';
import { isDetachedAt } from '../../src/engine/bptt';
import { Rng } from '../../src/engine/rng';
import { adjointRecurrence, chunksOf, linearRecurrence, recurrenceInChunks, type Rows } from '../../src/engine/successors/scan';
import { relativeError } from '../helpers';

function randomRows(rng: Rng, T: number, n: number, complex: boolean, scale = 1): Rows {
  const re = new Float64Array(T * n).map(() => scale * rng.uniformIn(-1, 1));
  return { re, im: complex ? new Float64Array(T * n).map(() => scale * rng.uniformIn(-1, 1)) : null };
}

/** The recurrence written out, one step and one channel at a time, in complex arithmetic. */
function plainLoop(a: Rows, b: Rows, T: number, n: number, x0: Rows | null): { re: number[]; im: number[] } {
  const re: number[] = [];
  const im: number[] = [];
  for (let j = 0; j < n; j++) {
    let xr = x0 ? x0.re[j] : 0;
    let xi = x0?.im ? x0.im[j] : 0;
    for (let t = 0; t < T; t++) {
      const i = t * n + j;
      const ar = a.re[i];
      const ai = a.im ? a.im[i] : 0;
      [xr, xi] = [ar * xr - ai * xi + b.re[i], ar * xi + ai * xr + (b.im ? b.im[i] : 0)];
      re[i] = xr;
      im[i] = xi;
    }
  }
  return { re, im };
}

const flat = (r: Rows) => [...r.re, ...(r.im ?? [])];

describe('parallel scan = loop', () => {
  const grid: [number, boolean, boolean][] = [];
  for (const T of [1, 2, 3, 7, 8, 33]) for (const complex of [false, true]) for (const carried of [false, true]) grid.push([T, complex, carried]);

  it.each(grid)('T = %i, complex %s, carried start %s', (T, complex, carried) => {
    const rng = new Rng(T * 4 + Number(complex) * 2 + Number(carried));
    const n = 5;
    const a = randomRows(rng, T, n, complex, 0.98);
    const b = randomRows(rng, T, n, complex);
    const x0 = carried ? randomRows(rng, 1, n, complex) : null;
    const want = plainLoop(a, b, T, n, x0);
    const wantFlat = [...want.re, ...(complex ? want.im : [])];
    for (const mode of ['loop', 'parallel'] as const) expect(relativeError(flat(linearRecurrence(a, b, T, n, x0, mode)), wantFlat), mode).toBeLessThan(1e-12);
  });

  it.each([1, 2, 3, 5, 16])('with truncation k = %i: the restarted scan gives the values of the uncut loop', (k) => {
    const rng = new Rng(k);
    const T = 16;
    const n = 3;
    for (const complex of [false, true]) {
      const a = randomRows(rng, T, n, complex, 0.98);
      const b = randomRows(rng, T, n, complex);
      const want = flat(linearRecurrence(a, b, T, n, null, 'loop'));
      expect(relativeError(flat(recurrenceInChunks(a, b, T, n, null, k, 'parallel')), want)).toBeLessThan(1e-12);
      expect(relativeError(flat(recurrenceInChunks(a, b, T, n, null, k, 'loop')), want)).toBe(0);
    }
  });

  it('cuts time where bptt detaches the state', () => {
    expect(chunksOf(7, null)).toEqual([[0, 7]]);
    expect(chunksOf(7, 3)).toEqual([[0, 3], [3, 6], [6, 7]]);
    expect(chunksOf(6, 3)).toEqual([[0, 3], [3, 6]]);
    for (const [from] of chunksOf(20, 4).slice(1)) expect(isDetachedAt(from, 4)).toBe(true);
  });
});

describe('adjoint recurrence = its loop', () => {
  it.each([null, 1, 3, 4])('truncation %s, real and complex, loop and scan', (k) => {
    const rng = new Rng(100 + (k ?? 0));
    const T = 13;
    const n = 4;
    for (const complex of [false, true]) {
      const a = randomRows(rng, T, n, complex, 0.98);
      const g = randomRows(rng, T, n, complex);
      // λ_t = g_t + conj(a_{t+1}) λ_{t+1}, nothing across a detached state
      const re: number[] = new Array(T * n).fill(0);
      const im: number[] = new Array(T * n).fill(0);
      for (let j = 0; j < n; j++) {
        let lr = 0;
        let li = 0;
        for (let t = T - 1; t >= 0; t--) {
          const i = t * n + j;
          if (t + 1 < T && !isDetachedAt(t + 1, k)) {
            const ar = a.re[i + n];
            const ai = a.im ? -a.im[i + n] : 0;
            [lr, li] = [ar * lr - ai * li, ar * li + ai * lr];
          } else [lr, li] = [0, 0];
          lr += g.re[i];
          li += g.im ? g.im[i] : 0;
          re[i] = lr;
          im[i] = li;
        }
      }
      const want = [...re, ...(complex ? im : [])];
      for (const mode of ['loop', 'parallel'] as const) expect(relativeError(flat(adjointRecurrence(a, g, T, n, k, mode)), want), `${mode} complex ${complex}`).toBeLessThan(1e-12);
    }
  });
});
