/**
 * Causal multi-head softmax attention (Vaswani et al. 2017) with sinusoidal positions, as
 * nanoGPT's CausalSelfAttention without biases:
 *   p_t = v_t + PE(t),  PE(t)[2i] = sin(t / 10000^{2i/H}),  PE(t)[2i+1] = cos(t / 10000^{2i/H})
 *   q_t, k_t, val_t = q_proj(p_t), k_proj(p_t), v_proj(p_t)                 (H) each
 *   head e (its d = H / heads columns): y_t = Σ_{τ ≤ t} softmax_τ(q_t·k_τ / √d) val_τ
 *   c_t = o_proj([y_t of every head])
 * No state is carried: step t reads every earlier step directly, so there is nothing to truncate
 * (truncation is ignored) and the cost is T² per head.
 */
import { linear, linearBackward, type Mixer } from './mixer';

/** The sinusoidal position code PE(t) (H), t counted from 0. */
export function positionCode(t: number, H: number): Float64Array {
  const pe = new Float64Array(H); // (H)
  for (let j = 0; j < H; j++) {
    const i = Math.floor(j / 2);
    const angle = t / Math.pow(10000, (2 * i) / H);
    pe[j] = j % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
  }
  return pe;
}

/** p_t = v_t + PE(t) for every step and sequence: v (T, B, H) → (T, B, H). */
export function positioned(v: Float64Array, B: number, T: number, H: number): Float64Array {
  const pos = new Float64Array(T * B * H); // (T, B, H)
  for (let t = 0; t < T; t++) {
    const pe = positionCode(t, H);
    for (let b = 0; b < B; b++) for (let j = 0; j < H; j++) pos[(t * B + b) * H + j] = v[(t * B + b) * H + j] + pe[j];
  }
  return pos;
}

/**
 * Each head's weights α[b, e, t, τ] = softmax_{τ ≤ t}(q_t·k_τ/√d), zero above the diagonal, its
 * maximum subtracted so no exponential overflows. q, k (T, B, H) → (B, heads, T, T).
 */
export function causalWeights(q: Float64Array, k: Float64Array, B: number, T: number, H: number, heads: number): Float64Array {
  const d = H / heads;
  const scale = 1 / Math.sqrt(d);
  const alpha = new Float64Array(B * heads * T * T); // (B, heads, T, T)
  for (let b = 0; b < B; b++)
    for (let e = 0; e < heads; e++)
      for (let t = 0; t < T; t++) {
        const at = ((b * heads + e) * T + t) * T; // row t of this head's weights
        let max = -Infinity;
        for (let tau = 0; tau <= t; tau++) {
          let s = 0;
          for (let j = e * d; j < (e + 1) * d; j++) s += q[(t * B + b) * H + j] * k[(tau * B + b) * H + j];
          alpha[at + tau] = s * scale;
          max = Math.max(max, s * scale);
        }
        let sum = 0;
        for (let tau = 0; tau <= t; tau++) sum += alpha[at + tau] = Math.exp(alpha[at + tau] - max);
        for (let tau = 0; tau <= t; tau++) alpha[at + tau] /= sum;
      }
  return alpha;
}

export const attentionMixer: Mixer = (p, v, { B, T, H, heads }) => {
  const TB = T * B;
  const d = H / heads;
  const scale = 1 / Math.sqrt(d);
  const pos = positioned(v, B, T, H); // (T, B, H) p_t = v_t + PE(t)
  const q = linear(pos, p['q_proj.weight'], null, TB, H, H); // (T, B, H)
  const k = linear(pos, p['k_proj.weight'], null, TB, H, H); // (T, B, H)
  const val = linear(pos, p['v_proj.weight'], null, TB, H, H); // (T, B, H)
  const row = (t: number, b: number) => (t * B + b) * H; // offset of step t, sequence b
  const alpha = causalWeights(q, k, B, T, H, heads); // (B, heads, T, T) weights, zero above the diagonal
  const at = (b: number, e: number, t: number, tau: number) => ((b * heads + e) * T + t) * T + tau;
  const y = new Float64Array(TB * H); // (T, B, H) heads side by side: y_t = Σ_τ α val_τ
  for (let b = 0; b < B; b++)
    for (let e = 0; e < heads; e++)
      for (let t = 0; t < T; t++)
        for (let tau = 0; tau <= t; tau++) {
          const w = alpha[at(b, e, t, tau)];
          for (let j = e * d; j < (e + 1) * d; j++) y[row(t, b) + j] += w * val[row(tau, b) + j];
        }
  const c = linear(y, p['o_proj.weight'], null, TB, H, H); // (T, B, H)

  return {
    c,
    finalState: [],
    backward(dL_dc, g) {
      const dL_dy = new Float64Array(TB * H); // (T, B, H)
      linearBackward(dL_dc, y, p['o_proj.weight'], g['o_proj.weight'], null, dL_dy, TB, H, H);
      const dL_dq = new Float64Array(TB * H); // (T, B, H)
      const dL_dk = new Float64Array(TB * H); // (T, B, H)
      const dL_dval = new Float64Array(TB * H); // (T, B, H)
      const dL_dalpha = new Float64Array(T); // (T) one row of the weights' gradient
      for (let b = 0; b < B; b++)
        for (let e = 0; e < heads; e++) {
          const h0 = e * d;
          for (let t = 0; t < T; t++) {
            let weighted = 0; // Σ_τ α_τ ∂L/∂α_τ
            for (let tau = 0; tau <= t; tau++) {
              const w = alpha[at(b, e, t, tau)];
              let s = 0;
              for (let j = h0; j < h0 + d; j++) {
                s += dL_dy[row(t, b) + j] * val[row(tau, b) + j];
                dL_dval[row(tau, b) + j] += w * dL_dy[row(t, b) + j];
              }
              dL_dalpha[tau] = s;
              weighted += w * s;
            }
            for (let tau = 0; tau <= t; tau++) {
              // softmax backward: ∂L/∂score_τ = α_τ (∂L/∂α_τ − Σ α ∂L/∂α), then the 1/√d
              const dL_dscore = alpha[at(b, e, t, tau)] * (dL_dalpha[tau] - weighted) * scale;
              for (let j = h0; j < h0 + d; j++) {
                dL_dq[row(t, b) + j] += dL_dscore * k[row(tau, b) + j];
                dL_dk[row(tau, b) + j] += dL_dscore * q[row(t, b) + j];
              }
            }
          }
        }
      // p_t = v_t + PE(t): the position code is a constant, so ∂L/∂v_t = ∂L/∂p_t.
      const dL_dv = new Float64Array(TB * H); // (T, B, H)
      linearBackward(dL_dq, pos, p['q_proj.weight'], g['q_proj.weight'], null, dL_dv, TB, H, H);
      linearBackward(dL_dk, pos, p['k_proj.weight'], g['k_proj.weight'], null, dL_dv, TB, H, H);
      linearBackward(dL_dval, pos, p['v_proj.weight'], g['v_proj.weight'], null, dL_dv, TB, H, H);
      return dL_dv;
    },
  };
};
