/**
 * The engine's pluggable dense routines (src/engine/dense.ts) on the wasm backend's module: the
 * Hessenberg QR eigenvalues, the singular values (Householder bidiagonalization and the bidiagonal
 * QR), the float64 engine's matrix products, J_t built in place and its largest entry, all
 * bit-identical to the TypeScript reference, and the products of J_t with blocks of vectors in
 * float32; several times faster (f64x2 and f32x4, no bounds checks; scripts/bench-analysis.ts). Two
 * instances of the module, the analysis's own (not a training backend's): `k` holds one problem at
 * a time; `arena` holds the sequence's J_t, written there by the analysis through views, so that
 * they are never copied.
 */
import type { DenseKernels } from '../../engine/dense';
import { MAX_ITERATIONS_PER_EIGENVALUE } from '../../engine/hqr';
import { MAX_SWEEPS_PER_VALUE } from '../../engine/svd';
import { loadKernels, type WasmKernels } from './loader';

/** Byte offsets of `count` float64 buffers of the given lengths above the heap base, growing memory to hold them. */
function layout(k: WasmKernels, lengths: number[]): number[] {
  let p = (k.heap_base() + 15) & ~15;
  const offsets = lengths.map((len) => {
    const at = p;
    p += ((len * 8 + 15) & ~15) >>> 0;
    return at;
  });
  const have = k.memory.buffer.byteLength;
  if (p > have) k.memory.grow(Math.ceil((p - have) / 65536));
  return offsets;
}

