/**
 * Attention over the encoder's states (Luong, Pham & Manning 2015, "global attention" with the dot
 * score and the concat combination; the idea is Bahdanau, Cho & Bengio 2015's): at every decoder
 * step t the decoder's top state s_t looks at every encoder top state h_s,
 *   e_{t,s} = s_t · h_s                      (score)
 *   α_{t,s} = exp(e_{t,s}) / Σ_s' exp(e_{t,s'})   (softmax over the source steps s)
 *   c_t     = Σ_s α_{t,s} h_s                (context)
 *   h̃_t     = tanh(W_c [c_t ; s_t] + b_c)    (combined with the decoder state)
 * and the readout reads h̃_t instead of s_t. The decoder's recurrence itself is unchanged, so the
 * decoder still runs all its steps at once under teacher forcing; what it no longer needs is to
 * carry the whole source in one fixed-size state: c_t fetches the part it needs.
 */
import type { Params } from './model';
import type { Rng } from './rng';

/** `attn_combine.weight` (H, 2H) acts on [c_t ; s_t]; `attn_combine.bias` (H). */
export function initAttention(H: number, rng: Rng): Params {
  // torch.nn.Linear's default: uniform in ±1/√fan_in, fan_in = 2H
  const k = 1 / Math.sqrt(2 * H);
  const w = new Float64Array(H * 2 * H); // (H, 2H)
  const b = new Float64Array(H); // (H)
  for (const a of [w, b]) for (let i = 0; i < a.length; i++) a[i] = (2 * rng.uniform() - 1) * k;
  return { 'attn_combine.weight': { shape: [H, 2 * H], data: w }, 'attn_combine.bias': { shape: [H], data: b } };
}

export interface AttentionForward {
  /** (T, B, Tsrc) α_{t,s}: each row sums to 1 */
  alpha: Float64Array;
  /** (T, B, H) c_t */
  context: Float64Array;
  /** (T, B, H) h̃_t, what the readout reads */
  combined: Float64Array;
}

/**
 * @param enc (Tsrc, B, H) the encoder's top states h_s
 * @param dec (T, B, H) the decoder's top states s_t
 */
export function attend(p: Params, enc: Float64Array, dec: Float64Array, B: number, Tsrc: number, T: number, H: number): AttentionForward {
  const W = p['attn_combine.weight'].data; // (H, 2H)
  const bc = p['attn_combine.bias'].data; // (H)
  const alpha = new Float64Array(T * B * Tsrc); // (T, B, Tsrc)
  const context = new Float64Array(T * B * H); // (T, B, H)
  const combined = new Float64Array(T * B * H); // (T, B, H)
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < B; b++) {
      const so = (t * B + b) * H;
      const ao = (t * B + b) * Tsrc;
      // The softmax with its maximum subtracted: no overflow whatever the states hold.
      let max = -Infinity;
      for (let s = 0; s < Tsrc; s++) {
        const ho = (s * B + b) * H;
        let e = 0;
        for (let j = 0; j < H; j++) e += dec[so + j] * enc[ho + j];
        alpha[ao + s] = e;
        if (e > max) max = e;
      }
      let sum = 0;
      for (let s = 0; s < Tsrc; s++) sum += alpha[ao + s] = Math.exp(alpha[ao + s] - max);
      for (let s = 0; s < Tsrc; s++) {
        const a = (alpha[ao + s] /= sum);
        const ho = (s * B + b) * H;
        for (let j = 0; j < H; j++) context[so + j] += a * enc[ho + j];
      }
      for (let i = 0; i < H; i++) {
        let z = bc[i];
        const row = i * 2 * H;
        for (let j = 0; j < H; j++) z += W[row + j] * context[so + j] + W[row + H + j] * dec[so + j];
        combined[so + i] = Math.tanh(z);
      }
    }
  }
  return { alpha, context, combined };
}

/**
 * The backward of `attend`: adds ∂L/∂W_c and ∂L/∂b_c into `grads`, and returns ∂L/∂s_t and ∂L/∂h_s.
 *   ∂z = ∂L/∂h̃ ⊙ (1 − h̃²);  ∂[c ; s] = W_cᵀ ∂z
 *   ∂α_{t,s} = ∂c_t · h_s;   ∂e_{t,s} = α_{t,s} (∂α_{t,s} − Σ_s' α_{t,s'} ∂α_{t,s'})
 *   ∂s_t += Σ_s ∂e_{t,s} h_s;  ∂h_s += Σ_t (α_{t,s} ∂c_t + ∂e_{t,s} s_t)
 * @param dL_dcombined (T, B, H)
 */
export function attendBackward(
  p: Params,
  grads: Params,
  fwd: AttentionForward,
  enc: Float64Array,
  dec: Float64Array,
  dL_dcombined: Float64Array,
  B: number,
  Tsrc: number,
  T: number,
  H: number,
): { dL_ddec: Float64Array; dL_denc: Float64Array } {
  const W = p['attn_combine.weight'].data; // (H, 2H)
  const dW = grads['attn_combine.weight'].data; // (H, 2H)
  const db = grads['attn_combine.bias'].data; // (H)
  const dL_ddec = new Float64Array(T * B * H); // (T, B, H)
  const dL_denc = new Float64Array(Tsrc * B * H); // (Tsrc, B, H)
  const dz = new Float64Array(H); // (H) one step's ∂L/∂z
  const dc = new Float64Array(H); // (H) one step's ∂L/∂c_t
  const dalpha = new Float64Array(Tsrc); // (Tsrc) one step's ∂L/∂α_{t,·}
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < B; b++) {
      const so = (t * B + b) * H;
      const ao = (t * B + b) * Tsrc;
      for (let i = 0; i < H; i++) {
        const h = fwd.combined[so + i];
        dz[i] = dL_dcombined[so + i] * (1 - h * h);
      }
      dc.fill(0);
      for (let i = 0; i < H; i++) {
        const g = dz[i];
        if (g === 0) continue;
        db[i] += g;
        const row = i * 2 * H;
        for (let j = 0; j < H; j++) {
          dW[row + j] += g * fwd.context[so + j];
          dW[row + H + j] += g * dec[so + j];
          dc[j] += g * W[row + j];
          dL_ddec[so + j] += g * W[row + H + j];
        }
      }
      let weighted = 0; // Σ_s α_{t,s} ∂α_{t,s}
      for (let s = 0; s < Tsrc; s++) {
        const ho = (s * B + b) * H;
        const a = fwd.alpha[ao + s];
        let d = 0;
        for (let j = 0; j < H; j++) {
          d += dc[j] * enc[ho + j];
          dL_denc[ho + j] += a * dc[j];
        }
        dalpha[s] = d;
        weighted += a * d;
      }
      for (let s = 0; s < Tsrc; s++) {
        const ho = (s * B + b) * H;
        const de = fwd.alpha[ao + s] * (dalpha[s] - weighted);
        for (let j = 0; j < H; j++) {
          dL_ddec[so + j] += de * enc[ho + j];
          dL_denc[ho + j] += de * dec[so + j];
        }
      }
    }
  }
  return { dL_ddec, dL_denc };
}
