/** Matrix products in float64 on the reference arena `a`, row-major with row strides. */
import type { FloatArena } from './arena';

/** C (M, N) += A (M, K) · B (K, N); rows of C accumulate B's rows, the inner loop runs along them. */
export function gemmNN(a: FloatArena, M: number, N: number, K: number, A: number, lda: number, B: number, ldb: number, C: number, ldc: number): void {
  for (let i = 0; i < M; i++) {
    const c = C + i * ldc;
    const ai = A + i * lda;
    for (let k = 0; k < K; k++) {
      const s = a[ai + k];
      if (s === 0) continue;
      const b = B + k * ldb;
      for (let j = 0; j < N; j++) a[c + j] += s * a[b + j];
    }
  }
}

/** C (M, N) += Aᵀ · B, A (K, M), B (K, N): a sum of outer products of their rows. */
export function gemmTN(a: FloatArena, M: number, N: number, K: number, A: number, lda: number, B: number, ldb: number, C: number, ldc: number): void {
  for (let k = 0; k < K; k++) {
    const ak = A + k * lda;
    const b = B + k * ldb;
    for (let i = 0; i < M; i++) {
      const s = a[ak + i];
      if (s === 0) continue;
      const c = C + i * ldc;
      for (let j = 0; j < N; j++) a[c + j] += s * a[b + j];
    }
  }
}
