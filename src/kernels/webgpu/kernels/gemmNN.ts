/** gemmNN: C (M, N) += A (M, K) · B (K, N), row strides lda, ldb, ldc (kernels in ./gemm.ts). */
import type { Ptr } from '../../../train/kernels';
import type { Recorder } from '../recorder';
import { elementGemm, recordGemm, tiledGemm } from './gemm';

const GEMM_NN = { element: elementGemm('gemmNN', false), tiled: tiledGemm('gemmNN.tiled', false) };

export function gemmNN(rec: Recorder, M: number, N: number, K: number, A: Ptr, lda: number, B: Ptr, ldb: number, C: Ptr, ldc: number): void {
  recordGemm(rec, GEMM_NN, M, N, K, A, lda, B, ldb, C, ldc);
}
