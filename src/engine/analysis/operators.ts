/**
 * The state Jacobians of one sequence as operators on blocks of vectors, never multiplied together:
 * the fast analysis (./fast.ts) applies J_t and J_tᵀ to n × m blocks, O(n²·m) a step instead of the
 * O(n³) of a product of matrices.
 *
 * Each J_t is held as Ĵ_t · 2^{e_t} with max |Ĵ_t| within 2^±MODERATE_EXPONENT: J_t itself (e_t = 0)
 * where its largest entry already is, else rescaled by a power of two to max |Ĵ_t| in [1, 2)
 * (exact: only exponents move). Either way a block pushed through any number of steps stays in
 * double's range once it is renormalized after each step, and the logs of its growth are sums of
 * e_t·ln 2 and logs of normal numbers. (Rescaling every J_t cost a read and a write of all of them,
 * 100 MB for LSTM at H = 256, for no change in the results: a power-of-two factor moves through a
 * product exactly.)
 * LSTM's J = [[∂h'/∂h, diag(∂h'/∂c)], [∂c'/∂h, diag(f)]]: its columns H…2H−1 hold one entry per row
 * (row i and row H + i of column H + i), so only its first H columns are read densely (half the work).
 */
import { denseKernels } from '../dense';
import { maxAbs, powerOfTwoScale } from '../spectra';

export interface JacobianOperators {
  /** state size */
  n: number;
  /** the dense leading columns: n, or H for LSTM (its columns H…2H−1 are two diagonals) */
  dense: number;
  /** per step, processing order: Ĵ_t (n, n), or null where J_t is zero or not finite */
  J: (Float64Array | null)[];
  /** per step: e_t with J_t = Ĵ_t · 2^{e_t} (0 where J_t is used as it is); −Infinity for a zero J_t, NaN for a non-finite one */
  exp: number[];
}

/** J_t whose largest |entry| is within 2^±this are used as they are. */
const MODERATE_EXPONENT = 64;

/**
 * Js (each (n, n), processing order) as operators; `lstm` says the columns past n/2 are diagonals.
 * The J_t are used as they are where their scale is moderate; the others are rescaled into new
 * buffers (Js untouched) unless `inPlace`, which rescales that J_t itself (the caller has no further
 * use for it).
 */
export function jacobianOperators(Js: Float64Array[], n: number, lstm: boolean, inPlace = false): JacobianOperators {
  const J: (Float64Array | null)[] = [];
  const exp: number[] = [];
  for (const Jt of Js) {
    const scale = powerOfTwoScale(denseKernels().maxAbs?.(Jt) ?? maxAbs(Jt));
    if (scale.kind !== 'finite') {
      J.push(null);
      exp.push(scale.kind === 'zero' ? -Infinity : NaN);
    } else if (Math.abs(scale.exp) <= MODERATE_EXPONENT) {
      J.push(Jt);
      exp.push(0);
    } else {
      const out = inPlace ? Jt : new Float64Array(Jt.length); // (n, n)
      for (let i = 0; i < Jt.length; i++) out[i] = Jt[i] * scale.f1 * scale.f2;
      J.push(out);
      exp.push(scale.exp);
    }
  }
  return { n, dense: lstm ? n / 2 : n, J, exp };
}

/** Products of some Ĵ_t with one vector since the count was last reset: the work, counted, for tests that bound it. */
export const work = { vectors: 0 };

/** Ĵ_t, counting m products; or null, with Z (n, m) already the answer: zeros for a zero J_t, NaN for a non-finite one. */
function operand(ops: JacobianOperators, t: number, m: number, Z: Float64Array): Float64Array | null {
  work.vectors += m;
  const A = ops.J[t];
  if (A === null) Z.fill(Number.isNaN(ops.exp[t]) ? NaN : 0);
  return A;
}

/**
 * Z (n, m) = Ĵ_t · Q, Q (n, m) row-major. A zero J_t gives zeros, a non-finite one NaN. Four
 * columns of Z at a time are summed in locals (V8 keeps them in registers), the row of Ĵ_t re-read
 * from cache for each four.
 */
export function applyJ(ops: JacobianOperators, t: number, Q: Float64Array, m: number, Z: Float64Array): void {
  const { n, dense } = ops;
  const A = operand(ops, t, m, Z);
  if (A === null || denseKernels().applyJ?.(A, n, dense, Q, m, Z)) return;
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    const c = dense < n ? dense + (i % dense) : 0; // LSTM: the one entry of row i past the dense columns
    const ac = dense < n ? A[ri + c] : 0;
    for (let j = 0; j < m; j += 4) {
      const w = Math.min(4, m - j);
      let z0 = 0;
      let z1 = 0;
      let z2 = 0;
      let z3 = 0;
      if (w === 4) {
        for (let k = 0, q = j; k < dense; k++, q += m) {
          const a = A[ri + k];
          z0 += a * Q[q];
          z1 += a * Q[q + 1];
          z2 += a * Q[q + 2];
          z3 += a * Q[q + 3];
        }
      } else {
        for (let k = 0; k < dense; k++) {
          const a = A[ri + k];
          const q = k * m + j;
          z0 += a * Q[q];
          if (w > 1) z1 += a * Q[q + 1];
          if (w > 2) z2 += a * Q[q + 2];
        }
      }
      const zi = i * m + j;
      const qc = c * m + j;
      Z[zi] = z0 + ac * Q[qc];
      if (w > 1) Z[zi + 1] = z1 + ac * Q[qc + 1];
      if (w > 2) Z[zi + 2] = z2 + ac * Q[qc + 2];
      if (w > 3) Z[zi + 3] = z3 + ac * Q[qc + 3];
    }
  }
}

/** Z (n, m) = Ĵ_tᵀ · Y, Y (n, m) row-major: row i of Ĵ_t scattered into the rows of Z. */
export function applyJT(ops: JacobianOperators, t: number, Y: Float64Array, m: number, Z: Float64Array): void {
  const { n, dense } = ops;
  const A = operand(ops, t, m, Z);
  if (A === null || denseKernels().applyJT?.(A, n, dense, Y, m, Z)) return;
  Z.fill(0);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    const yi = i * m;
    for (let j = 0; j < m; j += 4) {
      const w = Math.min(4, m - j);
      const y0 = Y[yi + j];
      const y1 = w > 1 ? Y[yi + j + 1] : 0;
      const y2 = w > 2 ? Y[yi + j + 2] : 0;
      const y3 = w > 3 ? Y[yi + j + 3] : 0;
      if (w === 4) {
        for (let k = 0, z = j; k < dense; k++, z += m) {
          const a = A[ri + k];
          Z[z] += a * y0;
          Z[z + 1] += a * y1;
          Z[z + 2] += a * y2;
          Z[z + 3] += a * y3;
        }
      } else {
        for (let k = 0, z = j; k < dense; k++, z += m) {
          const a = A[ri + k];
          Z[z] += a * y0;
          if (w > 1) Z[z + 1] += a * y1;
          if (w > 2) Z[z + 2] += a * y2;
        }
      }
    }
    if (dense < n) {
      const c = dense + (i % dense);
      const a = A[ri + c];
      const zc = c * m;
      for (let j = 0; j < m; j++) Z[zc + j] += a * Y[yi + j];
    }
  }
}
