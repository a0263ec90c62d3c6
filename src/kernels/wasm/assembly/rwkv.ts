/**
 * RWKV-4's time mixing, forward and backward, as src/engine/successors/rwkv.ts, in the float32
 * form of the RWKV-4 CUDA kernel (BlinkDL/RWKV-LM, wkv_cuda.cu): the numerator a_t and denominator
 * b_t are kept as a_t = aa·e^{pp}, b_t = bb·e^{pp} with pp the running maximum exponent, so every
 * exponential taken is of a difference ≤ 0 and never overflows:
 *   wkv_t = (a_{t−1} + e^{u+k_t} val_t) / (b_{t−1} + e^{u+k_t}),  c_t = σ(r_t) wkv_t
 *   a_t = e^{−w} a_{t−1} + e^{k_t} val_t,  b_t = e^{−w} b_{t−1} + e^{k_t},  w = exp(w_log)
 * Backward carries the adjoints of a_t, b_t scaled the same way, Λ_t = ∂L/∂a_t · e^{pp_t}, which
 * obey Λ_{t−1} = ∂L/∂num_t · e^{pp_{t−1}} + e^{pp_{t−1} − w − pp_t} Λ_t (exponent ≤ 0 again), cut
 * where the state entering t is detached (truncation k, 0 for none).
 *
 * work (floats): k, val, r (T, B, H each; the backward pass turns them into their gradients in
 * place) | aa, bb, pp (T, B, H each: the state entering step t) | Λa, Λb (B, H each) | Wᵀ (H, H).
 */
import { add, at, detachedAt, linear, linearBackward, past, put, zero } from './linear';

/** the exponent of the zero state: e^{NEG − anything finite} is 0 */
const NEG: f32 = -1e38;

export function rwkv_work(B: i32, T: i32, H: i32, N: i32, heads: i32): i32 {
  return 6 * T * B * H + 2 * B * H + H * H;
}

// @ts-ignore: decorator
@inline function sigmoid(x: f32): f32 {
  return 1 / (1 + Mathf.exp(-x));
}

// One step's scaled weights, set by `weigh` and `advance` (forward and backward share them).
/** e^{pp−p} and e^{u+k−p}: the old state's and the current token's weight in wkv_t, p = max(pp, u+k) */
let e_state: f32 = 0;
let e_token: f32 = 0;
/** wkv_t's denominator scaled by e^{−p} */
let den: f32 = 0;
/** e^{pp−w−pp_t} and e^{k−pp_t}: the old state's and the token's weight in the state after step t */
let e_decay: f32 = 0;
let e_key: f32 = 0;

/** wkv_t from the state (aa, bb, pp) entering step t, u + k_t and val_t; sets e_state, e_token, den */
// @ts-ignore: decorator
@inline function weigh(a0: f32, b0: f32, p0: f32, uk: f32, vv: f32): f32 {
  const p = max(p0, uk);
  e_state = Mathf.exp(p0 - p);
  e_token = Mathf.exp(uk - p);
  den = e_state * b0 + e_token;
  return (e_state * a0 + e_token * vv) / den;
}

/** pp_t = max(pp − w, k_t), the exponent of the state after step t; sets e_decay, e_key */
// @ts-ignore: decorator
@inline function advance(p0: f32, w: f32, kk: f32): f32 {
  const q = p0 - w;
  const pt = max(q, kk);
  e_decay = Mathf.exp(q - pt);
  e_key = Mathf.exp(kk - pt);
  return pt;
}

