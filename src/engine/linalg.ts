/**
 * The few dense kernels BPTT needs, on row-major Float64Arrays. Every loop keeps its innermost
 * index contiguous in memory; that is all the speed the float64 reference asks for. Where a host
 * has plugged in faster dense kernels (./dense.ts: the worker's WebAssembly build, the same sums in
 * the same order, bit-identical), products of at least PLUGGED_MIN_WORK multiply-adds run there.
 */
import { denseKernels } from './dense';

/** Below this many multiply-adds a product stays here: copying it in and out would cost more. */
const PLUGGED_MIN_WORK = 2 ** 14;

/** out (M, N) += X (M, K) · Wᵀ, W (N, K): the forward `a = x Wᵀ` of torch.nn.Linear. */
export function addMatMulBT(out: Float64Array, X: Float64Array, W: Float64Array, M: number, N: number, K: number): void {
  if (M * N * K >= PLUGGED_MIN_WORK && denseKernels().matMul?.('bt', out, X, W, M, N, K)) return;
  for (let m = 0; m < M; m++) {
    const xOff = m * K;
    const oOff = m * N;
    for (let n = 0; n < N; n++) {
      const wOff = n * K;
      let s = 0;
      for (let k = 0; k < K; k++) s += X[xOff + k] * W[wOff + k];
      out[oOff + n] += s;
    }
  }
}

/** dW (N, K) += dAᵀ · X, dA (M, N), X (M, K): the weight gradient of `a = x Wᵀ`. */
export function addMatMulAT(dW: Float64Array, dA: Float64Array, X: Float64Array, M: number, N: number, K: number): void {
  if (M * N * K >= PLUGGED_MIN_WORK && denseKernels().matMul?.('at', dW, dA, X, M, N, K)) return;
  for (let m = 0; m < M; m++) {
    const xOff = m * K;
    for (let n = 0; n < N; n++) {
      const g = dA[m * N + n];
      if (g === 0) continue;
      const wOff = n * K;
      for (let k = 0; k < K; k++) dW[wOff + k] += g * X[xOff + k];
    }
  }
}

/** dX (M, K) += dA (M, N) · W (N, K): the input gradient of `a = x Wᵀ`. */
export function addMatMul(dX: Float64Array, dA: Float64Array, W: Float64Array, M: number, N: number, K: number): void {
  if (M * N * K >= PLUGGED_MIN_WORK && denseKernels().matMul?.('acc', dX, dA, W, M, N, K)) return;
  for (let m = 0; m < M; m++) {
    const xOff = m * K;
    for (let n = 0; n < N; n++) {
      const g = dA[m * N + n];
      if (g === 0) continue;
      const wOff = n * K;
      for (let k = 0; k < K; k++) dX[xOff + k] += g * W[wOff + k];
    }
  }
}

/** out (M, N) += bias (N) broadcast over rows. */
export function addBias(out: Float64Array, bias: Float64Array, M: number, N: number): void {
  for (let m = 0; m < M; m++) for (let n = 0; n < N; n++) out[m * N + n] += bias[n];
}

/** db (N) += Σ_m dA[m, n]: the bias gradient. */
export function addColumnSums(db: Float64Array, dA: Float64Array, M: number, N: number): void {
  for (let m = 0; m < M; m++) for (let n = 0; n < N; n++) db[n] += dA[m * N + n];
}

export function sigmoid(x: number): number {
  // Split by sign so that exp never overflows.
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

export function sumOfSquares(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return s;
}
