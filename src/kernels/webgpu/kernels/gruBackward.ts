/**
 * gruBackward, the derivative of ./gruForward.ts: dout (row stride ldo) ← total ∂L/∂h_t (adds
 * dnext); dnext (B, H) ← z ⊙ ∂h, the direct part of ∂L/∂h_{t−1}; dgi, dgh (B, 3H) ← ∂L/∂ of
 * W_ih x + b_ih and of W_hh h + b_hh (they differ only in n: r multiplies the hidden half).
 */
import type { Ptr } from '../../../train/kernels';
import { grid, MAIN_UNIT, u32s, type Program } from '../program';
import type { Recorder } from '../recorder';

const GRU_BACKWARD: Program = {
  name: 'gruBackward',
  fields: u32s('B', 'H', 'gates', 'hn', 'hprev', 'ldp', 'dout', 'ldo', 'dnext', 'dgi', 'dgh'),
  body: `${MAIN_UNIT}
  let o = u.gates + b * 3u * H + j;
  let di = u.dgi + b * 3u * H + j;
  let dg = u.dgh + b * 3u * H + j;
  let r = arena[o];
  let z = arena[o + H];
  let n = arena[o + 2u * H];
  let p = u.dout + b * u.ldo + j;
  let dh = arena[p] + arena[u.dnext + i]; // total ∂L/∂h_t
  arena[p] = dh;
  let dan = dh * (1.0 - z) * (1.0 - n * n); // through h' = (1−z) n, n = tanh(·)
  let daz = dh * (arena[u.hprev + b * u.ldp + j] - n) * z * (1.0 - z); // through h' = n + z (h − n)
  let dar = dan * arena[u.hn + i] * r * (1.0 - r); // through r ⊙ (W_hn h + b_hn)
  arena[di] = dar;
  arena[dg] = dar;
  arena[di + H] = daz;
  arena[dg + H] = daz;
  arena[di + 2u * H] = dan;
  arena[dg + 2u * H] = dan * r;
  arena[u.dnext + i] = dh * z; // the direct path through z ⊙ h
}`,
};

export function gruBackward(rec: Recorder, B: number, H: number, gates: Ptr, hn: Ptr, hprev: Ptr, ldp: number, dout: Ptr, ldo: number, dnext: Ptr, dgi: Ptr, dgh: Ptr): void {
  rec.dispatch(GRU_BACKWARD, [B, H, gates, hn, hprev, ldp, dout, ldo, dnext, dgi, dgh], grid(B * H));
}
