/**
 * Mamba's selective state space (S6, Gu & Dao 2023), forward and backward, as
 * src/engine/successors/mamba.ts (mamba_ssm's selective_scan_ref):
 *   Δ_t = softplus(dt_proj(v_t)) (H),  B_t = B_proj(v_t), C_t = C_proj(v_t) (N),  A = −exp(A_log) (H, N)
 *   x_t[h,n] = exp(Δ_t[h] A[h,n]) x_{t−1}[h,n] + Δ_t[h] B_t[n] v_t[h],  x_{−1} = 0
 *   c_t[h] = Σ_n C_t[n] x_t[h,n] + D[h] v_t[h]
 * Backward walks down in time once, carrying exp(Δ_{t+1} A) λ_{t+1} per state (zero across a
 * detached state, truncation k, 0 for none), and adds every step's share as it goes.
 *
 * The loops over the N states of a channel go four at a time (SIMD, exp included), the N mod 4
 * tail on one lane of the same code; a tail lane's share of a sum is taken from lane 0 alone.
 *
 * work (floats): A (H, N) | z = dt_proj(v), Δ (T, B, H each) | B_t, C_t (T, B, N each) |
 * x (T, B, H, N) | carry (B, H, N) | ∂L/∂B_t, ∂L/∂C_t (T, B, N each) | ∂L/∂Δ (T, B, H) |
 * Wᵀ scratch (H, max(H, N)).
 */
import { add, at, detachedAt, linear, linearBackward, past, put, zero } from './linear';
import { hsum, ld, st, vexp } from './vmath';

export function mamba_work(B: f64, T: f64, H: f64, N: f64, heads: f64): f64 {
  const TB = T * B;
  return H * N + 3 * TB * H + 4 * TB * N + TB * H * N + B * H * N + H * max(H, N);
}

/** what a vector adds to a sum: every lane, or (tail) lane 0 only */
// @ts-ignore: decorator
@inline function share(v: v128, tail: bool): f32 {
  return tail ? f32x4.extract_lane(v, 0) : hsum(v);
}

/** x_t[h, k … k+3] and their part of Σ_n C_t[n] x_t[h, n]; `first` for t = 0 (x_{−1} = 0) */
// @ts-ignore: decorator
@inline function stateFwd(xi: usize, xp: usize, Ak: usize, Bk: usize, Ck: usize, d: f32, dv: f32, first: bool, tail: bool): f32 {
  const a = vexp(f32x4.mul(f32x4.splat(d), ld(Ak, tail))); // exp(Δ A)
  const prev = first ? f32x4.splat(0) : ld(xp, tail);
  const x = f32x4.add(f32x4.mul(a, prev), f32x4.mul(f32x4.splat(dv), ld(Bk, tail))); // + Δ B v
  st(xi, x, tail);
  return share(f32x4.mul(ld(Ck, tail), x), tail);
}

export function mamba_fwd(
  B: i32, T: i32, H: i32, N: i32, heads: i32, A_log: usize, D: usize, Wdt: usize, bdt: usize, WB: usize, WC: usize,
  v: usize, c: usize, work: usize,
): void {
  const TB = T * B;
  const A = work; // (H, N)
  const z = past(A, H * N); // (T, B, H)
  const delta = past(z, TB * H); // (T, B, H)
  const Bt = past(delta, TB * H); // (T, B, N)
  const Ct = past(Bt, TB * N); // (T, B, N)
  const x = past(Ct, TB * N); // (T, B, H, N)
  const wT = past(x, TB * H * N + B * H * N + 2 * TB * N + TB * H);
  const nx = B * H * N; // states per step
  for (let i = 0; i < H * N; i++) put(A, i, -Mathf.exp(at(A_log, i)));
  linear(v, Wdt, bdt, TB, H, H, z, wT);
  for (let i = 0; i < TB * H; i++) {
    const zi = at(z, i);
    put(delta, i, max(zi, 0) + Mathf.log1p(Mathf.exp(-Mathf.abs(zi)))); // softplus, e^z never overflows
  }
  linear(v, WB, 0, TB, N, H, Bt, wT);
  linear(v, WC, 0, TB, N, H, Ct, wT);
  // Truncation changes no value forward, only where gradients go.
  for (let t = 0; t < T; t++)
    for (let b = 0; b < B; b++) {
      const row = t * B + b;
      for (let h = 0; h < H; h++) {
        const d = at(delta, row * H + h);
        const vh = at(v, row * H + h);
        let s: f32 = at(D, h) * vh;
        const xi = past(x, (row * H + h) * N);
        const xp = past(xi, -nx);
        const Ah = past(A, h * N);
        const Br = past(Bt, row * N);
        const Cr = past(Ct, row * N);
        let k = 0;
        if (t == 0) {
          for (; k + 4 <= N; k += 4) s += stateFwd(past(xi, k), 0, past(Ah, k), past(Br, k), past(Cr, k), d, d * vh, true, false);
          for (; k < N; k++) s += stateFwd(past(xi, k), 0, past(Ah, k), past(Br, k), past(Cr, k), d, d * vh, true, true);
        } else {
          for (; k + 4 <= N; k += 4) s += stateFwd(past(xi, k), past(xp, k), past(Ah, k), past(Br, k), past(Cr, k), d, d * vh, false, false);
          for (; k < N; k++) s += stateFwd(past(xi, k), past(xp, k), past(Ah, k), past(Br, k), past(Cr, k), d, d * vh, false, true);
        }
        put(c, row * H + h, s);
      }
    }
}

// A channel's sums over its states in the backward pass, added to by `stateBwd`.
/** ∂L/∂Δ_t[h] */
let sumDelta: f32 = 0;
/** ∂L/∂v_t[h] through b = Δ B v */
let sumV: f32 = 0;

