/**
 * rnnBackward: dout (row stride ldo) ← total ∂L/∂h_t = dout + dnext; dnext ← 0;
 * dA (B, H) ← ∂L/∂a = ∂h φ'(a), φ' written through h = φ(a).
 */
import type { Activation, Ptr } from '../../../train/kernels';
import { grid, MAIN_UNIT, u32s, type Program } from '../program';
import type { Recorder } from '../recorder';

const RNN_BACKWARD: Program = {
  name: 'rnnBackward',
  fields: u32s('act', 'B', 'H', 'h', 'dout', 'ldo', 'dnext', 'dA'),
  body: `
// tanh: 1 − h²; relu: [h > 0]; linear: 1
fn dphi(act: u32, h: f32) -> f32 {
  if (act == 0u) { return 1.0 - h * h; }
  if (act == 1u) { return select(0.0, 1.0, h > 0.0); }
  return 1.0;
}${MAIN_UNIT}
  let o = u.dout + b * u.ldo + j;
  let dh = arena[o] + arena[u.dnext + i];
  arena[o] = dh;
  arena[u.dnext + i] = 0.0;
  arena[u.dA + i] = dh * dphi(u.act, arena[u.h + i]);
}`,
};

export function rnnBackward(rec: Recorder, act: Activation, B: number, H: number, h: Ptr, dout: Ptr, ldo: number, dnext: Ptr, dA: Ptr): void {
  rec.dispatch(RNN_BACKWARD, [act, B, H, h, dout, ldo, dnext, dA], grid(B * H));
}
