/**
 * RWKV-4's time mixing, forward and backward, as src/engine/successors/rwkv.ts (and the wasm
 * mixer's assembly/rwkv.ts), in the float32 form of the RWKV-4 CUDA kernel (BlinkDL/RWKV-LM,
 * wkv_cuda.cu): the numerator a_t and denominator b_t are kept as a_t = aa·e^{pp}, b_t = bb·e^{pp}
 * with pp the running maximum exponent, so every exponential taken is of a difference ≤ 0 and
 * never overflows:
 *   wkv_t = (a_{t−1} + e^{u+k_t} val_t) / (b_{t−1} + e^{u+k_t}),  c_t = σ(r_t) wkv_t
 *   a_t = e^{−w} a_{t−1} + e^{k_t} val_t,  b_t = e^{−w} b_{t−1} + e^{k_t},  w = exp(w_log)
 * Backward carries the adjoints of a_t, b_t scaled the same way, Λ_t = ∂L/∂a_t · e^{pp_t}, which
 * obey Λ_{t−1} = ∂L/∂num_t · e^{pp_{t−1}} + e^{pp_{t−1} − w − pp_t} Λ_t (exponent ≤ 0 again), cut
 * where the state entering t is detached (truncation k, 0 for none). One thread per (batch,
 * channel) lane loops over t; ∂L/∂u and ∂L/∂w_log are summed per lane, then over the batch.
 *
 * work (floats): k, val, r (T, B, H each; the backward pass turns them into their gradients in
 * place) | aa, bb, pp (T, B, H each: the state entering step t) | ∂L/∂u, ∂L/∂w per lane (B, H each)
 * | Wᵀ scratch (H, H).
 */
import type { MixerDims } from '../../../engine/successors/mixer';
import type { Ptr } from '../../../train/kernels';
import { grid, MAIN_1D, u32s, type Program } from '../program';
import type { Recorder } from '../recorder';
import { DETACHED_AT, linear, linearBackward } from './linear';
import { zero } from './zero';

export const rwkvWork = (d: MixerDims): number => 6 * d.T * d.B * d.H + 2 * d.B * d.H + d.H * d.H;

function parts(d: MixerDims, work: Ptr) {
  const n = d.B * d.H;
  const TBH = d.T * n;
  return { kb: work, vb: work + TBH, rb: work + 2 * TBH, part: work + 6 * TBH, wT: work + 6 * TBH + 2 * n };
}

/** WGSL: the work parts from u.work and u.n, u.T; the lane's channel h and decay w; one step's scaled weights */
const SHARED = `
  let TBH = u.T * u.n;
  let kb = u.work;
  let vb = kb + TBH;
  let rb = vb + TBH;
  let aa = rb + TBH;
  let bb = aa + TBH;
  let pp = bb + TBH;
  let part = pp + TBH;
  let h = i % u.H;
  let bonus = arena[u.u + h];
  let w = exp(arena[u.w_log + h]);`;

/** wkv_t from the state (a0, b0, p0) entering step t: e_state = e^{pp−p}, e_token = e^{u+k−p}, p = max(pp, u+k);
 *  then the state after t: e_decay = e^{pp−w−pp_t}, e_key = e^{k−pp_t}, pp_t = max(pp − w, k) */
const WEIGH = `
struct Weights { wkv: f32, e_state: f32, e_token: f32, den: f32, e_decay: f32, e_key: f32, pt: f32 }
fn weigh(a0: f32, b0: f32, p0: f32, uk: f32, kk: f32, vv: f32, w: f32) -> Weights {
  var s: Weights;
  let p = max(p0, uk);
  s.e_state = exp(p0 - p);
  s.e_token = exp(uk - p);
  s.den = s.e_state * b0 + s.e_token;
  s.wkv = (s.e_state * a0 + s.e_token * vv) / s.den;
  let q = p0 - w;
  s.pt = max(q, kk);
  s.e_decay = exp(q - s.pt);
  s.e_key = exp(kk - s.pt);
  return s;
}`;

const RWKV_FORWARD: Program = {
  name: 'rwkvForward',
  fields: u32s('n', 'T', 'H', 'w_log', 'u', 'work', 'c'),
  body: `${WEIGH}${MAIN_1D}
  if (i >= u.n) { return; }${SHARED}
  var a0 = 0.0;
  var b0 = 0.0;
  var p0 = -1e38; // the zero state's exponent: e^{p0 − anything finite} is 0
  // Truncation changes no value forward, only where gradients go.
  for (var t = 0u; t < u.T; t++) {
    let o = t * u.n + i;
    arena[aa + o] = a0;
    arena[bb + o] = b0;
    arena[pp + o] = p0;
    let kk = arena[kb + o];
    let vv = arena[vb + o];
    let s = weigh(a0, b0, p0, bonus + kk, kk, vv, w);
    arena[u.c + o] = sigm(arena[rb + o]) * s.wkv;
    // a_t, b_t: the old state decays by e^{−w}, the token enters with e^{k}
    a0 = s.e_decay * a0 + s.e_key * vv;
    b0 = s.e_decay * b0 + s.e_key;
    p0 = s.pt;
  }
}`,
};

