/**
 * Mamba's selective state space (S6, Gu & Dao 2023), forward and backward, as
 * src/engine/successors/mamba.ts (mamba_ssm's selective_scan_ref):
 *   Δ_t = softplus(dt_proj(v_t)) (H),  B_t = B_proj(v_t), C_t = C_proj(v_t) (N),  A = −exp(A_log) (H, N)
 *   x_t[h,n] = exp(Δ_t[h] A[h,n]) x_{t−1}[h,n] + Δ_t[h] B_t[n] v_t[h],  x_{−1} = 0
 *   c_t[h] = Σ_n C_t[n] x_t[h,n] + D[h] v_t[h]
 * Backward walks down in time once, carrying exp(Δ_{t+1} A) λ_{t+1} per state (zero across a
 * detached state, truncation k, 0 for none), and adds every step's share as it goes.
 *
 * work (floats): A (H, N) | z = dt_proj(v), Δ (T, B, H each) | B_t, C_t (T, B, N each) |
 * x (T, B, H, N) | carry (B, H, N) | ∂L/∂B_t, ∂L/∂C_t (T, B, N each) | ∂L/∂Δ (T, B, H) |
 * Wᵀ scratch (H, max(H, N)).
 */
import { add, at, detachedAt, linear, linearBackward, past, put, zero } from './linear';

export function mamba_work(B: i32, T: i32, H: i32, N: i32, heads: i32): i32 {
  const TB = T * B;
  return H * N + 3 * TB * H + 4 * TB * N + TB * H * N + B * H * N + H * max(H, N);
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
        for (let k = 0; k < N; k++) {
          const i = (row * H + h) * N + k;
          const xp: f32 = t > 0 ? at(x, i - nx) : 0;
          const xi = Mathf.exp(d * at(A, h * N + k)) * xp + d * at(Bt, row * N + k) * vh;
          put(x, i, xi);
          s += at(Ct, row * N + k) * xi;
        }
        put(c, row * H + h, s);
      }
    }
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
        let ddelta: f32 = 0;
        let dvh: f32 = dc * at(D, h);
        for (let kk = 0; kk < N; kk++) {
          const i = r * N + kk;
          const j = (b * H + h) * N + kk;
          const Ak = at(A, h * N + kk);
          const a = Mathf.exp(d * Ak);
          const Bk = at(Bt, row * N + kk);
          add(dCt, row * N + kk, dc * at(x, i));
          const lam = dc * at(Ct, row * N + kk) + at(carry, j); // ∂L/∂x_t, every later step included
          const xp: f32 = t > 0 ? at(x, i - nx) : 0;
          const dDeltaA = lam * xp * a; // through a = exp(Δ A)
          ddelta += dDeltaA * Ak + lam * Bk * vh; // and through b = Δ B v
          add(gA_log, h * N + kk, dDeltaA * d * Ak); // A = −exp(A_log): ∂A/∂A_log = A
          add(dB, row * N + kk, lam * d * vh);
          dvh += lam * d * Bk;
          put(carry, j, cut ? 0 : a * lam);
        }
        put(dz, r, ddelta / (1 + Mathf.exp(-at(z, r)))); // softplus' = σ
        put(dV, r, dvh);
      }
    }
  }
  linearBackward(dz, v, Wdt, gWdt, gbdt, dV, TB, H, H);
  linearBackward(dB, v, WB, gWB, 0, dV, TB, N, H);
  linearBackward(dCt, v, WC, gWC, 0, dV, TB, N, H);
}