export function wasmDense(k: WasmKernels, arena: WasmKernels): DenseKernels {
  // The arena's layout: work blocks Q and Z, each (n0, n0) float64, and `work` (n0, n0) float32; a
  // copy of W_hh (its length) and a diagonal (n0) for building J_t; the J_t, each (n0, n0) float64;
  // their compact float32 copies for the products (n0 rows of `stride`), made at a J_t's first product.
  let n0 = 0;
  let q = 0;
  let z = 0;
  let work = 0;
  let wCopy = 0;
  let wSource: Float64Array | null = null; // what wCopy holds a copy of, for this analysis
  let diag = 0;
  let first = 0;
  let compact = 0;
  let stride = 0;
  let count = 0;
  let converted = new Uint8Array(0); // (count) whether J_t's float32 copy is made
  const inArena = (A: Float64Array) => A.buffer === arena.memory.buffer;
  const bytes = (len: number) => len * 8;
  /** Q (n, m) in, op on J_t's float32 copy, Z (n, m) out, through the arena's work blocks. */
  const product = (op: typeof arena.apply_j32, A: Float64Array, n: number, dense: number, Q: Float64Array, m: number, Z: Float64Array): boolean => {
    const t = (A.byteOffset - first) / bytes(n * n);
    if (!inArena(A) || n !== n0 || m > n0 || !Number.isInteger(t) || t < 0 || t >= count) return false;
    if ((dense < n ? dense + 1 : dense) !== stride) return false; // laid out for the other form (never: one analysis, one cell)
    const at32 = compact + t * n * stride * 4;
    if (!converted[t]) {
      arena.compact_f32(A.byteOffset, n, dense, at32);
      converted[t] = 1;
    }
    new Float64Array(arena.memory.buffer, q, n * m).set(Q.subarray(0, n * m));
    op(at32, n, dense, q, m, z, work);
    Z.set(new Float64Array(arena.memory.buffer, z, n * m));
    return true;
  };
  /** Where a row-block source lives in the arena: a J_t buffer itself, or the copy of this analysis's W_hh. */
  const sourceAt = (src: Float64Array): number | null => (inArena(src) ? src.byteOffset : src === wSource ? wCopy : null);
  return {
    name: 'WebAssembly SIMD, float64 (J_t products float32)',
    hessenbergEigenvalues(A, n) {
      const [H, re, im, ort, f] = layout(k, [n * n, n, n, n, n]);
      new Float64Array(k.memory.buffer, H, n * n).set(A); // (n, n)
      k.hessenberg_eigenvalues(H, n, re, im, ort, f, MAX_ITERATIONS_PER_EIGENVALUE);
      const R = new Float64Array(k.memory.buffer, re, n); // (n)
      const I = new Float64Array(k.memory.buffer, im, n); // (n)
      return Array.from(R, (v, i): [number, number] => [v, I[i]]);
    },
    singularValues(M, rows, cols) {
      const [A, d, e, w, v] = layout(k, [rows * cols, cols, cols, cols, rows]);
      new Float64Array(k.memory.buffer, A, rows * cols).set(M); // (rows, cols)
      k.bidiagonalize(A, rows, cols, d, e, w, v);
      k.bidiagonal_sv(d, e, cols, MAX_SWEEPS_PER_VALUE);
      M.set(new Float64Array(k.memory.buffer, A, rows * cols));
      return new Float64Array(k.memory.buffer.slice(d, d + bytes(cols)));
    },
    matMul(kind, C, A, B, M, N, K) {
      // Shapes as linalg.ts has them: bt C (M, N), A (M, K), B (N, K); acc C (M, K), A (M, N), B (N, K); at C (N, K), A (M, N), B (M, K).
      const sizes = kind === 'bt' ? [M * N, M * K, N * K] : kind === 'acc' ? [M * K, M * N, N * K] : [N * K, M * N, M * K];
      const [c, a, b] = layout(k, sizes);
      const mem = k.memory.buffer;
      new Float64Array(mem, c, sizes[0]).set(C.subarray(0, sizes[0]));
      new Float64Array(mem, a, sizes[1]).set(A.subarray(0, sizes[1]));
      new Float64Array(mem, b, sizes[2]).set(B.subarray(0, sizes[2]));
      (kind === 'bt' ? k.mm_bt : kind === 'acc' ? k.mm_acc : k.mm_at)(c, a, b, M, N, K);
      C.set(new Float64Array(mem, c, sizes[0]));
      return true;
    },
    jacobianBuffers(T, n, W_hh, lstm) {
      try {
        stride = lstm ? n / 2 + 1 : n;
        [q, z, work, wCopy, diag, first, compact] = layout(arena, [n * n, n * n, n * n / 2, W_hh?.length ?? 0, n, T * n * n, (T * n * stride) / 2]);
        n0 = n;
        count = T;
        converted = new Uint8Array(T);
        wSource = W_hh ?? null;
        if (W_hh) new Float64Array(arena.memory.buffer, wCopy, W_hh.length).set(W_hh);
        return Array.from({ length: T }, (_, t) => new Float64Array(arena.memory.buffer, first + bytes(t * n * n), n * n)); // each (n, n)
      } catch {
        wSource = null;
        count = 0;
        return null; // memory.grow refused: the analysis keeps its own buffers
      }
    },
    addScaledRows(dst, dstAt, dstStride, src, srcAt, srcStride, d, rows, len, skipZero) {
      const from = sourceAt(src);
      if (!inArena(dst) || from === null || rows > n0) return false;
      new Float64Array(arena.memory.buffer, diag, rows).set(d.subarray(0, rows));
      arena.add_scaled_rows(dst.byteOffset + bytes(dstAt), dstStride, from + bytes(srcAt), srcStride, diag, rows, len, skipZero ? 1 : 0);
      return true;
    },
    maxAbs: (A) => (inArena(A) ? arena.max_abs(A.byteOffset, A.length) : null),
    applyJ: (A, n, dense, Q, m, Z) => product(arena.apply_j32, A, n, dense, Q, m, Z),
    applyJT: (A, n, dense, Y, m, Z) => product(arena.apply_jt32, A, n, dense, Y, m, Z),
  };
}

/** A fresh instance of the built module as the analysis's kernels (rejects where there is no wasm SIMD). */
export async function loadWasmDense(): Promise<DenseKernels> {
  return wasmDense(await loadKernels(), await loadKernels());
}
