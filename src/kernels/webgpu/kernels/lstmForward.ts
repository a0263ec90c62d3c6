/**
 * lstmForward (gate order i, f, g, o, as src/engine/cells/lstm.ts): gates (B, 4H) pre-activations
 * → gate values in place; c, tc (B, H) ← c_t, tanh c_t; hout (row stride ldo) ← h_t = o ⊙ tanh c_t.
 */
import type { Ptr } from '../../../train/kernels';
import { grid, MAIN_UNIT, u32s, type Program } from '../program';
import type { Recorder } from '../recorder';

const LSTM_FORWARD: Program = {
  name: 'lstmForward',
  fields: u32s('B', 'H', 'gates', 'cprev', 'c', 'tc', 'hout', 'ldo'),
  body: `${MAIN_UNIT}
  let g0 = u.gates + b * 4u * H + j;
  let i_t = sigm(arena[g0]); // input gate
  let f_t = sigm(arena[g0 + H]); // forget gate
  let g_t = tanhc(arena[g0 + 2u * H]); // candidate
  let o_t = sigm(arena[g0 + 3u * H]); // output gate
  arena[g0] = i_t;
  arena[g0 + H] = f_t;
  arena[g0 + 2u * H] = g_t;
  arena[g0 + 3u * H] = o_t;
  let c_t = f_t * arena[u.cprev + i] + i_t * g_t;
  let t = tanhc(c_t);
  arena[u.c + i] = c_t;
  arena[u.tc + i] = t;
  arena[u.hout + b * u.ldo + j] = o_t * t;
}`,
};

export function lstmForward(rec: Recorder, B: number, H: number, gates: Ptr, cprev: Ptr, c: Ptr, tc: Ptr, hout: Ptr, ldo: number): void {
  rec.dispatch(LSTM_FORWARD, [B, H, gates, cprev, c, tc, hout, ldo], grid(B * H));
}
