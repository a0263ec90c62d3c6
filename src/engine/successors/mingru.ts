/**
 * minGRU (Feng et al. 2024, "Were RNNs All We Needed?"): a GRU whose gate and candidate read only
 * the input, never h_{t−1}, so the recurrence is linear in h and trains by a parallel scan.
 *   z_t = σ(z_proj(v_t)),  h̃_t = h_proj(v_t)          (H)
 *   h_t = (1 − z_t) ⊙ h_{t−1} + z_t ⊙ h̃_t,  c_t = h_t
 */
import { sigmoid } from '../linalg';
import { linear, linearBackward, previousRow, type Mixer } from './mixer';
import { adjointRecurrence, recurrenceInChunks } from './scan';

export const mingruMixer: Mixer = (p, v, { B, T, H }, opts) => {
  const TB = T * B;
  const n = B * H;
  const z = linear(v, p['z_proj.weight'], p['z_proj.bias'], TB, H, H).map(sigmoid); // (T, B, H) update gate
  const h_tilde = linear(v, p['h_proj.weight'], p['h_proj.bias'], TB, H, H); // (T, B, H) candidate
  const a = z.map((e) => 1 - e); // (T, B, H) what is kept of h_{t−1}
  const b = z.map((e, i) => e * h_tilde[i]); // (T, B, H) what is written
  const h0 = opts.initialState ? opts.initialState[0] : null; // (B, H)
  const h = recurrenceInChunks({ re: a, im: null }, { re: b, im: null }, T, n, h0 ? { re: h0, im: null } : null, opts.truncation, opts.scan).re; // (T, B, H)

  return {
    c: h,
    finalState: [previousRow(h, h0, T, n).slice()], // (B, H): h_{T−1}
    backward(dL_dc, g) {
      const dL_dh = adjointRecurrence({ re: a, im: null }, { re: dL_dc, im: null }, T, n, opts.truncation, opts.scan).re; // (T, B, H) every later step included
      const dL_dzpre = new Float64Array(TB * H); // (T, B, H)
      const dL_dh_tilde = new Float64Array(TB * H); // (T, B, H)
      for (let t = 0; t < T; t++) {
        const h_prev = previousRow(h, h0, t, n); // (B, H)
        for (let j = 0; j < n; j++) {
          const i = t * n + j;
          const dL_dz = dL_dh[i] * (h_tilde[i] - h_prev[j]); // h_t = h_{t−1} + z (h̃ − h_{t−1})
          dL_dzpre[i] = dL_dz * z[i] * (1 - z[i]);
          dL_dh_tilde[i] = dL_dh[i] * z[i];
        }
      }
      const dL_dv = new Float64Array(TB * H); // (T, B, H)
      linearBackward(dL_dzpre, v, p['z_proj.weight'], g['z_proj.weight'], g['z_proj.bias'], dL_dv, TB, H, H);
      linearBackward(dL_dh_tilde, v, p['h_proj.weight'], g['h_proj.weight'], g['h_proj.bias'], dL_dv, TB, H, H);
      return dL_dv;
    },
  };
};
