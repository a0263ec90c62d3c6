/**
 * minGRU (Feng et al. 2024), forward and backward, as src/engine/successors/mingru.ts:
 *   z_t = σ(z_proj(v_t)),  h̃_t = h_proj(v_t),  h_t = (1 − z_t) ⊙ h_{t−1} + z_t ⊙ h̃_t,  c_t = h_t
 * over n = B·H channels from h_{−1} = 0. Backward runs the adjoint λ_t = ∂L/∂c_t + (1 − z_{t+1}) λ_{t+1}
 * down in time, cut where the state entering t+1 is detached (truncation k, 0 for none).
 *
 * work (floats): z (T, B, H) | h̃ (T, B, H) | h (T, B, H) | carry (B, H) | Wᵀ scratch (H, H).
 * The backward pass turns z into ∂L/∂(z_proj v) and h̃ into ∂L/∂h̃ in place.
 */
import { at, detachedAt, linear, linearBackward, past, put, zero } from './linear';

export function mingru_work(B: f64, T: f64, H: f64, N: f64, heads: f64): f64 {
  return 3 * T * B * H + B * H + H * H;
}

export function mingru_fwd(B: i32, T: i32, H: i32, N: i32, heads: i32, Wz: usize, bz: usize, Wh: usize, bh: usize, v: usize, c: usize, work: usize): void {
  const n = B * H;
  const TBH = T * n;
  const z = work; // (T, B, H)
  const ht = past(z, TBH); // (T, B, H)
  const h = past(ht, TBH); // (T, B, H)
  const wT = past(h, TBH + n); // (H, H)
  linear(v, Wz, bz, T * B, H, H, z, wT);
  linear(v, Wh, bh, T * B, H, H, ht, wT);
  for (let i = 0; i < TBH; i++) put(z, i, 1 / (1 + Mathf.exp(-at(z, i))));
  // Truncation changes no value forward, only where gradients go.
  for (let t = 0; t < T; t++) {
    for (let j = 0; j < n; j++) {
      const i = t * n + j;
      const hp: f32 = t > 0 ? at(h, i - n) : 0;
      put(h, i, hp + at(z, i) * (at(ht, i) - hp)); // h_t = h_{t−1} + z (h̃ − h_{t−1})
    }
  }
  memory.copy(c, h, (<usize>TBH) << 2);
}

export function mingru_bwd(
  B: i32, T: i32, H: i32, N: i32, heads: i32, k: i32, Wz: usize, bz: usize, Wh: usize, bh: usize, gWz: usize, gbz: usize, gWh: usize, gbh: usize,
  v: usize, dC: usize, dV: usize, work: usize,
): void {
  const n = B * H;
  const TBH = T * n;
  const z = work; // (T, B, H) → ∂L/∂(z_proj v)
  const ht = past(z, TBH); // (T, B, H) → ∂L/∂h̃
  const h = past(ht, TBH); // (T, B, H)
  const carry = past(h, TBH); // (B, H) (1 − z_{t+1}) λ_{t+1}, or 0 across a detached state
  zero(carry, n);
  for (let t = T - 1; t >= 0; t--) {
    const cut = detachedAt(t, k);
    for (let j = 0; j < n; j++) {
      const i = t * n + j;
      const lam = at(dC, i) + at(carry, j); // λ_t = ∂L/∂h_t, every later step included
      const zi = at(z, i);
      const hp: f32 = t > 0 ? at(h, i - n) : 0;
      put(carry, j, cut ? 0 : (1 - zi) * lam);
      put(z, i, lam * (at(ht, i) - hp) * zi * (1 - zi)); // ∂h/∂z = h̃ − h_{t−1}, σ' = z (1 − z)
      put(ht, i, lam * zi);
    }
  }
  zero(dV, TBH);
  linearBackward(z, v, Wz, gWz, gbz, dV, T * B, H, H);
  linearBackward(ht, v, Wh, gWh, gbh, dV, T * B, H, H);
}
