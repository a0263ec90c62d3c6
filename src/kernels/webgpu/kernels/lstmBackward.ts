/**
 * lstmBackward, the derivative of ./lstmForward.ts: dout (row stride ldo) ← total ∂L/∂h_t
 * (adds dnext, which is zeroed); dcnext (B, H): ∂L/∂c_t from later → ∂L/∂c_{t−1};
 * dA (B, 4H) ← ∂L/∂ of the four gates' pre-activations.
 */
import type { Ptr } from '../../../train/kernels';
import { grid, MAIN_UNIT, u32s, type Program } from '../program';
import type { Recorder } from '../recorder';

const LSTM_BACKWARD: Program = {
  name: 'lstmBackward',
  fields: u32s('B', 'H', 'gates', 'cprev', 'tc', 'dout', 'ldo', 'dnext', 'dcnext', 'dA'),
  body: `${MAIN_UNIT}
  let g0 = u.gates + b * 4u * H + j;
  let d0 = u.dA + b * 4u * H + j;
  let i_t = arena[g0];
  let f_t = arena[g0 + H];
  let g_t = arena[g0 + 2u * H];
  let o_t = arena[g0 + 3u * H];
  let tanh_c = arena[u.tc + i];
  let o = u.dout + b * u.ldo + j;
  let dh = arena[o] + arena[u.dnext + i]; // total ∂L/∂h_t
  arena[o] = dh;
  arena[u.dnext + i] = 0.0;
  // h = o ⊙ tanh(c): the cell state's total gradient adds the path through h
  let dc = arena[u.dcnext + i] + dh * o_t * (1.0 - tanh_c * tanh_c);
  arena[d0] = dc * g_t * i_t * (1.0 - i_t); // ∂/∂i through c = f c_prev + i g
  arena[d0 + H] = dc * arena[u.cprev + i] * f_t * (1.0 - f_t); // ∂/∂f
  arena[d0 + 2u * H] = dc * i_t * (1.0 - g_t * g_t); // ∂/∂g
  arena[d0 + 3u * H] = dh * tanh_c * o_t * (1.0 - o_t); // ∂/∂o
  arena[u.dcnext + i] = dc * f_t;
}`,
};

export function lstmBackward(rec: Recorder, B: number, H: number, gates: Ptr, cprev: Ptr, tc: Ptr, dout: Ptr, ldo: number, dnext: Ptr, dcnext: Ptr, dA: Ptr): void {
  rec.dispatch(LSTM_BACKWARD, [B, H, gates, cprev, tc, dout, ldo, dnext, dcnext, dA], grid(B * H));
}
