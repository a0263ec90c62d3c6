/**
 * gruForward (gate order r, z, n, as src/engine/cells/gru.ts): gi (B, 3H) W_ih x + b_ih → r, z, n
 * in place; gh (B, 3H) W_hh h' + b_hh; hn (B, H) ← W_hn h' + b_hn (backward needs it);
 * hout (row stride ldo) ← h_t = (1 − z) n + z h_{t−1}, hprev row stride ldp.
 */
import type { Ptr } from '../../../train/kernels';
import { grid, MAIN_UNIT, u32s, type Program } from '../program';
import type { Recorder } from '../recorder';

const GRU_FORWARD: Program = {
  name: 'gruForward',
  fields: u32s('B', 'H', 'gi', 'gh', 'hprev', 'ldp', 'hn', 'hout', 'ldo'),
  body: `${MAIN_UNIT}
  let o = u.gi + b * 3u * H + j;
  let q = u.gh + b * 3u * H + j;
  let r = sigm(arena[o] + arena[q]); // reset gate
  let z = sigm(arena[o + H] + arena[q + H]); // update gate
  let hn_k = arena[q + 2u * H];
  let n = tanhc(arena[o + 2u * H] + r * hn_k); // candidate
  arena[o] = r;
  arena[o + H] = z;
  arena[o + 2u * H] = n;
  arena[u.hn + i] = hn_k;
  arena[u.hout + b * u.ldo + j] = (1.0 - z) * n + z * arena[u.hprev + b * u.ldp + j];
}`,
};

export function gruForward(rec: Recorder, B: number, H: number, gi: Ptr, gh: Ptr, hprev: Ptr, ldp: number, hn: Ptr, hout: Ptr, ldo: number): void {
  rec.dispatch(GRU_FORWARD, [B, H, gi, gh, hprev, ldp, hn, hout, ldo], grid(B * H));
}
