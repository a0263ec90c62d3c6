/**
 * minGRU (Feng et al. 2024), forward and backward, as src/engine/successors/mingru.ts:
 *   z_t = σ(z_proj(v_t)),  h̃_t = h_proj(v_t),  h_t = (1 − z_t) ⊙ h_{t−1} + z_t ⊙ h̃_t,  c_t = h_t
 * over n = B·H channels from h_{−1} = 0. Backward runs the adjoint λ_t = ∂L/∂c_t + (1 − z_{t+1}) λ_{t+1}
 * down in time, cut where the state entering t+1 is detached (truncation k, 0 for none).
 *
 * work (floats): z (T, B, H) | h̃ (T, B, H) | h (T, B, H) | carry (B, H) | Wᵀ scratch (H, H).
 * The backward pass turns z into ∂L/∂(z_proj v) and h̃ into ∂L/∂h̃ in place. Channels go four at
 * a time (f32x4), the n mod 4 tail on one lane of the same code.
 */
import { detachedAt, linear, linearBackward, past, zero } from './linear';
import { ld, st, vone, vsigmoid } from './vmath';

export function mingru_work(B: f64, T: f64, H: f64, N: f64, heads: f64): f64 {
  return 3 * T * B * H + B * H + H * H;
}

/** h_t of the channels at byte offset o (four, or one when `tail`); `prev`: bytes back to h_{t−1}, 0 at t = 0 */
// @ts-ignore: decorator
@inline function stepFwd(o: usize, prev: usize, z: usize, ht: usize, h: usize, tail: bool): void {
  const zi = vsigmoid(ld(z + o, tail));
  st(z + o, zi, tail);
  const hp = prev ? ld(h + o - prev, tail) : f32x4.splat(0);
  st(h + o, f32x4.add(hp, f32x4.mul(zi, f32x4.sub(ld(ht + o, tail), hp))), tail); // h_t = h_{t−1} + z (h̃ − h_{t−1})
}

/** step t backward at byte offset o; j: the channels' offset in `carry`; `cut`: the state entering t is detached */
// @ts-ignore: decorator
@inline function stepBwd(o: usize, j: usize, prev: usize, z: usize, ht: usize, h: usize, carry: usize, dC: usize, cut: bool, tail: bool): void {
  const lam = f32x4.add(ld(dC + o, tail), ld(carry + j, tail)); // λ_t = ∂L/∂h_t, every later step included
  const zi = ld(z + o, tail);
  const hp = prev ? ld(h + o - prev, tail) : f32x4.splat(0);
  const keep = f32x4.sub(vone(), zi);
  st(carry + j, cut ? f32x4.splat(0) : f32x4.mul(keep, lam), tail);
  st(z + o, f32x4.mul(f32x4.mul(lam, f32x4.sub(ld(ht + o, tail), hp)), f32x4.mul(zi, keep)), tail); // ∂h/∂z = h̃ − h_{t−1}, σ' = z (1 − z)
  st(ht + o, f32x4.mul(lam, zi), tail);
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
  // Truncation changes no value forward, only where gradients go.
  for (let t = 0; t < T; t++) {
    const row = (<usize>(t * n)) << 2;
    const prev: usize = t > 0 ? (<usize>n) << 2 : 0;
    let j = 0;
    for (; j + 4 <= n; j += 4) stepFwd(row + ((<usize>j) << 2), prev, z, ht, h, false);
    for (; j < n; j++) stepFwd(row + ((<usize>j) << 2), prev, z, ht, h, true);
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
    const row = (<usize>(t * n)) << 2;
    const prev: usize = t > 0 ? (<usize>n) << 2 : 0;
    let j = 0;
    for (; j + 4 <= n; j += 4) stepBwd(row + ((<usize>j) << 2), (<usize>j) << 2, prev, z, ht, h, carry, dC, cut, false);
    for (; j < n; j++) stepBwd(row + ((<usize>j) << 2), (<usize>j) << 2, prev, z, ht, h, carry, dC, cut, true);
  }
  zero(dV, TBH);
  linearBackward(z, v, Wz, gWz, gbz, dV, T * B, H, H);
  linearBackward(ht, v, Wh, gWh, gbh, dV, T * B, H, H);
}