export function rwkv_fwd(B: i32, T: i32, H: i32, N: i32, heads: i32, w_log: usize, u: usize, Wk: usize, Wv: usize, Wr: usize, v: usize, c: usize, work: usize): void {
  const n = B * H;
  const TBH = T * n;
  const kb = work; // (T, B, H)
  const vb = past(kb, TBH); // (T, B, H)
  const rb = past(vb, TBH); // (T, B, H)
  const aa = past(rb, TBH); // (T, B, H)
  const bb = past(aa, TBH); // (T, B, H)
  const pp = past(bb, TBH); // (T, B, H)
  const wT = past(pp, TBH + 2 * n); // (H, H)
  linear(v, Wk, 0, T * B, H, H, kb, wT);
  linear(v, Wv, 0, T * B, H, H, vb, wT);
  linear(v, Wr, 0, T * B, H, H, rb, wT);
  for (let j = 0; j < n; j++) {
    put(aa, j, 0);
    put(bb, j, 0);
    put(pp, j, NEG);
  }
  // Truncation changes no value forward, only where gradients go.
  for (let t = 0; t < T; t++) {
    for (let j = 0; j < n; j++) {
      const h = j % H;
      const i = t * n + j;
      const kk = at(kb, i);
      const vv = at(vb, i);
      put(c, i, sigmoid(at(rb, i)) * weigh(at(aa, i), at(bb, i), at(pp, i), at(u, h) + kk, vv));
      if (t + 1 == T) continue;
      // a_t, b_t: the old state decays by e^{−w}, the token enters with e^{k}
      put(pp, i + n, advance(at(pp, i), Mathf.exp(at(w_log, h)), kk));
      put(aa, i + n, e_decay * at(aa, i) + e_key * vv);
      put(bb, i + n, e_decay * at(bb, i) + e_key);
    }
  }
}

export function rwkv_bwd(
  B: i32, T: i32, H: i32, N: i32, heads: i32, k: i32, w_log: usize, u: usize, Wk: usize, Wv: usize, Wr: usize,
  g_w_log: usize, g_u: usize, gWk: usize, gWv: usize, gWr: usize, v: usize, dC: usize, dV: usize, work: usize,
): void {
  const n = B * H;
  const TBH = T * n;
  const kb = work; // → ∂L/∂k
  const vb = past(kb, TBH); // → ∂L/∂val
  const rb = past(vb, TBH); // → ∂L/∂r
  const aa = past(rb, TBH);
  const bb = past(aa, TBH);
  const pp = past(bb, TBH);
  const La = past(pp, TBH); // (B, H) Λa_t = ∂L/∂a_t · e^{pp_t}
  const Lb = past(La, n); // (B, H) Λb_t
  zero(La, 2 * n);
  for (let t = T - 1; t >= 0; t--) {
    const cut = detachedAt(t, k);
    for (let j = 0; j < n; j++) {
      const h = j % H;
      const i = t * n + j;
      const a0 = at(aa, i);
      const b0 = at(bb, i);
      const p0 = at(pp, i);
      const kk = at(kb, i);
      const vv = at(vb, i);
      const w = Mathf.exp(at(w_log, h));
      const la = at(La, j);
      const lb = at(Lb, j);
      // forward again, every weight scaled so that its exponent is ≤ 0
      const wkv = weigh(a0, b0, p0, at(u, h) + kk, vv);
      advance(p0, w, kk);
      const s = sigmoid(at(rb, i));
      const dc = at(dC, i);
      const dwkv = dc * s;
      put(rb, i, dc * wkv * s * (1 - s));
      const dEE = (dwkv * e_token * (vv - wkv)) / den; // ∂L/∂E · E, E = e^{u+k} in numerator and denominator
      put(kb, i, dEE + (la * vv + lb) * e_key); // and through e^{k} in a_t, b_t
      put(vb, i, (dwkv * e_token) / den + la * e_key);
      add(g_u, h, dEE);
      add(g_w_log, h, -w * (la * a0 + lb * b0) * e_decay); // ∂(e^{−w})/∂w_log = −e^{−w} w
      // Λ of the state entering t, unless it is detached there
      put(La, j, cut ? 0 : (dwkv * e_state) / den + e_decay * la);
      put(Lb, j, cut ? 0 : (-dwkv * wkv * e_state) / den + e_decay * lb);
    }
  }
  zero(dV, TBH);
  linearBackward(kb, v, Wk, gWk, 0, dV, T * B, H, H);
  linearBackward(vb, v, Wv, gWv, 0, dV, T * B, H, H);
  linearBackward(rb, v, Wr, gWr, 0, dV, T * B, H, H);
}
