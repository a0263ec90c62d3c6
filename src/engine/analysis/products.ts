/**
 * How a perturbation of the state grows or decays along the sequence: the spectral norms of the
 * Jacobian products ∂s_{T−1}/∂s_{T−1−k} = J_{T−1} ⋯ J_{T−k}, and the Lyapunov spectrum of the
 * product J_{T−1} ⋯ J_0 by the QR method (Benettin et al. 1980).
 */
import { sumOfSquares } from '../linalg';
import { ldexp, normalizeExact, singularValues, thinQr, type Normalized } from '../spectra';

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

/** A bound on power iteration's work: past it the estimate so far (σ_max from below) stands. */
const POWER_ITERATIONS = 300;

/**
 * ‖A‖₂ of a square (n, n) matrix. Small matrices: the top singular value of an SVD. Larger ones:
 * power iteration on AᵀA (O(n²) an iteration instead of the SVD's O(n³)), warm-started from `v`
 * when given (consecutive products share their top direction), stopped at relative change 1e-12
 * or after POWER_ITERATIONS. Scale-safe like ../spectra: iterated on A / 2^e, NaN for a non-finite A.
 */
export function spectralNorm(A: Float64Array, n: number, v?: Float64Array): number {
  if (n <= SVD_MAX_SIZE) return singularValues(A, n, n)[0];
  const s = normalizeExact(A);
  if (s.kind !== 'finite') return s.kind === 'zero' ? 0 : NaN;
  const Â = s.A; // (n, n) max |entry| in [1, 2)
  const x = v ?? new Float64Array(n); // (n) the right singular direction, updated in place
  if (!x.every(Number.isFinite) || sumOfSquares(x) === 0) x.fill(1 / Math.sqrt(n));
  const Ax = new Float64Array(n); // (n)
  let sigma = 0;
  for (let it = 0; it < POWER_ITERATIONS; it++) {
    Ax.fill(0);
    for (let i = 0; i < n; i++) {
      let sum = 0;
      for (let j = 0; j < n; j++) sum += Â[i * n + j] * x[j];
      Ax[i] = sum;
    }
    const norm = Math.sqrt(sumOfSquares(Ax));
    if (norm === 0) {
      // x lies in Â's null space: restart from Â's largest row, which Â cannot map to zero
      const r = Math.floor(Â.reduce((best, a, i) => (Math.abs(a) > Math.abs(Â[best]) ? i : best), 0) / n);
      for (let j = 0; j < n; j++) x[j] = Â[r * n + j];
      const len = Math.sqrt(sumOfSquares(x));
      for (let j = 0; j < n; j++) x[j] /= len;
      continue;
    }
    x.fill(0);
    for (let i = 0; i < n; i++) {
      const a = Ax[i] / norm;
      for (let j = 0; j < n; j++) x[j] += Â[i * n + j] * a; // x ← Âᵀ (Âx / ‖Âx‖)
    }
    const next = Math.sqrt(sumOfSquares(x)); // = ‖Âᵀ Â x‖ / ‖Â x‖ → σ_max(Â)
    for (let j = 0; j < n; j++) x[j] /= next;
    if (Math.abs(next - sigma) <= 1e-12 * next) return ldexp(next, s.exp);
    sigma = next;
  }
  return ldexp(sigma, s.exp);
}

export interface ProductNorms {
  /** ‖J_{T−1} ⋯ J_{T−k}‖₂, k = 1 … maxLag: 0 where it underflows double, Infinity where it overflows */
  norms: number[];
  /** ln of each, finite wherever the product is finite and not zero (−Infinity for a zero product) */
  logNorms: number[];
}

/**
 * ‖J_{T−1} ⋯ J_{T−k}‖₂ and its log for k = 1 … maxLag (default T−1), Js in processing order, each
 * (n, n). The product is kept as P̂_k · 2^{e_k} with max |P̂_k| in [1, 2) (as the QR method keeps its
 * tangent vectors normalized), so nothing handed to a decomposition is subnormal or infinite
 * however far the true product leaves double's range; while it stays in range the bits are those
 * of the plain product. A non-finite J_t makes every lag that includes it NaN. Each lag costs one
 * n³ product, so `maxLag` bounds the work linearly.
 */
