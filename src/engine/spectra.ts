/**
 * Spectra of matrices on our row-major buffers: QR through ml-matrix (a well-tested port of
 * JAMA/Mapack's Householder QR); eigenvalues by our own bounded Hessenberg QR (./hqr.ts: ml-matrix's
 * has no bound and cycles forever on some graded matrices, e.g. a sparse 36×36 one with entries
 * from 2^-400 to 1) and singular values by our own row-major Golub–Kahan SVD (./svd.ts: ml-matrix's
 * took 0.6 s at n = 512), both through ./dense.ts, where the worker plugs in their WebAssembly
 * build (the same numbers, bit for bit).
 *
 * Scale safety. The iterations test convergence against eps·|s|, which underflows for tiny s, and
 * then never stop: ml-matrix's SVD of a 32×32 matrix of entries near 1e-310 loops forever. So no
 * matrix reaches a decomposition as it comes: every entry point here
 *   - returns NaN results (same count and shape) for any NaN or ±Infinity entry, without decomposing;
 *   - returns zeros (eigenvalues, singular values) for the zero matrix;
 *   - otherwise divides by 2^e, the power of two at or below the largest |entry| (exact: only the
 *     exponent changes), decomposes, and scales back by 2^e. Before the iterative ones, entries
 *     under 2^−400 of the largest are set to zero: a perturbation of ~1e-120·‖A‖, far below their
 *     own eps·‖A‖ accuracy, that keeps every scale they meet far from underflow. (Householder QR
 *     has no iteration and resolves graded columns, so it gets the exact rescaling alone.)
 * NaN rather than an exception, because callers draw what they get: a NaN shows as missing.
 */
import { Matrix, QrDecomposition } from 'ml-matrix';
import { denseKernels } from './dense';

/** A row-major (rows, cols) buffer as an ml-matrix Matrix. */
export function toMatrix(A: ArrayLike<number>, rows: number, cols: number): Matrix {
  const M = new Matrix(rows, cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) M.set(i, j, A[i * cols + j]);
  return M;
}

export function fromMatrix(M: Matrix): Float64Array {
  const out = new Float64Array(M.rows * M.columns); // (rows, cols)
  for (let i = 0; i < M.rows; i++) for (let j = 0; j < M.columns; j++) out[i * M.columns + j] = M.get(i, j);
  return out;
}

/** x · 2^e without an intermediate overflow or underflow (2^e alone leaves double for |e| > 1023). */
export function ldexp(x: number, e: number): number {
  const half = Math.trunc(e / 2);
  return x * 2 ** half * 2 ** (e - half);
}

/** A matrix as Â · 2^exp with max |Â| in [1, 2), or the reason it has no such form. */
export type Normalized = { kind: 'finite'; A: Float64Array; exp: number } | { kind: 'zero' } | { kind: 'nonfinite' };

/**
 * A · 2^−e, e = ⌊log₂ max |a|⌋: every entry keeps its mantissa, so products and sums of normalized
 * factors carry the same bits as the raw ones, only the exponents moved (while the raw ones stay
 * in double's range). Returns a new buffer; A is untouched.
 */
export function normalizeExact(A: ArrayLike<number>): Normalized {
  return normalizeInto(A, new Float64Array(A.length));
}

/** normalizeExact writing Â into `out` (same length; may be A itself, to rescale in place). */
export function normalizeInto(A: ArrayLike<number>, out: Float64Array): Normalized {
  const scale = powerOfTwoScale(maxAbs(A));
  if (scale.kind !== 'finite') return scale;
  const { exp, f1, f2 } = scale;
  if (exp === 0 && out === A) return { kind: 'finite', A: out, exp };
  for (let i = 0; i < A.length; i++) out[i] = A[i] * f1 * f2;
  return { kind: 'finite', A: out, exp };
}

/** max |a_i|: NaN if any entry is NaN, else Infinity if any is infinite. */
export function maxAbs(A: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < A.length; i++) {
    const a = Math.abs(A[i]);
    if (!(a <= max)) max = a; // a larger entry, or NaN (NaN <= x is false)
    if (Number.isNaN(max)) return NaN;
  }
  return max;
}

/**
 * For a matrix whose largest |entry| is `max` (NaN or Infinity: not finite): e = ⌊log₂ max⌋ and
 * two factors f1, f2, each within double's range, whose product is 2^−e (multiplying by f1 then f2
 * is exact wherever the result is normal).
 */
export function powerOfTwoScale(max: number): { kind: 'finite'; exp: number; f1: number; f2: number } | { kind: 'zero' } | { kind: 'nonfinite' } {
  if (!(max <= Number.MAX_VALUE)) return { kind: 'nonfinite' };
  if (max === 0) return { kind: 'zero' };
  let exp = Math.floor(Math.log2(max));
  if (ldexp(max, -exp) < 1) exp--; // log2 may round up just below a power of two
  else if (ldexp(max, -exp) >= 2) exp++;
  const half = Math.trunc(-exp / 2);
  return { kind: 'finite', exp, f1: 2 ** half, f2: 2 ** (-exp - half) };
}

