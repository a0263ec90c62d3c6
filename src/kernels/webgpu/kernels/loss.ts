/**
 * loss: SLOT.loss ← L and dL_dy (N, Y) ← ∂L/∂ŷ from outputs (N, Y), as src/engine/loss.ts:
 * L = (1/B) Σ_n w_n ℓ_n; MSE ℓ = ½ Σ_k (ŷ_k − y_k)², ∂ = w (ŷ − y) / B; cross-entropy
 * ℓ = logsumexp(ŷ) − ŷ_y (max subtracted), ∂ = w (softmax(ŷ) − onehot(y)) / B; a row of weight 0
 * adds nothing and gets a zero gradient. One workgroup: each thread a strided share of the rows,
 * then a tree for L. The host's targets and mask are uploaded first, in order, to the staging
 * pointers the path gives.
 */
import type { LossKind } from '../../../engine/batch';
import type { Ptr } from '../../../train/kernels';
import { MAIN_REDUCE, REDUCE, u32s, type Program } from '../program';
import type { Recorder } from '../recorder';

const LOSS: Program = {
  name: 'loss',
  // crossEntropy 0 MSE, 1 cross-entropy; tgt: MSE (N, Y) values, cross-entropy (N) class ids;
  // mask (N) or 0 for none
  fields: u32s('crossEntropy', 'outputs', 'N', 'Y', 'B', 'dL_dy', 'tgt', 'mask'),
  body: `${MAIN_REDUCE}
  let Y = u.Y;
  let invB = 1.0 / f32(u.B);
  var L = 0.0;
  for (var n = lid; n < u.N; n += ${REDUCE}u) {
    var w = 1.0;
    if (u.mask != 0u) { w = arena[u.mask + n]; }
    let o = u.outputs + n * Y;
    let d = u.dL_dy + n * Y;
    if (w == 0.0) {
      for (var k = 0u; k < Y; k++) { arena[d + k] = 0.0; }
      continue;
    }
    if (u.crossEntropy == 0u) {
      for (var k = 0u; k < Y; k++) {
        let e = arena[o + k] - arena[u.tgt + n * Y + k];
        L += 0.5 * w * e * e;
        arena[d + k] = w * e * invB;
      }
    } else {
      let cls = u32(arena[u.tgt + n]);
      var mx = arena[o];
      for (var k = 1u; k < Y; k++) { mx = max(mx, arena[o + k]); }
      var sumExp = 0.0;
      for (var k = 0u; k < Y; k++) { sumExp += exp(arena[o + k] - mx); }
      let logSumExp = mx + log(sumExp);
      L += w * (logSumExp - arena[o + cls]);
      for (var k = 0u; k < Y; k++) { arena[d + k] = w * (exp(arena[o + k] - logSumExp) - select(0.0, 1.0, k == cls)) * invB; }
    }
  }
  let total = reduce(lid, vec2<f32>(L, 0.0));
  if (lid == 0u) { slots[SLOT_LOSS] = total.x * invB; }
}`,
};

export function loss(rec: Recorder, kind: LossKind, outputs: Ptr, N: number, Y: number, B: number, dL_dy: Ptr, target: ArrayLike<number>, mask: ArrayLike<number> | null, staging: { target: Ptr; mask: Ptr }): void {
  rec.write(staging.target, target);
  if (mask) rec.write(staging.mask, mask);
  rec.dispatch(LOSS, [kind === 'cross_entropy' ? 1 : 0, outputs, N, Y, B, dL_dy, staging.target, mask ? staging.mask : 0], [1, 1]);
}
