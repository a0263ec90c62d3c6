/**
 * Losses with the reference conventions: L = (1/B) Σ_b Σ_t m_{t,b} ℓ_t, summed over time as in BPTT
 * and averaged over the batch (m is the optional mask, 1 where a step is scored).
 *   MSE:           ℓ_t = ½ Σ_k (ŷ_k − y_k)²          ∂ℓ/∂ŷ = ŷ − y
 *   cross-entropy: ℓ_t = −log softmax(ŷ)[y]          ∂ℓ/∂ŷ = softmax(ŷ) − onehot(y)
 */
import type { LossKind } from './batch';

export interface LossResult {
  loss: number;
  /** Same shape as the outputs: (N, Y) */
  dL_dy: Float64Array;
}

/** A float buffer the gradient is written into: float64 here, a float32 view of wasm memory there. */
export type FloatBuffer = Float64Array | Float32Array;

/**
 * The loss (summed in float64) and ∂L/∂ŷ written whole into `dL_dy`.
 * @param y_hat (N, Y) readout outputs, N = T·B or B
 * @param target MSE: (N, Y); cross-entropy: (N) class ids
 * @param weight (N) per-row weight (mask), or null for all ones
 * @param dL_dy (N, Y) output
 */
export function lossAndGradientInto(
  kind: LossKind,
  y_hat: ArrayLike<number>,
  target: ArrayLike<number>,
  weight: ArrayLike<number> | null,
  N: number,
  Y: number,
  B: number,
  dL_dy: FloatBuffer,
): number {
  let loss = 0;
  for (let n = 0; n < N; n++) {
    const w = weight ? weight[n] : 1;
    const o = n * Y;
    if (w === 0) {
      dL_dy.fill(0, o, o + Y);
      continue;
    }
    if (kind === 'mse') {
      for (let k = 0; k < Y; k++) {
        const e = y_hat[o + k] - target[o + k];
        loss += 0.5 * w * e * e;
        dL_dy[o + k] = (w * e) / B;
      }
    } else {
      const cls = target[n];
      let max = -Infinity;
      for (let k = 0; k < Y; k++) max = Math.max(max, y_hat[o + k]);
      let sumExp = 0;
      for (let k = 0; k < Y; k++) sumExp += Math.exp(y_hat[o + k] - max);
      const logSumExp = max + Math.log(sumExp);
      loss += w * (logSumExp - y_hat[o + cls]);
      for (let k = 0; k < Y; k++) dL_dy[o + k] = (w * (Math.exp(y_hat[o + k] - logSumExp) - (k === cls ? 1 : 0))) / B;
    }
  }
  return loss / B;
}

/** The same, with a fresh float64 gradient buffer. */
export function lossAndGradient(
  kind: LossKind,
  y_hat: Float64Array,
  target: Float64Array,
  weight: Float64Array | null,
  N: number,
  Y: number,
  B: number,
): LossResult {
  const dL_dy = new Float64Array(N * Y); // (N, Y)
  return { loss: lossAndGradientInto(kind, y_hat, target, weight, N, Y, B, dL_dy), dL_dy };
}

/** Softmax of one row of logits, stable for large values. */
export function softmax(logits: ArrayLike<number>, temperature = 1): Float64Array {
  const p = new Float64Array(logits.length);
  let max = -Infinity;
  for (let k = 0; k < logits.length; k++) max = Math.max(max, logits[k] / temperature);
  let sum = 0;
  for (let k = 0; k < logits.length; k++) sum += p[k] = Math.exp(logits[k] / temperature - max);
  for (let k = 0; k < logits.length; k++) p[k] /= sum;
  return p;
}
