/**
 * The dense routines behind the analysis (eigenvalues, singular values, J_t built and applied to
 * blocks) and the float64 engine's matrix products (./linalg.ts), pluggable: the TypeScript ones
 * (./hqr.ts, ./svd.ts, ./linalg.ts, ./analysis/) are the reference; a host may plug in faster ones
 * that compute the very same numbers (the wasm backend's module runs the same operations in the
 * same order, bit-identical: src/kernels/wasm/dense.ts, test/analysis-wasm.test.ts), except the
 * products of J_t with blocks, which may run in float32 (applyJ below). The engine stays pure: it
 * never loads WebAssembly itself; the worker does, once, and plugs it in.
 */
import { hessenbergEigenvalues } from './hqr';
import { bidiagonalSingularValues, bidiagonalize } from './svd';

export interface DenseKernels {
  /** who computes (for timings and notices) */
  readonly name: string;
  /** the eigenvalues of A (n, n), already scaled as spectra.ts scales it, in hqr.ts's order; A untouched */
  hessenbergEigenvalues(A: ArrayLike<number>, n: number): [number, number][];
  /** the singular values of M (rows, cols), rows ≥ cols, unsorted, as svd.ts's bidiagonalize then bidiagonalSingularValues give them; M is overwritten */
  singularValues(M: Float64Array, rows: number, cols: number): Float64Array;
  /**
   * Optional: `count` buffers (n, n) in the kernels' own memory for the fast analysis's J_t (LSTM's
   * form when `lstm`), valid until the next call (which may move them); null where they do not fit.
   * W_hh, when given, is copied beside them for addScaledRows, which then takes it as a source until
   * the next call. A buffer must hold its final J_t before its first applyJ or applyJT.
   */
  jacobianBuffers?(count: number, n: number, W_hh?: Float64Array, lstm?: boolean): Float64Array[] | null;
  /**
   * dst[dstAt + i·dstStride + j] += d[i] · src[srcAt + i·srcStride + j] for i < rows, j < len,
   * skipping a row whose d[i] is 0 when `skipZero` (as stateJacobian's loops do), where dst is one
   * of jacobianBuffers' and src one of them or their W_hh; false: the caller computes it.
   */
  addScaledRows?(dst: Float64Array, dstAt: number, dstStride: number, src: Float64Array, srcAt: number, srcStride: number, d: Float64Array, rows: number, len: number, skipZero: boolean): boolean;
  /**
   * Optional: linalg.ts's products on the kernels (kind 'bt': C += A·Bᵀ as addMatMulBT, 'acc': C +=
   * A·B as addMatMul, 'at': C += Aᵀ·B as addMatMulAT, with their argument order and shapes), the
   * same numbers; false: the caller computes it.
   */
  matMul?(kind: 'bt' | 'acc' | 'at', C: Float64Array, A: Float64Array, B: Float64Array, M: number, N: number, K: number): boolean;
  /** max |a_i| over A (one of jacobianBuffers'): NaN if any entry is NaN, else Infinity if any is infinite; null: the caller computes it */
  maxAbs?(A: Float64Array): number | null;
  /**
   * Z (n, m) = A Q as analysis/operators.ts's applyJ, if A is one of jacobianBuffers' (false: the
   * caller computes it), to float32 rounding: the one place the plugged-in kernels do not give the
   * reference's numbers bit for bit (the fast analysis's norms are estimates to 6 %; float32 moves
   * them by ~1e-6, test/analysis-wasm.test.ts).
   */
  applyJ?(A: Float64Array, n: number, dense: number, Q: Float64Array, m: number, Z: Float64Array): boolean;
  /** Z (n, m) = Aᵀ Y as analysis/operators.ts's applyJT, under the same conditions */
  applyJT?(A: Float64Array, n: number, dense: number, Y: Float64Array, m: number, Z: Float64Array): boolean;
}

export const typescriptDense: DenseKernels = {
  name: 'TypeScript, float64',
  hessenbergEigenvalues,
  singularValues(M, rows, cols) {
    const { d, e } = bidiagonalize(M, rows, cols);
    return bidiagonalSingularValues(d, e);
  },
};

let current: DenseKernels = typescriptDense;

/** Plug in faster kernels (null: back to the TypeScript reference). */
export function useDenseKernels(kernels: DenseKernels | null): void {
  current = kernels ?? typescriptDense;
}

export function denseKernels(): DenseKernels {
  return current;
}
