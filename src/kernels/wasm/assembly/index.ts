/**
 * The wasm backend's kernels (AssemblyScript, WebAssembly SIMD, float32). Built by
 * scripts/build-wasm.mjs into src/kernels/wasm/build/rnn.wasm. No runtime, no imports, no heap:
 * the TypeScript orchestrator (../trainer.ts) lays out every buffer above `heap_base()` itself and
 * passes byte offsets.
 */
export { gemm_nn, gemm_tn, gemm_nn_packed, gemm_affine_packed, pack_b, pack_bt, packed_size, set_scratch, scratch_bytes } from './gemm';
export { rnn_fwd, rnn_bwd, lstm_fwd, lstm_bwd, gru_fwd, gru_bwd } from './cells';
export { fill_rows, col_sums, transpose, sumsq, scale, clamp, sgd, adam, rmsprop } from './vector';

/** The first free byte above the module's static data. */
export function heap_base(): usize {
  return __heap_base;
}
export { gate_fwd, gate_bwd } from './gate';
export { mingru_work, mingru_fwd, mingru_bwd } from './mingru';
export { lru_work, lru_fwd, lru_bwd } from './lru';
export { rwkv_work, rwkv_fwd, rwkv_bwd } from './rwkv';
export { mamba_work, mamba_fwd, mamba_bwd } from './mamba';
export { attention_work, attention_fwd, attention_bwd } from './attention';
export { hessenberg_eigenvalues } from './eigen';
export { bidiagonalize, bidiagonal_sv } from './bidiag';
export { compact_f32, apply_j32, apply_jt32 } from './jacobian';
export { max_abs, add_scaled_rows } from './f64rows';
export { mm_bt, mm_acc, mm_at } from './f64gemm';
