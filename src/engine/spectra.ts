/**
 * Spectra of square matrices through ml-matrix (a well-tested port of JAMA/Mapack: Hessenberg QR
 * for nonsymmetric eigenvalues, Golub–Kahan SVD, Householder QR), on our row-major buffers.
 */
import { EigenvalueDecomposition, Matrix, QrDecomposition, SingularValueDecomposition } from 'ml-matrix';

/** A row-major (n, n) buffer as an ml-matrix Matrix. */
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

/** Complex eigenvalues [re, im] of a square (n, n) matrix, by modulus descending (then im descending). */
export function eigenvalues(A: ArrayLike<number>, n: number): [number, number][] {
  const evd = new EigenvalueDecomposition(toMatrix(A, n, n));
  const re = evd.realEigenvalues;
  const im = evd.imaginaryEigenvalues;
  const pairs = re.map((r, k): [number, number] => [r, im[k]]);
  return pairs.sort((a, b) => Math.hypot(b[0], b[1]) - Math.hypot(a[0], a[1]) || b[1] - a[1]);
}

/** ρ(A) = max |λ|. */
export function spectralRadius(A: ArrayLike<number>, n: number): number {
  return eigenvalues(A, n).reduce((m, [r, i]) => Math.max(m, Math.hypot(r, i)), 0);
}

/** Singular values of a (rows, cols) matrix, descending. */
export function singularValues(A: ArrayLike<number>, rows: number, cols: number): number[] {
  const svd = new SingularValueDecomposition(toMatrix(A, rows, cols), {
    computeLeftSingularVectors: false,
    computeRightSingularVectors: false,
    autoTranspose: true,
  });
  return [...svd.diagonal].sort((a, b) => b - a);
}

/** The orthogonal factor Q (n, n) of A = QR, with signs fixed so that diag(R) > 0 (a Haar sample when A is Gaussian). */
export function orthogonalFactor(A: ArrayLike<number>, n: number): Float64Array {
  const qr = new QrDecomposition(toMatrix(A, n, n));
  const Q = qr.orthogonalMatrix;
  const R = qr.upperTriangularMatrix;
  const out = fromMatrix(Q); // (n, n)
  for (let j = 0; j < n; j++) {
    if (R.get(j, j) < 0) for (let i = 0; i < n; i++) out[i * n + j] = -out[i * n + j];
  }
  return out;
}
