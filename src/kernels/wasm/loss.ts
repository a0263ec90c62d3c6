/**
 * The loss on float32 outputs, summed in float64, with the engine's conventions (src/engine/loss.ts):
 * L = (1/B) Σ_n w_n ℓ_n; MSE ℓ = ½ Σ (ŷ − y)², ∂ℓ/∂ŷ = ŷ − y; cross-entropy ℓ = −log softmax(ŷ)[y],
 * ∂ℓ/∂ŷ = softmax(ŷ) − onehot(y). It is O(N·Y), small beside the recurrence, so it stays in JS.
 */
import type { LossKind } from '../../engine/batch';

/**
 * @param y_hat (N, Y) float32 view of the outputs
 * @param target MSE (N, Y); cross-entropy (N) class ids
 * @param weight (N) mask, or null
 * @param dL_dy (N, Y) float32 view, written whole
 */
export function lossAndGradient32(
  kind: LossKind,
  y_hat: Float32Array,
  target: Float64Array,
  weight: Float64Array | null,
  N: number,
  Y: number,
  B: number,
  dL_dy: Float32Array,
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
