/**
 * Small dense helpers for blocks of m ≤ 16 vectors in n dimensions (row-major (n, m)): exact
 * power-of-two renormalization, Gram–Schmidt with reorthogonalization (the thin QR of a block,
 * with ln |R_jj|); the eigenvalues of a small symmetric matrix are in ./symmetricEigen.ts.
 */
import { denseKernels } from '../dense';
import { maxAbs, powerOfTwoScale } from '../spectra';

/**
 * Z ← Z · 2^−e with max |z| in [1, 2) (exact: only exponents change); returns e, or NaN (Z filled
 * with NaN) when an entry is not finite, −Infinity when Z is zero (Z left at zero).
 */
export function renormalize(Z: Float64Array): number {
  const scale = powerOfTwoScale(maxAbs(Z));
  if (scale.kind === 'nonfinite') {
    Z.fill(NaN);
    return NaN;
  }
  if (scale.kind === 'zero') return -Infinity;
  const { exp, f1, f2 } = scale;
  if (exp !== 0) for (let i = 0; i < Z.length; i++) Z[i] = Z[i] * f1 * f2;
  return exp;
}

/**
 * Z (n, m), its largest |entry| in [1, 2) (renormalize first), becomes Q with orthonormal columns,
 * in place, by classical Gram–Schmidt run twice per column, and again while a pass still removes
 * more than half of what is left (as accurate as Householder for m ≪ n, also for a column that
 * one step has shrunk by many orders); returns ln R_jj ≥ 0 per column. A column whose remainder is
 * below `dependent` times its length (rounding, not a direction: R_jj = 0) gets −Infinity and is
 * replaced by a unit vector orthogonal to the others, so Q always has m orthonormal columns, or
 * with `dropDependent` is set to zero (a Krylov basis just stops growing there). A NaN entry gives
 * NaN logs and NaN columns.
 */
export function orthonormalize(Z: Float64Array, n: number, m: number, dropDependent = false, dependent = 1e-15): number[] {
  const logR: number[] = [];
  for (let j = 0; j < m; j++) {
    let norm0 = 0;
    for (let i = 0; i < n; i++) norm0 += Z[i * m + j] ** 2;
    if (Number.isNaN(norm0)) {
      for (let i = 0; i < n; i++) Z[i * m + j] = NaN;
      logR.push(NaN);
      continue;
    }
    let norm = Math.sqrt(norm0);
    for (let pass = 0; pass < 6 && j > 0; pass++) {
      projectOut(Z, n, m, j);
      let next = 0;
      for (let i = 0; i < n; i++) next += Z[i * m + j] ** 2;
      next = Math.sqrt(next);
      const settled = pass >= 1 && next > 0.5 * norm;
      norm = next;
      if (settled || norm === 0) break;
    }
    if (!(norm > dependent * Math.sqrt(norm0))) {
      logR.push(-Infinity);
      if (dropDependent) for (let i = 0; i < n; i++) Z[i * m + j] = 0;
      else fillOrthogonal(Z, n, m, j);
      continue;
    }
    for (let i = 0; i < n; i++) Z[i * m + j] /= norm;
    logR.push(Math.log(norm));
  }
  return logR;
}

/**
 * A seeded (n, m) block of uniform entries in [−1, 1), orthonormalized: a start that no
 * structured Jacobian's null space holds (the first unit vectors often lie in a dead unit's).
 */
export function pseudoRandomBlock(n: number, m: number, seed: number): Float64Array {
  const X = new Float64Array(n * m); // (n, m)
  let s = seed >>> 0 || 1;
  for (let i = 0; i < X.length; i++) {
    s ^= s << 13; // xorshift32
    s ^= s >>> 17;
    s ^= s << 5;
    X[i] = (s >>> 0) / 2 ** 31 - 1;
  }
  orthonormalize(X, n, m);
  return X;
}

/** Column j of Z minus its projections on columns 0 … j−1 (assumed orthonormal). */
function projectOut(Z: Float64Array, n: number, m: number, j: number): void {
  for (let p = 0; p < j; p++) {
    let r = 0;
    for (let i = 0; i < n; i++) r += Z[i * m + p] * Z[i * m + j];
    if (Number.isNaN(r)) continue;
    for (let i = 0; i < n; i++) Z[i * m + j] -= r * Z[i * m + p];
  }
}

/** Column j of Z: the first unit vector e_s that keeps some length off columns 0 … j−1, orthonormalized. */
function fillOrthogonal(Z: Float64Array, n: number, m: number, j: number): void {
  for (let s = 0; s < n; s++) {
    for (let i = 0; i < n; i++) Z[i * m + j] = i === s ? 1 : 0;
    projectOut(Z, n, m, j);
    projectOut(Z, n, m, j);
    let norm = 0;
    for (let i = 0; i < n; i++) norm += Z[i * m + j] ** 2;
    if (norm > 0.25) {
      norm = Math.sqrt(norm);
      for (let i = 0; i < n; i++) Z[i * m + j] /= norm;
      return;
    }
  }
}

/**
 * G (m, m) = Wᵀ W for W (n, m): on the plugged-in dense kernels where there are some (the whole
 * product, as linalg.ts's addMatMulAT sums it: the upper triangle the same numbers as here), else
 * the upper triangle here, mirrored.
 */
export function gram(W: Float64Array, n: number, m: number): Float64Array {
  const G = new Float64Array(m * m); // (m, m)
  if (denseKernels().matMul?.('at', G, W, W, n, m, m)) return G;
  for (let i = 0; i < n; i++)
    for (let a = 0; a < m; a++) {
      const w = W[i * m + a];
      if (w === 0) continue;
      for (let b = a; b < m; b++) G[a * m + b] += w * W[i * m + b];
    }
  for (let a = 0; a < m; a++) for (let b = 0; b < a; b++) G[a * m + b] = G[b * m + a];
  return G;
}

/** Y (n, m) = X (n, m) · V (m, m). */
export function times(X: Float64Array, V: Float64Array, n: number, m: number): Float64Array {
  const Y = new Float64Array(n * m); // (n, m)
  for (let i = 0; i < n; i++)
    for (let a = 0; a < m; a++) {
      const x = X[i * m + a];
      if (x === 0) continue;
      for (let b = 0; b < m; b++) Y[i * m + b] += x * V[a * m + b];
    }
  return Y;
}