/**
 * States k … k+3 of a channel at step t, backward: λ = ∂L/∂x_t (through c_t and the carry from
 * t+1), its shares of ∂L/∂C_t, ∂L/∂B_t, ∂L/∂A_log (added in place), of ∂L/∂Δ and ∂L/∂v (sumDelta,
 * sumV), and the carry exp(Δ_t A) λ for step t−1 (0 when `cut`).
 */
// @ts-ignore: decorator
@inline function stateBwd(
  xi: usize, xp: usize, Ak: usize, Bk: usize, Ck: usize, carry: usize, dB: usize, dCt: usize, gA: usize,
  dc: f32, d: f32, vh: f32, first: bool, cut: bool, tail: bool,
): void {
  const A = ld(Ak, tail);
  const Bv = ld(Bk, tail);
  const a = vexp(f32x4.mul(f32x4.splat(d), A));
  st(dCt, f32x4.add(ld(dCt, tail), f32x4.mul(f32x4.splat(dc), ld(xi, tail))), tail);
  const lam = f32x4.add(f32x4.mul(f32x4.splat(dc), ld(Ck, tail)), ld(carry, tail)); // ∂L/∂x_t, every later step included
  const prev = first ? f32x4.splat(0) : ld(xp, tail);
  const dDeltaA = f32x4.mul(f32x4.mul(lam, prev), a); // through a = exp(Δ A)
  sumDelta += share(f32x4.add(f32x4.mul(dDeltaA, A), f32x4.mul(f32x4.mul(lam, Bv), f32x4.splat(vh))), tail); // and through b = Δ B v
  st(gA, f32x4.add(ld(gA, tail), f32x4.mul(dDeltaA, f32x4.mul(f32x4.splat(d), A))), tail); // A = −exp(A_log): ∂A/∂A_log = A
  st(dB, f32x4.add(ld(dB, tail), f32x4.mul(lam, f32x4.splat(d * vh))), tail);
  sumV += share(f32x4.mul(lam, f32x4.mul(f32x4.splat(d), Bv)), tail);
  st(carry, cut ? f32x4.splat(0) : f32x4.mul(a, lam), tail);
}

export function mamba_bwd(
  B: i32, T: i32, H: i32, N: i32, heads: i32, k: i32, A_log: usize, D: usize, Wdt: usize, bdt: usize, WB: usize, WC: usize,
  gA_log: usize, gD: usize, gWdt: usize, gbdt: usize, gWB: usize, gWC: usize, v: usize, dC: usize, dV: usize, work: usize,
): void {
  const TB = T * B;
  const A = work;
  const z = past(A, H * N);
  const delta = past(z, TB * H);
  const Bt = past(delta, TB * H);
  const Ct = past(Bt, TB * N);
  const x = past(Ct, TB * N);
  const carry = past(x, TB * H * N); // (B, H, N) exp(Δ_{t+1} A) λ_{t+1}
  const dB = past(carry, B * H * N); // (T, B, N)
  const dCt = past(dB, TB * N); // (T, B, N)
  const dz = past(dCt, TB * N); // (T, B, H) ∂L/∂Δ, then ∂L/∂z
  const nx = B * H * N;
  zero(carry, nx);
  zero(dB, 2 * TB * N);
  for (let t = T - 1; t >= 0; t--) {
    const cut = detachedAt(t, k);
    for (let b = 0; b < B; b++) {
      const row = t * B + b;
      for (let h = 0; h < H; h++) {
        const r = row * H + h;
        const dc = at(dC, r);
        const d = at(delta, r);
        const vh = at(v, r);
        add(gD, h, dc * vh);
        sumDelta = 0;
        sumV = dc * at(D, h);
        const xi = past(x, r * N);
        const xp = past(xi, -nx);
        const Ah = past(A, h * N);
        const Br = past(Bt, row * N);
        const Cr = past(Ct, row * N);
        const cr = past(carry, (b * H + h) * N);
        const dBr = past(dB, row * N);
        const dCr = past(dCt, row * N);
        const gAh = past(gA_log, h * N);
        let kk = 0;
        if (t == 0) {
          for (; kk + 4 <= N; kk += 4)
            stateBwd(past(xi, kk), 0, past(Ah, kk), past(Br, kk), past(Cr, kk), past(cr, kk), past(dBr, kk), past(dCr, kk), past(gAh, kk), dc, d, vh, true, cut, false);
          for (; kk < N; kk++)
            stateBwd(past(xi, kk), 0, past(Ah, kk), past(Br, kk), past(Cr, kk), past(cr, kk), past(dBr, kk), past(dCr, kk), past(gAh, kk), dc, d, vh, true, cut, true);
        } else {
          for (; kk + 4 <= N; kk += 4)
            stateBwd(past(xi, kk), past(xp, kk), past(Ah, kk), past(Br, kk), past(Cr, kk), past(cr, kk), past(dBr, kk), past(dCr, kk), past(gAh, kk), dc, d, vh, false, cut, false);
          for (; kk < N; kk++)
            stateBwd(past(xi, kk), past(xp, kk), past(Ah, kk), past(Br, kk), past(Cr, kk), past(cr, kk), past(dBr, kk), past(dCr, kk), past(gAh, kk), dc, d, vh, false, cut, true);
        }
        put(dz, r, sumDelta / (1 + Mathf.exp(-at(z, r)))); // softplus' = σ
        put(dV, r, sumV);
      }
    }
  }
  linearBackward(dz, v, Wdt, gWdt, gbdt, dV, TB, H, H);
  linearBackward(dB, v, WB, gWB, 0, dV, TB, N, H);
  linearBackward(dCt, v, WC, gWC, 0, dV, TB, N, H);
}