const RWKV_BACKWARD: Program = {
  name: 'rwkvBackward',
  fields: u32s('n', 'T', 'H', 'w_log', 'u', 'work', 'dC', 'k'),
  body: `${WEIGH}${DETACHED_AT}${MAIN_1D}
  if (i >= u.n) { return; }${SHARED}
  var la = 0.0; // Λa_t = ∂L/∂a_t · e^{pp_t}
  var lb = 0.0; // Λb_t
  var du = 0.0;
  var dw = 0.0;
  for (var q = 0u; q < u.T; q++) {
    let t = u.T - 1u - q;
    let o = t * u.n + i;
    let a0 = arena[aa + o];
    let b0 = arena[bb + o];
    let kk = arena[kb + o];
    let vv = arena[vb + o];
    // forward again, every weight scaled so that its exponent is ≤ 0
    let s = weigh(a0, b0, arena[pp + o], bonus + kk, kk, vv, w);
    let sg = sigm(arena[rb + o]);
    let dc = arena[u.dC + o];
    arena[rb + o] = dc * s.wkv * sg * (1.0 - sg);
    let dd = dc * sg / s.den;
    let dEE = dd * s.e_token * (vv - s.wkv); // ∂L/∂E · E, E = e^{u+k} in numerator and denominator
    arena[kb + o] = dEE + (la * vv + lb) * s.e_key; // and through e^{k} in a_t, b_t
    arena[vb + o] = dd * s.e_token + la * s.e_key;
    du += dEE;
    dw += w * (la * a0 + lb * b0) * s.e_decay; // ∂(e^{−w})/∂w_log = −e^{−w} w
    // Λ of the state entering t, unless it is detached there
    let back = dd * s.e_state;
    if (detachedAt(t, u.k)) {
      la = 0.0;
      lb = 0.0;
    } else {
      la = back + s.e_decay * la;
      lb = s.e_decay * lb - back * s.wkv;
    }
  }
  arena[part + i] = du;
  arena[part + u.n + i] = dw;
}`,
};

/** per channel h (H threads): ∂L/∂u[h] += Σ_b of the lanes' sums, ∂L/∂w_log[h] −= Σ_b */
const RWKV_DECAY_GRADS: Program = {
  name: 'rwkvDecayGrads',
  fields: u32s('n', 'H', 'part', 'g_u', 'g_w_log'),
  body: `${MAIN_1D}
  if (i >= u.H) { return; }
  var du = 0.0;
  var dw = 0.0;
  for (var j = i; j < u.n; j += u.H) {
    du += arena[u.part + j];
    dw += arena[u.part + u.n + j];
  }
  arena[u.g_u + i] += du;
  arena[u.g_w_log + i] -= dw;
}`,
};

/** tensors: w_log, u, key.weight, value.weight, receptance.weight */
export function rwkvForward(rec: Recorder, d: MixerDims, [w_log, u, Wk, Wv, Wr]: Ptr[], v: Ptr, c: Ptr, work: Ptr): void {
  const { kb, vb, rb, wT } = parts(d, work);
  const TB = d.T * d.B;
  const n = d.B * d.H;
  linear(rec, v, Wk, 0, TB, d.H, d.H, kb, wT);
  linear(rec, v, Wv, 0, TB, d.H, d.H, vb, wT);
  linear(rec, v, Wr, 0, TB, d.H, d.H, rb, wT);
  rec.dispatch(RWKV_FORWARD, [n, d.T, d.H, w_log, u, work, c], grid(n));
}

export function rwkvBackward(rec: Recorder, d: MixerDims, k: number, [w_log, u, Wk, Wv, Wr]: Ptr[], [g_w_log, g_u, gWk, gWv, gWr]: Ptr[], v: Ptr, dC: Ptr, dV: Ptr, work: Ptr): void {
  const { kb, vb, rb, part } = parts(d, work);
  const TB = d.T * d.B;
  const n = d.B * d.H;
  rec.dispatch(RWKV_BACKWARD, [n, d.T, d.H, w_log, u, work, dC, k], grid(n));
  rec.dispatch(RWKV_DECAY_GRADS, [n, d.H, part, g_u, g_w_log], grid(d.H));
  zero(rec, dV, TB * d.H);
  linearBackward(rec, kb, v, Wk, gWk, 0, dV, TB, d.H, d.H);
  linearBackward(rec, vb, v, Wv, gWv, 0, dV, TB, d.H, d.H);
  linearBackward(rec, rb, v, Wr, gWr, 0, dV, TB, d.H, d.H);
}
