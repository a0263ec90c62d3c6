/**
 * RWKV-4's time mixing, forward and backward, as src/engine/successors/rwkv.ts, in the float32
 * form of the RWKV-4 CUDA kernel (BlinkDL/RWKV-LM, wkv_cuda.cu): the numerator a_t and denominator
 * b_t are kept as a_t = aa·e^{pp}, b_t = bb·e^{pp} with pp the running maximum exponent, so every
 * exponential taken is of a difference ≤ 0 and never overflows:
 *   wkv_t = (a_{t−1} + e^{u+k_t} val_t) / (b_{t−1} + e^{u+k_t}),  c_t = σ(r_t) wkv_t
 *   a_t = e^{−w} a_{t−1} + e^{k_t} val_t,  b_t = e^{−w} b_{t−1} + e^{k_t},  w = exp(w_log)
 * Backward carries the adjoints of a_t, b_t scaled the same way, Λ_t = ∂L/∂a_t · e^{pp_t}, which
 * obey Λ_{t−1} = ∂L/∂num_t · e^{pp_{t−1}} + e^{pp_{t−1} − w − pp_t} Λ_t (exponent ≤ 0 again), cut
 * where the state entering t is detached (truncation k, 0 for none). Channels go four at a time
 * (f32x4, vexp), the H mod 4 tail on one lane of the same code.
 *
 * work (floats): k, val, r (T, B, H each; the backward pass turns them into their gradients in
 * place) | aa, bb, pp (T, B, H each: the state entering step t) | Λa, Λb (B, H each) | Wᵀ (H, H),
 * whose first H floats hold w = exp(w_log) while the sequence runs.
 */
import { detachedAt, linear, linearBackward, past, zero } from './linear';
import { ld, st, vexp, vone, vsigmoid } from './vmath';

/** the exponent of the zero state: e^{NEG − anything finite} is 0 (vexp: about 1e−38, times aa = bb = 0) */
const NEG: f32 = -1e38;

export function rwkv_work(B: f64, T: f64, H: f64, N: f64, heads: f64): f64 {
  return 6 * T * B * H + 2 * B * H + H * H;
}

// One step's scaled weights, set by `weigh` and `advance` (forward and backward share them).
/** e^{pp−p} and e^{u+k−p}: the old state's and the current token's weight in wkv_t, p = max(pp, u+k) */
let e_state: v128 = f32x4.splat(0);
let e_token: v128 = f32x4.splat(0);
/** wkv_t's denominator scaled by e^{−p} */
let den: v128 = f32x4.splat(0);
/** e^{pp−w−pp_t} and e^{k−pp_t}: the old state's and the token's weight in the state after step t */
let e_decay: v128 = f32x4.splat(0);
let e_key: v128 = f32x4.splat(0);

/** wkv_t from the state (aa, bb, pp) entering step t, u + k_t and val_t; sets e_state, e_token, den */
// @ts-ignore: decorator
@inline function weigh(a0: v128, b0: v128, p0: v128, uk: v128, vv: v128): v128 {
  const p = f32x4.max(p0, uk);
  e_state = vexp(f32x4.sub(p0, p));
  e_token = vexp(f32x4.sub(uk, p));
  den = f32x4.add(f32x4.mul(e_state, b0), e_token);
  return f32x4.div(f32x4.add(f32x4.mul(e_state, a0), f32x4.mul(e_token, vv)), den);
}

/** pp_t = max(pp − w, k_t), the exponent of the state after step t; sets e_decay, e_key */
// @ts-ignore: decorator
@inline function advance(p0: v128, w: v128, kk: v128): v128 {
  const q = f32x4.sub(p0, w);
  const pt = f32x4.max(q, kk);
  e_decay = vexp(f32x4.sub(q, pt));
  e_key = vexp(f32x4.sub(kk, pt));
  return pt;
}

/** step t of channels at byte offset o (four, or one when `tail`); `next`: bytes to step t+1, 0 at the last step */
// @ts-ignore: decorator
@inline function stepFwd(o: usize, next: usize, h: usize, kb: usize, vb: usize, rb: usize, aa: usize, bb: usize, pp: usize, u: usize, w: usize, c: usize, tail: bool): void {
  const kk = ld(kb + o, tail);
  const vv = ld(vb + o, tail);
  st(c + o, f32x4.mul(vsigmoid(ld(rb + o, tail)), weigh(ld(aa + o, tail), ld(bb + o, tail), ld(pp + o, tail), f32x4.add(ld(u + h, tail), kk), vv)), tail);
  if (!next) return;
  // a_t, b_t: the old state decays by e^{−w}, the token enters with e^{k}
  st(pp + o + next, advance(ld(pp + o, tail), ld(w + h, tail), kk), tail);
  st(aa + o + next, f32x4.add(f32x4.mul(e_decay, ld(aa + o, tail)), f32x4.mul(e_key, vv)), tail);
  st(bb + o + next, f32x4.add(f32x4.mul(e_decay, ld(bb + o, tail)), e_key), tail);
}

