/** Row-wise helpers in float64 on the reference arena `a`: transposes, bias rows, column sums, Σx². */
import type { FloatArena } from './arena';

/** dst (C, R), row stride ldd ← srcᵀ, src (R, C) contiguous */
export function transpose(a: FloatArena, dst: number, ldd: number, src: number, R: number, C: number): void {
  for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) a[dst + c * ldd + r] = a[src + r * C + c];
}

/** every row of C (M, N), row stride ldc, ← b1 (+ b2 when b2 ≠ 0) */
export function fillRows(a: FloatArena, C: number, M: number, N: number, ldc: number, b1: number, b2: number): void {
  for (let i = 0; i < M; i++) {
    const c = C + i * ldc;
    if (b2) for (let j = 0; j < N; j++) a[c + j] = a[b1 + j] + a[b2 + j];
    else a.copyWithin(c, b1, b1 + N);
  }
}

/** dst (N) += Σ_rows A (M, N), row stride lda */
export function colSums(a: FloatArena, dst: number, A: number, M: number, N: number, lda: number): void {
  for (let i = 0; i < M; i++) {
    const r = A + i * lda;
    for (let j = 0; j < N; j++) a[dst + j] += a[r + j];
  }
}

/** Σ x², x (n) */
export function sumsq(a: FloatArena, x: number, n: number): number {
  let s = 0;
  for (let i = x; i < x + n; i++) s += a[i] * a[i];
  return s;
}