/** Entries below this fraction of the largest never reach an iterative decomposition (see the header). */
const FLUSH_BELOW = 2 ** -400;

/** normalizeExact, then the flush: the form the SVD and the eigenvalue iteration receive. */
function guarded(A: ArrayLike<number>): Normalized {
  const s = normalizeExact(A);
  if (s.kind === 'finite') for (let i = 0; i < s.A.length; i++) if (Math.abs(s.A[i]) < FLUSH_BELOW) s.A[i] = 0;
  return s;
}

/** Complex eigenvalues [re, im] of a square (n, n) matrix, by modulus descending (then im descending). */
export function eigenvalues(A: ArrayLike<number>, n: number): [number, number][] {
  const s = guarded(A);
  if (s.kind !== 'finite') {
    const v = s.kind === 'zero' ? 0 : NaN;
    return Array.from({ length: n }, (): [number, number] => [v, v]);
  }
  const pairs = denseKernels().hessenbergEigenvalues(s.A, n).map(([re, im]): [number, number] => [ldexp(re, s.exp), ldexp(im, s.exp)]);
  return pairs.sort((a, b) => Math.hypot(b[0], b[1]) - Math.hypot(a[0], a[1]) || b[1] - a[1]);
}

/** ρ(A) = max |λ| (NaN for a matrix with a non-finite entry). */
export function spectralRadius(A: ArrayLike<number>, n: number): number {
  return eigenvalues(A, n).reduce((m, [r, i]) => Math.max(m, Math.hypot(r, i)), 0);
}

/** Singular values of a (rows, cols) matrix, descending: min(rows, cols) of them. */
export function singularValues(A: ArrayLike<number>, rows: number, cols: number): number[] {
  const s = guarded(A);
  if (s.kind !== 'finite') return new Array<number>(Math.min(rows, cols)).fill(s.kind === 'zero' ? 0 : NaN);
  let M = s.A; // (rows, cols), or its transpose: the same singular values, rows ≥ cols
  if (rows < cols) {
    M = new Float64Array(rows * cols); // (cols, rows)
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) M[j * rows + i] = s.A[i * cols + j];
    [rows, cols] = [cols, rows];
  }
  const values = Array.from(denseKernels().singularValues(M, rows, cols), (v) => ldexp(v, s.exp));
  return values.sort((a, b) => (Number.isNaN(a) ? 1 : Number.isNaN(b) ? -1 : b - a));
}

/**
 * The orthogonal factor Q (n, n) of A = QR, with signs fixed so that diag(R) > 0 (a Haar sample when
 * A is Gaussian). The zero matrix gives the identity (0 = I·0); a non-finite entry gives all NaN.
 */
export function orthogonalFactor(A: ArrayLike<number>, n: number): Float64Array {
  const { Q } = thinQr(A, n, n);
  return Q;
}

/**
 * Z (rows, cols), rows ≥ cols, as Q R: Q (rows, cols) with orthonormal columns and signs fixed so
 * that diag(R) ≥ 0, and ln |R_ii| (−Infinity where R_ii = 0), the logs taken before scaling back,
 * so they stay finite for any finite Z. Zero Z: the first cols columns of I and −Infinity; a
 * non-finite entry: NaN throughout.
 */
export function thinQr(Z: ArrayLike<number>, rows: number, cols: number): { Q: Float64Array; logAbsR: number[] } {
  const s = normalizeExact(Z);
  if (s.kind !== 'finite') {
    const Q = new Float64Array(rows * cols); // (rows, cols)
    if (s.kind === 'nonfinite') return { Q: Q.fill(NaN), logAbsR: new Array<number>(cols).fill(NaN) };
    for (let i = 0; i < cols; i++) Q[i * cols + i] = 1;
    return { Q, logAbsR: new Array<number>(cols).fill(-Infinity) };
  }
  const qr = new QrDecomposition(toMatrix(s.A, rows, cols));
  const R = qr.upperTriangularMatrix;
  const Qm = qr.orthogonalMatrix;
  const Q = new Float64Array(rows * cols); // (rows, cols)
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) Q[i * cols + j] = Qm.get(i, j);
  const logAbsR: number[] = [];
  for (let j = 0; j < cols; j++) {
    const r = R.get(j, j);
    logAbsR.push(Math.log(Math.abs(r)) + s.exp * Math.LN2);
    if (r < 0) for (let i = 0; i < rows; i++) Q[i * cols + j] = -Q[i * cols + j];
  }
  return { Q, logAbsR };
}
