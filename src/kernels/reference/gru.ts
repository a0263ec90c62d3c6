/** The GRU's elementwise step in float64 (gate order r, z, n), as src/engine/cells/gru.ts. */
import { sigmoid } from '../../engine/linalg';
import type { FloatArena } from './arena';

/** gi (B, 3H) W_ih x + b_ih → r, z, n in place; gh (B, 3H) W_hh h' + b_hh; hn (B, H) ← W_hn h' + b_hn; hout ← h_t */
export function gruForward(m: FloatArena, B: number, H: number, gi: number, gh: number, hprev: number, ldp: number, hn: number, hout: number, ldo: number): void {
  for (let b = 0; b < B; b++) {
    const o = gi + b * 3 * H;
    const q = gh + b * 3 * H;
    for (let j = 0; j < H; j++) {
      const k = b * H + j;
      const r = (m[o + j] = sigmoid(m[o + j] + m[q + j])); // reset gate
      const z = (m[o + H + j] = sigmoid(m[o + H + j] + m[q + H + j])); // update gate
      const hn_k = (m[hn + k] = m[q + 2 * H + j]);
      const n = (m[o + 2 * H + j] = Math.tanh(m[o + 2 * H + j] + r * hn_k)); // candidate
      m[hout + b * ldo + j] = (1 - z) * n + z * m[hprev + b * ldp + j];
    }
  }
}

/** dout → total ∂L/∂h_t; dnext (B, H) → z ⊙ ∂h; dgi, dgh (B, 3H) ← ∂ of W_ih x + b_ih, W_hh h + b_hh */
export function gruBackward(m: FloatArena, B: number, H: number, gates: number, hn: number, hprev: number, ldp: number, dout: number, ldo: number, dnext: number, dgi: number, dgh: number): void {
  for (let b = 0; b < B; b++) {
    const o = gates + b * 3 * H;
    const di = dgi + b * 3 * H;
    const dg = dgh + b * 3 * H;
    for (let j = 0; j < H; j++) {
      const k = b * H + j;
      const r = m[o + j];
      const z = m[o + H + j];
      const n = m[o + 2 * H + j];
      const p = dout + b * ldo + j;
      const dh = (m[p] = m[p] + m[dnext + k]); // total ∂L/∂h_t
      const dan = dh * (1 - z) * (1 - n * n); // through h' = (1−z) n, n = tanh(·)
      const daz = dh * (m[hprev + b * ldp + j] - n) * z * (1 - z); // through h' = n + z (h − n)
      const dar = dan * m[hn + k] * r * (1 - r); // through r ⊙ (W_hn h + b_hn)
      m[di + j] = dar;
      m[dg + j] = dar;
      m[di + H + j] = daz;
      m[dg + H + j] = daz;
      m[di + 2 * H + j] = dan;
      m[dg + 2 * H + j] = dan * r;
      m[dnext + k] = dh * z; // the direct path through z ⊙ h
    }
  }
}
