/**
 * Causal multi-head softmax attention with sinusoidal positions, forward and backward, as
 * src/engine/successors/attention.ts (nanoGPT's CausalSelfAttention without biases):
 *   p_t = v_t + PE(t),  PE(t)[2i] = sin(t / 10000^{2i/H}),  PE(t)[2i+1] = cos(t / 10000^{2i/H})
 *   q, k, val = q_proj(p), k_proj(p), v_proj(p);  head e (d = H / heads columns):
 *   y_t = Σ_{τ ≤ t} softmax_τ(q_t·k_τ / √d) val_τ,  its maximum subtracted;  c_t = o_proj(y_t)
 * No state: nothing to truncate. Cost T² per head and sequence.
 *
 * work (floats): p, q, k, val, y, ∂L/∂y, ∂L/∂q, ∂L/∂k, ∂L/∂val (T, B, H each) |
 * α (B, heads, T, T), zero above the diagonal | one row of ∂L/∂α (T) | Wᵀ scratch (H, H).
 */
import { at, linear, linearBackward, past, put, zero } from './linear';
import { hsum, ld, st, vexp } from './vmath';

/** Σ_j x[j] y[j] over d floats (f32x4, then the tail) */
// @ts-ignore: decorator
@inline function dot(x: usize, y: usize, d: i32): f32 {
  let acc = f32x4.splat(0);
  let j = 0;
  for (; j + 4 <= d; j += 4) acc = f32x4.add(acc, f32x4.mul(v128.load(past(x, j)), v128.load(past(y, j))));
  let s = hsum(acc);
  for (; j < d; j++) s += at(x, j) * at(y, j);
  return s;
}

/** x[τ] ← e^{x[τ] − m} over n floats; returns their sum */
// @ts-ignore: decorator
@inline function expShifted(x: usize, n: i32, m: f32): f32 {
  const vm = f32x4.splat(m);
  let acc = f32x4.splat(0);
  let s: f32 = 0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const e = vexp(f32x4.sub(ld(past(x, i), false), vm));
    st(past(x, i), e, false);
    acc = f32x4.add(acc, e);
  }
  for (; i < n; i++) {
    const e = vexp(f32x4.sub(ld(past(x, i), true), vm));
    st(past(x, i), e, true);
    s += f32x4.extract_lane(e, 0);
  }
  return s + hsum(acc);
}

/** y[j] += a x[j] over d floats */
// @ts-ignore: decorator
@inline function axpy(y: usize, a: f32, x: usize, d: i32): void {
  const va = f32x4.splat(a);
  let j = 0;
  for (; j + 4 <= d; j += 4) {
    const p = past(y, j);
    v128.store(p, f32x4.add(v128.load(p), f32x4.mul(va, v128.load(past(x, j)))));
  }
  for (; j < d; j++) put(y, j, at(y, j) + a * at(x, j));
}

export function attention_work(B: f64, T: f64, H: f64, N: f64, heads: f64): f64 {
  return 9 * T * B * H + B * heads * T * T + T + H * H;
}

/** Row r = (b·heads + e)·T + t of α: where its query q_t of head e in sequence b starts in a (T, B, H) buffer. */
// @ts-ignore: decorator
@inline function queryAt(r: i32, B: i32, T: i32, H: i32, heads: i32): i32 {
  const t = r % T;
  const e = (r / T) % heads;
  const b = r / (T * heads);
  return (t * B + b) * H + e * (H / heads);
}

