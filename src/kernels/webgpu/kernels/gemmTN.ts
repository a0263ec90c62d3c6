/**
 * gemmTN: C (M, N) += Aᵀ · B, A (K, M), B (K, N): the gradient products, summed over K = T·B rows
 * (∂W = ∂aᵀ · x); kernels in ./gemm.ts.
 */
import type { Ptr } from '../../../train/kernels';
import type { Recorder } from '../recorder';
import { elementGemm, recordGemm, tiledGemm } from './gemm';

const GEMM_TN = { element: elementGemm('gemmTN', true), tiled: tiledGemm('gemmTN.tiled', true) };

export function gemmTN(rec: Recorder, M: number, N: number, K: number, A: Ptr, lda: number, B: Ptr, ldb: number, C: Ptr, ldc: number): void {
  recordGemm(rec, GEMM_TN, M, N, K, A, lda, B, ldb, C, ldc);
}
