/**
 * What the mixers share: torch.nn.Linear over a whole (T·B, in) buffer and its backward, as
 * src/engine/successors/mixer.ts's `linear` / `linearBackward`, on the gemm kernels; the truncation
 * rule of src/engine/bptt.ts; f32 loads and stores by element index. Weights come in PyTorch's
 * (out, in) layout; the forward product reads a transposed copy in the caller's scratch `wT`.
 */
import { gemm_nn, gemm_tn } from './gemm';
import { col_sums, fill_rows, transpose } from './vector';

/** the f32 at element i of p */
// @ts-ignore: decorator
@inline export function at(p: usize, i: i32): f32 {
  return load<f32>(p + ((<usize>i) << 2));
}

/** element i of p ← x */
// @ts-ignore: decorator
@inline export function put(p: usize, i: i32, x: f32): void {
  store<f32>(p + ((<usize>i) << 2), x);
}

/** element i of p += x */
// @ts-ignore: decorator
@inline export function add(p: usize, i: i32, x: f32): void {
  const q = p + ((<usize>i) << 2);
  store<f32>(q, load<f32>(q) + x);
}

/** the byte pointer n floats past p */
// @ts-ignore: decorator
@inline export function past(p: usize, n: i32): usize {
  return p + ((<usize>n) << 2);
}

/** p (n) ← 0 */
// @ts-ignore: decorator
@inline export function zero(p: usize, n: i32): void {
  memory.fill(p, 0, (<usize>n) << 2);
}

/** whether the state entering step t is detached (truncation k; 0 for none): bptt.ts's isDetachedAt */
// @ts-ignore: decorator
@inline export function detachedAt(t: i32, k: i32): bool {
  return k > 0 && t > 0 && t % k == 0;
}

/** y (M, out) ← x (M, in) · Wᵀ (+ bias when bias ≠ 0); W (out, in); wT (in · out) scratch */
export function linear(x: usize, W: usize, bias: usize, M: i32, out: i32, inSize: i32, y: usize, wT: usize): void {
  transpose(wT, out, W, out, inSize);
  if (bias) fill_rows(y, M, out, out, bias, 0);
  else zero(y, M * out);
  gemm_nn(M, out, inSize, x, inSize, wT, out, y, out);
}

/** dW (out, in) += dyᵀ x, dbias (out) += Σ_rows dy when dbias ≠ 0, dx (M, in) += dy W when dx ≠ 0 */
export function linearBackward(dy: usize, x: usize, W: usize, dW: usize, dbias: usize, dx: usize, M: i32, out: i32, inSize: i32): void {
  gemm_tn(out, inSize, M, dy, out, x, inSize, dW, inSize);
  if (dbias) col_sums(dbias, dy, M, out, out);
  if (dx) gemm_nn(M, inSize, out, dy, out, W, inSize, dx, inSize);
}
