/**
 * What every mixer (lru, mamba, rwkv, mingru, attention) looks like to the block: a forward pass
 * over the whole sequence that keeps what its backward pass needs, and that backward pass.
 * Buffers are time-major like the RNN engine's: row t·B + b of a (T, B, ·) buffer is step t of
 * sequence b, so a (T, B, H) buffer is also a (T·B, H) matrix for the linear maps.
 */
import { addBias, addColumnSums, addMatMul, addMatMulAT, addMatMulBT } from '../linalg';
import type { ScanMode } from './scan';

export interface MixerDims {
  B: number;
  T: number;
  /** the block's width */
  H: number;
  /** state size (lru, mamba) */
  N: number;
  /** attention heads */
  heads: number;
}

export interface MixerOptions {
  /** detach the state entering steps k, 2k, … (recurrent mixers; attention has no state) */
  truncation: number | null;
  /** how the linear recurrences run forward and backward: step by step or as a parallel scan */
  scan: ScanMode;
  /** the state before step 0, a constant (a carried stream state); null for zero */
  initialState: Float64Array[] | null;
}

/** A mixer's tensors by their name after `layers.{l}.mixer.` (`nu_log`, `dt_proj.weight`, …). */
export type MixerTensors = Record<string, Float64Array>;

export interface MixerPass {
  /** (T, B, H) the mixer's output c_t */
  c: Float64Array;
  /** the state after the last step (each part (B, …)); empty for attention */
  finalState: Float64Array[];
  /**
   * Backpropagation through the whole sequence: adds ∂L/∂θ of the mixer's tensors into `grads`
   * (same names) and returns ∂L/∂v (T, B, H).
   * @param dL_dc (T, B, H)
   */
  backward(dL_dc: Float64Array, grads: MixerTensors): Float64Array;
}

export type Mixer = (p: MixerTensors, v: Float64Array, dims: MixerDims, opts: MixerOptions) => MixerPass;

/** y (M, out) = x (M, in) · Wᵀ (+ bias): torch.nn.Linear over M rows at once. */
export function linear(x: Float64Array, W: Float64Array, bias: Float64Array | null, M: number, out: number, inSize: number): Float64Array {
  const y = new Float64Array(M * out); // (M, out)
  addMatMulBT(y, x, W, M, out, inSize);
  if (bias) addBias(y, bias, M, out);
  return y;
}

/**
 * The backward of `linear`: dW += dyᵀ x, dbias += Σ_rows dy, and dx += dy W when dx is given.
 * @param dy (M, out) @param x (M, in) @param dx (M, in) or null
 */
export function linearBackward(dy: Float64Array, x: Float64Array, W: Float64Array, dW: Float64Array, dbias: Float64Array | null, dx: Float64Array | null, M: number, out: number, inSize: number): void {
  addMatMulAT(dW, dy, x, M, out, inSize);
  if (dbias) addColumnSums(dbias, dy, M, out);
  if (dx) addMatMul(dx, dy, W, M, out, inSize);
}

/** The state x_{t−1} entering step t, row t of a (T, n) buffer read one row back: x0 or zero at t = 0. */
export function previousRow(x: Float64Array, x0: Float64Array | null, t: number, n: number): Float64Array {
  if (t > 0) return x.subarray((t - 1) * n, t * n);
  return x0 ?? new Float64Array(n);
}

/** The same values repeated for every one of `rows` rows: (rows, n). */
export function repeatRows(values: Float64Array, rows: number): Float64Array {
  const out = new Float64Array(rows * values.length); // (rows, n)
  for (let r = 0; r < rows; r++) out.set(values, r * values.length);
  return out;
}