export function attention_fwd(B: i32, T: i32, H: i32, N: i32, heads: i32, Wq: usize, Wk: usize, Wv: usize, Wo: usize, v: usize, c: usize, work: usize): void {
  const TBH = T * B * H;
  const d = H / heads;
  const scale = <f32>(1 / Math.sqrt(<f64>d));
  const pos = work; // (T, B, H)
  const q = past(pos, TBH);
  const kb = past(q, TBH);
  const val = past(kb, TBH);
  const y = past(val, TBH);
  const alpha = past(y, 4 * TBH + TBH); // after ∂L/∂y … ∂L/∂val
  const wT = past(alpha, B * heads * T * T + T);
  for (let t = 0; t < T; t++)
    for (let j = 0; j < H; j++) {
      const angle = <f64>t / Math.pow(10000, <f64>(2 * (j >> 1)) / <f64>H);
      const pe = <f32>((j & 1) == 0 ? Math.sin(angle) : Math.cos(angle));
      for (let b = 0; b < B; b++) {
        const i = (t * B + b) * H + j;
        put(pos, i, at(v, i) + pe);
      }
    }
  linear(pos, Wq, 0, T * B, H, H, q, wT);
  linear(pos, Wk, 0, T * B, H, H, kb, wT);
  linear(pos, Wv, 0, T * B, H, H, val, wT);
  zero(alpha, B * heads * T * T);
  zero(y, TBH);
  const step = B * H; // from step τ to τ + 1 in a (T, B, H) buffer
  for (let r = 0; r < B * heads * T; r++) {
    const t = r % T;
    const qt = queryAt(r, B, T, H, heads); // and step τ's key and value at qt + (τ − t)·step
    const arow = r * T;
    // softmax over τ ≤ t of q_t·k_τ/√d, its maximum subtracted so no exponential overflows
    let mx: f32 = -Infinity;
    for (let tau = 0; tau <= t; tau++) {
      const kt = qt + (tau - t) * step;
      const s = dot(past(q, qt), past(kb, kt), d) * scale;
      put(alpha, arow + tau, s);
      mx = max(mx, s);
    }
    const sum = expShifted(past(alpha, arow), t + 1, mx);
    for (let tau = 0; tau <= t; tau++) {
      const w = at(alpha, arow + tau) / sum;
      put(alpha, arow + tau, w);
      const vt = qt + (tau - t) * step;
      axpy(past(y, qt), w, past(val, vt), d);
    }
  }
  linear(y, Wo, 0, T * B, H, H, c, wT);
}

export function attention_bwd(
  B: i32, T: i32, H: i32, N: i32, heads: i32, k: i32, Wq: usize, Wk: usize, Wv: usize, Wo: usize,
  gWq: usize, gWk: usize, gWv: usize, gWo: usize, v: usize, dC: usize, dV: usize, work: usize,
): void {
  const TBH = T * B * H;
  const d = H / heads;
  const scale = <f32>(1 / Math.sqrt(<f64>d));
  const pos = work;
  const q = past(pos, TBH);
  const kb = past(q, TBH);
  const val = past(kb, TBH);
  const y = past(val, TBH);
  const dy = past(y, TBH); // (T, B, H)
  const dq = past(dy, TBH); // (T, B, H)
  const dk = past(dq, TBH); // (T, B, H)
  const dval = past(dk, TBH); // (T, B, H)
  const alpha = past(dval, TBH);
  const dalpha = past(alpha, B * heads * T * T); // (T)
  zero(dy, 4 * TBH);
  linearBackward(dC, y, Wo, gWo, 0, dy, T * B, H, H);
  const step = B * H;
  for (let r = 0; r < B * heads * T; r++) {
    const t = r % T;
    const qt = queryAt(r, B, T, H, heads);
    let weighted: f32 = 0; // Σ_τ α_τ ∂L/∂α_τ
    for (let tau = 0; tau <= t; tau++) {
      const w = at(alpha, r * T + tau);
      const vt = qt + (tau - t) * step;
      const s = dot(past(dy, qt), past(val, vt), d);
      axpy(past(dval, vt), w, past(dy, qt), d);
      put(dalpha, tau, s);
      weighted += w * s;
    }
    for (let tau = 0; tau <= t; tau++) {
      // softmax backward: ∂L/∂score_τ = α_τ (∂L/∂α_τ − Σ α ∂L/∂α), then the 1/√d
      const dscore = at(alpha, r * T + tau) * (at(dalpha, tau) - weighted) * scale;
      const kt = qt + (tau - t) * step;
      axpy(past(dq, qt), dscore, past(kb, kt), d);
      axpy(past(dk, kt), dscore, past(q, qt), d);
    }
  }
  // p_t = v_t + PE(t): the position code is a constant, so ∂L/∂v_t = ∂L/∂p_t.
  zero(dV, TBH);
  linearBackward(dq, pos, Wq, gWq, 0, dV, T * B, H, H);
  linearBackward(dk, pos, Wk, gWk, 0, dV, T * B, H, H);
  linearBackward(dval, pos, Wv, gWv, 0, dV, T * B, H, H);
}
