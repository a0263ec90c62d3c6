/**
 * RWKV-4's time mixing (Peng et al. 2023, BlinkDL/RWKV-LM v4), without token shift: a weighted
 * average of past values with a per-channel decay, and a bonus u for the current token.
 *   k_t, val_t, r_t = key(v_t), value(v_t), receptance(v_t)        (H) each
 *   wkv_t = (a_{t−1} + e^{u+k_t} ⊙ val_t) / (b_{t−1} + e^{u+k_t})
 *   a_t = e^{−w} ⊙ a_{t−1} + e^{k_t} ⊙ val_t,   b_t = e^{−w} ⊙ b_{t−1} + e^{k_t},   w = exp(w_log)
 *   c_t = σ(r_t) ⊙ wkv_t
 * In float64 the exponentials are written as they stand (RWKV's running-maximum trick is for
 * float32). Numerator a and denominator b are two linear recurrences with the same decay, so they
 * run on the same scan as the other mixers. Truncation detaches (a, b) before steps k, 2k, …:
 * neither wkv_t nor the recurrence then passes gradient back into the older state.
 */
import { isDetachedAt } from '../bptt';
import { sigmoid } from '../linalg';
import { linear, linearBackward, previousRow, repeatRows, type Mixer } from './mixer';
import { adjointRecurrence, recurrenceInChunks } from './scan';

export const rwkvMixer: Mixer = (p, v, { B, T, H }, opts) => {
  const TB = T * B;
  const n = B * H;
  const k = linear(v, p['key.weight'], null, TB, H, H); // (T, B, H)
  const val = linear(v, p['value.weight'], null, TB, H, H); // (T, B, H)
  const r = linear(v, p['receptance.weight'], null, TB, H, H); // (T, B, H)
  const w = p.w_log.map(Math.exp); // (H) decay rates, > 0
  const decay = repeatRows(w.map((e) => Math.exp(-e)), TB); // (T, B, H) e^{−w} at every step
  const e_k = k.map(Math.exp); // (T, B, H)
  const e_k_val = e_k.map((e, i) => e * val[i]); // (T, B, H)
  const [a0, b0] = opts.initialState ?? [null, null]; // (B, H) each
  const a = recurrenceInChunks({ re: decay, im: null }, { re: e_k_val, im: null }, T, n, a0 ? { re: a0, im: null } : null, opts.truncation, opts.scan).re; // (T, B, H)
  const b = recurrenceInChunks({ re: decay, im: null }, { re: e_k, im: null }, T, n, b0 ? { re: b0, im: null } : null, opts.truncation, opts.scan).re; // (T, B, H)
  const E = new Float64Array(TB * H); // (T, B, H) e^{u + k_t}, the current token's weight
  const den = new Float64Array(TB * H); // (T, B, H)
  const wkv = new Float64Array(TB * H); // (T, B, H)
  const c = new Float64Array(TB * H); // (T, B, H)
  for (let t = 0; t < T; t++) {
    const a_prev = previousRow(a, a0, t, n); // (B, H)
    const b_prev = previousRow(b, b0, t, n); // (B, H)
    for (let j = 0; j < n; j++) {
      const i = t * n + j;
      E[i] = Math.exp(p.u[j % H] + k[i]);
      den[i] = b_prev[j] + E[i];
      wkv[i] = (a_prev[j] + E[i] * val[i]) / den[i];
      c[i] = sigmoid(r[i]) * wkv[i];
    }
  }

  return {
    c,
    finalState: [previousRow(a, a0, T, n).slice(), previousRow(b, b0, T, n).slice()], // (B, H) each
    backward(dL_dc, g) {
      const dL_dr = new Float64Array(TB * H); // (T, B, H)
      const dL_dnum = new Float64Array(TB * H); // (T, B, H) ∂L/∂(numerator of wkv_t)
      const dL_dden = new Float64Array(TB * H); // (T, B, H) ∂L/∂(denominator of wkv_t)
      for (let i = 0; i < TB * H; i++) {
        const s = sigmoid(r[i]);
        dL_dr[i] = dL_dc[i] * wkv[i] * s * (1 - s);
        const dL_dwkv = dL_dc[i] * s;
        dL_dnum[i] = dL_dwkv / den[i];
        dL_dden[i] = (-dL_dwkv * wkv[i]) / den[i];
      }
      // a_t and b_t are read by wkv_{t+1} (unless detached there) and by the recurrence.
      const dL_da_out = new Float64Array(TB * H); // (T, B, H)
      const dL_db_out = new Float64Array(TB * H); // (T, B, H)
      for (let t = 0; t + 1 < T; t++) {
        if (isDetachedAt(t + 1, opts.truncation)) continue;
        dL_da_out.set(dL_dnum.subarray((t + 1) * n, (t + 2) * n), t * n);
        dL_db_out.set(dL_dden.subarray((t + 1) * n, (t + 2) * n), t * n);
      }
      const dL_da = adjointRecurrence({ re: decay, im: null }, { re: dL_da_out, im: null }, T, n, opts.truncation, opts.scan).re; // (T, B, H)
      const dL_db = adjointRecurrence({ re: decay, im: null }, { re: dL_db_out, im: null }, T, n, opts.truncation, opts.scan).re; // (T, B, H)
      const dL_dk = new Float64Array(TB * H); // (T, B, H)
      const dL_dval = new Float64Array(TB * H); // (T, B, H)
      const dL_ddecay = new Float64Array(H); // (H)
      for (let t = 0; t < T; t++) {
        const a_prev = previousRow(a, a0, t, n); // (B, H)
        const b_prev = previousRow(b, b0, t, n); // (B, H)
        for (let j = 0; j < n; j++) {
          const i = t * n + j;
          const h = j % H;
          const dL_dE = dL_dnum[i] * val[i] + dL_dden[i]; // E enters num (times val) and den
          dL_dk[i] = dL_dE * E[i] + (dL_da[i] * val[i] + dL_db[i]) * e_k[i]; // through E = e^{u+k} and e^{k} in a_t, b_t
          dL_dval[i] = dL_dnum[i] * E[i] + dL_da[i] * e_k[i];
          g.u[h] += dL_dE * E[i];
          dL_ddecay[h] += dL_da[i] * a_prev[j] + dL_db[i] * b_prev[j];
        }
      }
      // e^{−w}, w = exp(w_log): ∂e^{−w}/∂w_log = −e^{−w} w.
      for (let h = 0; h < H; h++) g.w_log[h] += dL_ddecay[h] * -Math.exp(-w[h]) * w[h];
      const dL_dv = new Float64Array(TB * H); // (T, B, H)
      linearBackward(dL_dk, v, p['key.weight'], g['key.weight'], null, dL_dv, TB, H, H);
      linearBackward(dL_dval, v, p['value.weight'], g['value.weight'], null, dL_dv, TB, H, H);
      linearBackward(dL_dr, v, p['receptance.weight'], g['receptance.weight'], null, dL_dv, TB, H, H);
      return dL_dv;
    },
  };
};
