/** rnnForward: a (B, H) pre-activations → h = φ(a) in place, copied to hout (row stride ldo). */
import type { Activation, Ptr } from '../../../train/kernels';
import { grid, MAIN_UNIT, u32s, type Program } from '../program';
import type { Recorder } from '../recorder';

/** φ by ACTIVATION number (tanh 0, relu 1, linear 2); ReLU keeps a NaN, as PyTorch's does. */
export const PHI = `
fn phi(act: u32, a: f32) -> f32 {
  if (act == 0u) { return tanhc(a); }
  if (act == 1u && !isNan(a)) { return max(a, 0.0); }
  return a;
}`;

const RNN_FORWARD: Program = {
  name: 'rnnForward',
  fields: u32s('act', 'B', 'H', 'a', 'hout', 'ldo'),
  body: `${PHI}${MAIN_UNIT}
  let h = phi(u.act, arena[u.a + i]);
  arena[u.a + i] = h;
  arena[u.hout + b * u.ldo + j] = h;
}`,
};

export function rnnForward(rec: Recorder, act: Activation, B: number, H: number, a: Ptr, hout: Ptr, ldo: number): void {
  rec.dispatch(RNN_FORWARD, [act, B, H, a, hout, ldo], grid(B * H));
}
