/**
 * minGRU (Feng et al. 2024), forward and backward, as src/engine/successors/mingru.ts (and the wasm
 * mixer's assembly/mingru.ts):
 *   z_t = σ(z_proj(v_t)),  h̃_t = h_proj(v_t),  h_t = (1 − z_t) ⊙ h_{t−1} + z_t ⊙ h̃_t,  c_t = h_t
 * over n = B·H channels from h_{−1} = 0, one thread per channel looping over t. Backward runs the
 * adjoint λ_t = ∂L/∂c_t + (1 − z_{t+1}) λ_{t+1} down in time, cut where the state entering t+1 is
 * detached (truncation k, 0 for none).
 *
 * work (floats): z (T, B, H) | h̃ (T, B, H) | h (T, B, H) | Wᵀ scratch (H, H). The backward pass
 * turns z into ∂L/∂(z_proj v) and h̃ into ∂L/∂h̃ in place.
 */
import type { MixerDims } from '../../../engine/successors/mixer';
import type { Ptr } from '../../../train/kernels';
import { grid, MAIN_1D, u32s, type Program } from '../program';
import type { Recorder } from '../recorder';
import { DETACHED_AT, linear, linearBackward } from './linear';
import { zero } from './zero';

export const mingruWork = (d: MixerDims): number => 3 * d.T * d.B * d.H + d.H * d.H;

const MINGRU_FORWARD: Program = {
  name: 'mingruForward',
  fields: u32s('n', 'T', 'z', 'ht', 'h', 'c'),
  body: `${MAIN_1D}
  if (i >= u.n) { return; }
  var hp = 0.0; // h_{t−1}
  for (var t = 0u; t < u.T; t++) {
    let o = t * u.n + i;
    let z = sigm(arena[u.z + o]);
    arena[u.z + o] = z;
    hp = hp + z * (arena[u.ht + o] - hp); // h_t = h_{t−1} + z (h̃ − h_{t−1})
    arena[u.h + o] = hp;
    arena[u.c + o] = hp;
  }
}`,
};

const MINGRU_BACKWARD: Program = {
  name: 'mingruBackward',
  fields: u32s('n', 'T', 'k', 'z', 'ht', 'h', 'dC'),
  body: `${DETACHED_AT}${MAIN_1D}
  if (i >= u.n) { return; }
  var carry = 0.0; // (1 − z_{t+1}) λ_{t+1}, or 0 across a detached state
  for (var s = 0u; s < u.T; s++) {
    let t = u.T - 1u - s;
    let o = t * u.n + i;
    let lam = arena[u.dC + o] + carry; // λ_t = ∂L/∂h_t, every later step included
    let z = arena[u.z + o];
    var hp = 0.0;
    if (t > 0u) { hp = arena[u.h + o - u.n]; }
    let keep = 1.0 - z;
    carry = select(keep * lam, 0.0, detachedAt(t, u.k));
    arena[u.z + o] = lam * (arena[u.ht + o] - hp) * z * keep; // ∂h/∂z = h̃ − h_{t−1}, σ' = z (1 − z)
    arena[u.ht + o] = lam * z;
  }
}`,
};

function parts(d: MixerDims, work: Ptr) {
  const TBH = d.T * d.B * d.H;
  return { z: work, ht: work + TBH, h: work + 2 * TBH, wT: work + 3 * TBH };
}

/** tensors: z_proj.weight, z_proj.bias, h_proj.weight, h_proj.bias */
export function mingruForward(rec: Recorder, d: MixerDims, [Wz, bz, Wh, bh]: Ptr[], v: Ptr, c: Ptr, work: Ptr): void {
  const { z, ht, h, wT } = parts(d, work);
  const TB = d.T * d.B;
  linear(rec, v, Wz, bz, TB, d.H, d.H, z, wT);
  linear(rec, v, Wh, bh, TB, d.H, d.H, ht, wT);
  // Truncation changes no value forward, only where gradients go.
  rec.dispatch(MINGRU_FORWARD, [d.B * d.H, d.T, z, ht, h, c], grid(d.B * d.H));
}

export function mingruBackward(rec: Recorder, d: MixerDims, k: number, [Wz, , Wh]: Ptr[], [gWz, gbz, gWh, gbh]: Ptr[], v: Ptr, dC: Ptr, dV: Ptr, work: Ptr): void {
  const { z, ht, h } = parts(d, work);
  const TB = d.T * d.B;
  rec.dispatch(MINGRU_BACKWARD, [d.B * d.H, d.T, k, z, ht, h, dC], grid(d.B * d.H));
  zero(rec, dV, TB * d.H);
  linearBackward(rec, z, v, Wz, gWz, gbz, dV, TB, d.H, d.H);
  linearBackward(rec, ht, v, Wh, gWh, gbh, dV, TB, d.H, d.H);
}
