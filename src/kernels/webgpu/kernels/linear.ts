/**
 * What the mixers share: torch.nn.Linear over a whole (T·B, in) buffer and its backward, as
 * src/engine/successors/mixer.ts's `linear` / `linearBackward` (and the wasm mixers' linear.ts),
 * recorded as the path's own product kernels. Weights come in PyTorch's (out, in) layout; the
 * forward product reads a transposed copy in the caller's scratch `wT`.
 */
import type { Ptr } from '../../../train/kernels';
import type { Recorder } from '../recorder';
import { colSums } from './colSums';
import { fillRows } from './fillRows';
import { gemmNN } from './gemmNN';
import { gemmTN } from './gemmTN';
import { transpose } from './transpose';
import { zero } from './zero';

/** y (M, out) ← x (M, in) · Wᵀ (+ bias when bias ≠ 0); W (out, in); wT (in · out) scratch */
export function linear(rec: Recorder, x: Ptr, W: Ptr, bias: Ptr, M: number, out: number, inSize: number, y: Ptr, wT: Ptr): void {
  transpose(rec, wT, out, W, out, inSize);
  if (bias) fillRows(rec, y, M, out, out, bias, 0);
  else zero(rec, y, M * out);
  gemmNN(rec, M, out, inSize, x, inSize, wT, out, y, out);
}

/** dW (out, in) += dyᵀ x, dbias (out) += Σ_rows dy when dbias ≠ 0, dx (M, in) += dy W when dx ≠ 0 */
export function linearBackward(rec: Recorder, dy: Ptr, x: Ptr, W: Ptr, dW: Ptr, dbias: Ptr, dx: Ptr, M: number, out: number, inSize: number): void {
  gemmTN(rec, out, inSize, M, dy, out, x, inSize, dW, inSize);
  if (dbias) colSums(rec, dbias, dy, M, out, out);
  if (dx) gemmNN(rec, M, inSize, out, dy, out, W, inSize, dx, inSize);
}

/** WGSL: whether the state entering step t is detached (truncation k; 0 for none), bptt.ts's isDetachedAt */
export const DETACHED_AT = `
fn detachedAt(t: u32, k: u32) -> bool { return k > 0u && t > 0u && t % k == 0u; }`;
