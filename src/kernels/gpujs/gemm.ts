/**
 * gpu.js's kernels: the matrix products, on WebGL2 in float32. Each call packs its operands out of
 * the CPU arena (row strides removed), runs one fragment shader over the (M, N) output and adds
 * the result into the arena. The loop bound K is written into the source as a literal (gpu.js
 * caps loops with a variable bound), so each distinct K compiles one kernel, cached by source.
 */
import type { FloatArena } from '../reference/arena';
import { gemmNN, gemmTN } from '../reference/gemm';
import type { GjContext } from './context';

/**
 * Products smaller than this many multiply-adds run in JavaScript: a shader call costs an upload,
 * a draw and a readback (about a millisecond even on a real GPU), more than a (B, H)·(H, G·H) step
 * product at small H takes on the CPU. The (T·B)-row products and the weight gradients go to WebGL2.
 */
export const GPU_MIN_MACS = 1 << 18;

/** c (M, N) + a (M, K) · b (K, N); a[y][k] = A(i = y, k), b[k][x] = B(k, j = x) */
const nnSource = (K: number): string =>
  `function (a, b, c) { let s = c[this.thread.y][this.thread.x]; for (let k = 0; k < ${K}; k++) { s += a[this.thread.y][k] * b[k][this.thread.x]; } return s; }`;

/** c (M, N) + aᵀ · b, a (K, M), b (K, N) */
const tnSource = (K: number): string =>
  `function (a, b, c) { let s = c[this.thread.y][this.thread.x]; for (let k = 0; k < ${K}; k++) { s += a[k][this.thread.y] * b[k][this.thread.x]; } return s; }`;

/** rows × cols of the arena from `at`, row stride ld, as one contiguous float32 block */
function pack(a: FloatArena, at: number, rows: number, cols: number, ld: number): Float32Array {
  const out = new Float32Array(rows * cols); // (rows, cols)
  for (let r = 0; r < rows; r++) out.set(a.subarray(at + r * ld, at + r * ld + cols), r * cols);
  return out;
}

function run(ctx: GjContext, source: string, a: FloatArena, M: number, N: number, A: Float32Array, aSize: number[], B: Float32Array, bSize: number[], C: number, ldc: number): void {
  if (M === 0 || N === 0) return;
  const c = pack(a, C, M, N, ldc); // (M, N)
  const out = ctx.kernel(source, [N, M], 'input,input,input')(ctx.input(A, aSize), ctx.input(B, bSize), ctx.input(c, [N, M]));
  const rows = out.toArray() as Float32Array[]; // M rows of N
  out.delete();
  for (let i = 0; i < M; i++) a.set(rows[i], C + i * ldc);
}

/** The products of src/train/kernels.ts on gpu.js: C (M, N) += A · B and += Aᵀ · B. */
export function gpuJsProducts(ctx: GjContext, minMacs = GPU_MIN_MACS) {
  return {
    gemmNN(a: FloatArena, M: number, N: number, K: number, A: number, lda: number, B: number, ldb: number, C: number, ldc: number): void {
      if (M * N * K < minMacs) return gemmNN(a, M, N, K, A, lda, B, ldb, C, ldc);
      run(ctx, nnSource(K), a, M, N, pack(a, A, M, K, lda), [K, M], pack(a, B, K, N, ldb), [N, K], C, ldc);
    },
    gemmTN(a: FloatArena, M: number, N: number, K: number, A: number, lda: number, B: number, ldb: number, C: number, ldc: number): void {
      if (M * N * K < minMacs) return gemmTN(a, M, N, K, A, lda, B, ldb, C, ldc);
      run(ctx, tnSource(K), a, M, N, pack(a, A, K, M, lda), [M, K], pack(a, B, K, N, ldb), [N, K], C, ldc);
    },
  };
}