/** w (H) ← exp(w_log) */
function decayRates(w: usize, w_log: usize, H: i32): void {
  let h = 0;
  for (; h + 4 <= H; h += 4) st(past(w, h), vexp(ld(past(w_log, h), false)), false);
  for (; h < H; h++) st(past(w, h), vexp(ld(past(w_log, h), true)), true);
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
  const w = wT; // (H)
  decayRates(w, w_log, H);
  zero(aa, n);
  zero(bb, n);
  for (let j = 0; j < n; j++) store<f32>(past(pp, j), NEG);
  // Truncation changes no value forward, only where gradients go.
  for (let t = 0; t < T; t++) {
    const next: usize = t + 1 < T ? (<usize>n) << 2 : 0;
    for (let b = 0; b < B; b++) {
      const row = (<usize>((t * B + b) * H)) << 2;
      let h = 0;
      for (; h + 4 <= H; h += 4) stepFwd(row + ((<usize>h) << 2), next, (<usize>h) << 2, kb, vb, rb, aa, bb, pp, u, w, c, false);
      for (; h < H; h++) stepFwd(row + ((<usize>h) << 2), next, (<usize>h) << 2, kb, vb, rb, aa, bb, pp, u, w, c, true);
    }
  }
}

/** step t of channels at byte offset o backward; j: their offset in the (B, H) carries; `cut`: the state entering t is detached */
// @ts-ignore: decorator
@inline function stepBwd(
  o: usize, j: usize, h: usize, kb: usize, vb: usize, rb: usize, aa: usize, bb: usize, pp: usize, u: usize, w: usize,
  La: usize, Lb: usize, g_u: usize, g_w_log: usize, dC: usize, cut: bool, tail: bool,
): void {
  const a0 = ld(aa + o, tail);
  const b0 = ld(bb + o, tail);
  const p0 = ld(pp + o, tail);
  const kk = ld(kb + o, tail);
  const vv = ld(vb + o, tail);
  const wh = ld(w + h, tail);
  const la = ld(La + j, tail);
  const lb = ld(Lb + j, tail);
  // forward again, every weight scaled so that its exponent is ≤ 0
  const wkv = weigh(a0, b0, p0, f32x4.add(ld(u + h, tail), kk), vv);
  advance(p0, wh, kk);
  const s = vsigmoid(ld(rb + o, tail));
  const dc = ld(dC + o, tail);
  const dwkv = f32x4.mul(dc, s);
  st(rb + o, f32x4.mul(f32x4.mul(dc, wkv), f32x4.mul(s, f32x4.sub(vone(), s))), tail);
  const dwkv_den = f32x4.div(dwkv, den);
  const dEE = f32x4.mul(f32x4.mul(dwkv_den, e_token), f32x4.sub(vv, wkv)); // ∂L/∂E · E, E = e^{u+k} in numerator and denominator
  st(kb + o, f32x4.add(dEE, f32x4.mul(f32x4.add(f32x4.mul(la, vv), lb), e_key)), tail); // and through e^{k} in a_t, b_t
  st(vb + o, f32x4.add(f32x4.mul(dwkv_den, e_token), f32x4.mul(la, e_key)), tail);
  st(g_u + h, f32x4.add(ld(g_u + h, tail), dEE), tail);
  // ∂(e^{−w})/∂w_log = −e^{−w} w
  const dw = f32x4.mul(f32x4.mul(wh, f32x4.add(f32x4.mul(la, a0), f32x4.mul(lb, b0))), e_decay);
  st(g_w_log + h, f32x4.sub(ld(g_w_log + h, tail), dw), tail);
  // Λ of the state entering t, unless it is detached there
  const zero4 = f32x4.splat(0);
  const back = f32x4.mul(dwkv_den, e_state);
  st(La + j, cut ? zero4 : f32x4.add(back, f32x4.mul(e_decay, la)), tail);
  st(Lb + j, cut ? zero4 : f32x4.sub(f32x4.mul(e_decay, lb), f32x4.mul(back, wkv)), tail);
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
  const w = past(Lb, n); // (H) in the Wᵀ scratch
  decayRates(w, w_log, H);
  zero(La, 2 * n);
  for (let t = T - 1; t >= 0; t--) {
    const cut = detachedAt(t, k);
    for (let b = 0; b < B; b++) {
      const j0 = (<usize>(b * H)) << 2;
      const row = (<usize>(t * n)) << 2;
      let h = 0;
      for (; h + 4 <= H; h += 4) {
        const hb = (<usize>h) << 2;
        stepBwd(row + j0 + hb, j0 + hb, hb, kb, vb, rb, aa, bb, pp, u, w, La, Lb, g_u, g_w_log, dC, cut, false);
      }
      for (; h < H; h++) {
        const hb = (<usize>h) << 2;
        stepBwd(row + j0 + hb, j0 + hb, hb, kb, vb, rb, aa, bb, pp, u, w, La, Lb, g_u, g_w_log, dC, cut, true);
      }
    }
  }
  zero(dV, TBH);
  linearBackward(kb, v, Wk, gWk, 0, dV, T * B, H, H);
  linearBackward(vb, v, Wv, gWv, 0, dV, T * B, H, H);
  linearBackward(rb, v, Wr, gWr, 0, dV, T * B, H, H);
}
