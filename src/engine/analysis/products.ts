/**
 * How a perturbation of the state grows or decays along the sequence: the spectral norms of the
 * Jacobian products ∂s_{T−1}/∂s_{T−1−k} = J_{T−1} ⋯ J_{T−k}, and the Lyapunov spectrum of the
 * product J_{T−1} ⋯ J_0 by the QR method (Benettin et al. 1980).
 */
import { QrDecomposition } from 'ml-matrix';
import { sumOfSquares } from '../linalg';
import { fromMatrix, singularValues, toMatrix } from '../spectra';

/** C (n, n) = A (n, n) · B (n, n), i-k-j order with the inner loop unrolled by four (about 1.4 GFLOP/s in V8). */
export function matMulSquare(A: Float64Array, B: Float64Array, n: number): Float64Array {
  const C = new Float64Array(n * n); // (n, n)
  for (let i = 0; i < n; i++) {
    const ci = i * n;
    for (let k = 0; k < n; k++) {
      const a = A[ci + k];
      if (a === 0) continue;
      const bk = k * n;
      let j = 0;
      for (; j + 3 < n; j += 4) {
        C[ci + j] += a * B[bk + j];
        C[ci + j + 1] += a * B[bk + j + 1];
        C[ci + j + 2] += a * B[bk + j + 2];
        C[ci + j + 3] += a * B[bk + j + 3];
      }
      for (; j < n; j++) C[ci + j] += a * B[bk + j];
    }
  }
  return C;
}

/** Above this size the spectral norm comes from power iteration instead of a full SVD. */
export const SVD_MAX_SIZE = 64;

/**
 * ‖A‖₂ of a square (n, n) matrix. Small matrices: the top singular value of an SVD. Larger ones:
 * power iteration on AᵀA (O(n²) an iteration instead of the SVD's O(n³)), warm-started from `v`
 * when given (consecutive products share their top direction), stopped at relative change 1e-12.
 */
export function spectralNorm(A: Float64Array, n: number, v?: Float64Array): number {
  if (n <= SVD_MAX_SIZE) return singularValues(A, n, n)[0];
  const x = v ?? new Float64Array(n).fill(1 / Math.sqrt(n)); // (n) the right singular direction
  const Ax = new Float64Array(n); // (n)
  let sigma = 0;
  for (let it = 0; it < 300; it++) {
    Ax.fill(0);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += A[i * n + j] * x[j];
      Ax[i] = s;
    }
    const norm = Math.sqrt(sumOfSquares(Ax));
    if (norm === 0) return 0;
    x.fill(0);
    for (let i = 0; i < n; i++) {
      const a = Ax[i] / norm;
      for (let j = 0; j < n; j++) x[j] += A[i * n + j] * a; // x ← Aᵀ (Ax / ‖Ax‖)
    }
    const next = Math.sqrt(sumOfSquares(x)); // = ‖Aᵀ A x‖ / ‖A x‖ → σ_max
    for (let j = 0; j < n; j++) x[j] /= next;
    if (Math.abs(next - sigma) <= 1e-12 * next) return next;
    sigma = next;
  }
  return sigma;
}

/**
 * ‖J_{T−1} ⋯ J_{T−k}‖₂ for k = 1 … maxLag (default T−1), Js in processing order, each (n, n).
 * Each lag costs one n³ product, so `maxLag` bounds the work linearly.
 */
export function jacobianProductNorms(Js: Float64Array[], n: number, maxLag = Js.length - 1): number[] {
  const T = Js.length;
  const norms: number[] = [];
  let P = Js[T - 1]; // (n, n) the product so far
  const v = new Float64Array(n).fill(1 / Math.sqrt(n)); // warm start shared across lags
  for (let k = 1; k <= Math.min(maxLag, T - 1); k++) {
    if (k > 1) P = matMulSquare(P, Js[T - k], n);
    norms.push(spectralNorm(P, n, v));
  }
  return norms;
}

export interface LyapunovResult {
  /** the top m exponents, per step, descending: λ_i = (1/T) Σ_t log |R_t,ii| */
  exponents: number[];
  /** (T, m) running estimates after each step, for a plot of their convergence */
  running: number[][];
}

/**
 * The top `m` Lyapunov exponents of the product J_{T−1} ⋯ J_0 (Js in processing order), by
 * re-orthonormalizing m tangent vectors after every step: Z = J_t Q, Z = Q' R.
 */
export function lyapunovSpectrum(Js: Float64Array[], n: number, m = Math.min(n, 8)): LyapunovResult {
  let Q = new Float64Array(n * m); // (n, m) orthonormal tangent vectors
  for (let i = 0; i < m; i++) Q[i * m + i] = 1;
  const sums = new Float64Array(m); // (m)
  const running: number[][] = [];
  Js.forEach((J, t) => {
    const Z = new Float64Array(n * m); // (n, m) = J Q
    for (let i = 0; i < n; i++)
      for (let k = 0; k < n; k++) {
        const a = J[i * n + k];
        if (a === 0) continue;
        for (let j = 0; j < m; j++) Z[i * m + j] += a * Q[k * m + j];
      }
    const qr = new QrDecomposition(toMatrix(Z, n, m));
    const R = qr.upperTriangularMatrix;
    for (let i = 0; i < m; i++) sums[i] += Math.log(Math.abs(R.get(i, i)) || Number.MIN_VALUE);
    Q = fromMatrix(qr.orthogonalMatrix).slice(0, n * m);
    running.push(Array.from(sums, (s) => s / (t + 1)).sort((a, b) => b - a));
  });
  return { exponents: running[running.length - 1] ?? [], running };
}

/** Least-squares slope of log y against x: the fitted decay (< 0) or growth (> 0) rate per step. */
export function logSlope(x: number[], y: number[]): number {
  const pts = x.map((xi, i) => [xi, Math.log(y[i])] as const).filter(([, ly]) => Number.isFinite(ly));
  if (pts.length < 2) return NaN;
  const mx = pts.reduce((s, [a]) => s + a, 0) / pts.length;
  const my = pts.reduce((s, [, b]) => s + b, 0) / pts.length;
  let num = 0;
  let den = 0;
  for (const [a, b] of pts) {
    num += (a - mx) * (b - my);
    den += (a - mx) ** 2;
  }
  return num / den;
}