export function jacobianProductLogNorms(Js: Float64Array[], n: number, maxLag = Js.length - 1): ProductNorms {
  const T = Js.length;
  const norms: number[] = [];
  const logNorms: number[] = [];
  let P = T > 0 ? normalizeExact(Js[T - 1]) : ({ kind: 'zero' } as Normalized); // the product so far
  const v = new Float64Array(n).fill(1 / Math.sqrt(n)); // warm start shared across lags
  for (let k = 1; k <= Math.min(maxLag, T - 1); k++) {
    if (k > 1) P = timesNormalized(P, Js[T - k], n);
    if (P.kind === 'finite') {
      const sigma = spectralNorm(P.A, n, v); // σ_max(P̂) in [1, 2n): a normal number
      norms.push(ldexp(sigma, P.exp));
      logNorms.push(Math.log(sigma) + P.exp * Math.LN2);
    } else {
      norms.push(P.kind === 'zero' ? 0 : NaN);
      logNorms.push(P.kind === 'zero' ? -Infinity : NaN);
    }
  }
  return { norms, logNorms };
}

/** (P̂ · 2^e) · J, renormalized: P̂ Ĵ · 2^{e+g} with J = Ĵ · 2^g, then the product's own exponent moved out. */
function timesNormalized(P: Normalized, J: Float64Array, n: number): Normalized {
  const Jn = normalizeExact(J);
  if (P.kind === 'nonfinite' || Jn.kind === 'nonfinite') return { kind: 'nonfinite' };
  if (P.kind === 'zero' || Jn.kind === 'zero') return { kind: 'zero' };
  const next = normalizeExact(matMulSquare(P.A, Jn.A, n));
  return next.kind === 'finite' ? { kind: 'finite', A: next.A, exp: next.exp + P.exp + Jn.exp } : next;
}

/** ‖J_{T−1} ⋯ J_{T−k}‖₂ for k = 1 … maxLag: the `norms` of jacobianProductLogNorms. */
export function jacobianProductNorms(Js: Float64Array[], n: number, maxLag = Js.length - 1): number[] {
  return jacobianProductLogNorms(Js, n, maxLag).norms;
}

export interface LyapunovResult {
  /** the top m exponents, per step, descending: λ_i = (1/T) Σ_t log |R_t,ii| */
  exponents: number[];
  /** (T, m) running estimates after each step, for a plot of their convergence */
  running: number[][];
}

/**
 * The top `m` Lyapunov exponents of the product J_{T−1} ⋯ J_0 (Js in processing order), by
 * re-orthonormalizing m tangent vectors after every step: Z = J_t Q, Z = Q' R. Each J_t enters as
 * Ĵ_t · 2^{g_t} and log |R_ii| is taken before scaling back, so any finite J_t gives finite logs
 * (−Infinity for a direction J_t annihilates, NaN from a non-finite J_t on).
 */
export function lyapunovSpectrum(Js: Float64Array[], n: number, m = Math.min(n, 8)): LyapunovResult {
  let Q: Float64Array = new Float64Array(n * m); // (n, m) orthonormal tangent vectors
  for (let i = 0; i < m; i++) Q[i * m + i] = 1;
  const sums = new Float64Array(m); // (m)
  const running: number[][] = [];
  Js.forEach((J, t) => {
    const Jn = normalizeExact(J);
    const Ĵ = Jn.kind === 'finite' ? Jn.A : Jn.kind === 'zero' ? new Float64Array(n * n) : new Float64Array(n * n).fill(NaN); // (n, n)
    const Z = new Float64Array(n * m); // (n, m) = Ĵ Q
    for (let i = 0; i < n; i++)
      for (let k = 0; k < n; k++) {
        const a = Ĵ[i * n + k];
        if (a === 0) continue;
        for (let j = 0; j < m; j++) Z[i * m + j] += a * Q[k * m + j];
      }
    const qr = thinQr(Z, n, m);
    const g = Jn.kind === 'finite' ? Jn.exp * Math.LN2 : 0;
    for (let i = 0; i < m; i++) sums[i] += qr.logAbsR[i] + g;
    Q = qr.Q;
    running.push(Array.from(sums, (s) => s / (t + 1)).sort((a, b) => b - a));
  });
  return { exponents: running[running.length - 1] ?? [], running };
}

/** Least-squares slope of log y against x: the fitted decay (< 0) or growth (> 0) rate per step. */
export function logSlope(x: number[], y: number[]): number {
  return slope(x, y.map(Math.log));
}

/** Least-squares slope of y against x over the points where y is finite (NaN with fewer than two). */
export function slope(x: number[], y: number[]): number {
  const pts = x.map((xi, i) => [xi, y[i]] as const).filter(([, ly]) => Number.isFinite(ly));
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
