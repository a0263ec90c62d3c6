/**
 * The Linear Recurrent Unit (Orvieto et al. 2023), forward and backward, as
 * src/engine/successors/lru.ts, its complex arithmetic written out in (re, im) pairs:
 *   λ = exp(−exp(nu_log) + i·exp(theta_log)),  γ = exp(gamma_log)            (N)
 *   x_t = λ ⊙ x_{t−1} + γ ⊙ (B v_t),  B = B_re + i·B_im (N, H),  x_{−1} = 0  (B, N) complex
 *   c_t = Re(C x_t) + D ⊙ v_t = C_re x_re − C_im x_im + D ⊙ v_t
 * Backward: the adjoint g_t += conj(λ) ⊙ g_{t+1} down in time (cut where the state entering t+1 is
 * detached, truncation k, 0 for none); ∂L/∂λ = Σ_t g_t · conj(x_{t−1}), then through the polar form.
 *
 * work (floats): λ_re, λ_im, γ (N each) | Bv_re, Bv_im, x_re, −x_im, g_re, g_im (T, B, N each) |
 * Wᵀ scratch (H, N). The backward pass turns Bv into ∂L/∂(B v) in place.
 */
import { gemm_nn, gemm_tn } from './gemm';
import { add, at, detachedAt, linear, linearBackward, past, put, zero } from './linear';
import { scale, transpose } from './vector';

export function lru_work(B: f64, T: f64, H: f64, N: f64, heads: f64): f64 {
  return 3 * N + 6 * T * B * N + H * N;
}

export function lru_fwd(
  B: i32, T: i32, H: i32, N: i32, heads: i32, nu_log: usize, theta_log: usize, gamma_log: usize,
  B_re: usize, B_im: usize, C_re: usize, C_im: usize, D: usize, v: usize, c: usize, work: usize,
): void {
  const TB = T * B;
  const n = B * N; // complex channels of the recurrence
  const TBN = TB * N;
  const lre = work; // (N)
  const lim = past(lre, N); // (N)
  const gam = past(lim, N); // (N)
  const Bv_re = past(gam, N); // (T, B, N)
  const Bv_im = past(Bv_re, TBN); // (T, B, N)
  const x_re = past(Bv_im, TBN); // (T, B, N)
  const x_imn = past(x_re, TBN); // (T, B, N) Im x_t during the recurrence, then −Im x_t
  const wT = past(x_imn, 3 * TBN); // (H, N) after g_re, g_im
  for (let k = 0; k < N; k++) {
    const r = Math.exp(-Math.exp(<f64>at(nu_log, k))); // |λ| < 1
    const theta = Math.exp(<f64>at(theta_log, k));
    put(lre, k, <f32>(r * Math.cos(theta)));
    put(lim, k, <f32>(r * Math.sin(theta)));
    put(gam, k, <f32>Math.exp(<f64>at(gamma_log, k)));
  }
  linear(v, B_re, 0, TB, N, H, Bv_re, wT);
  linear(v, B_im, 0, TB, N, H, Bv_im, wT);
  // Truncation changes no value forward, only where gradients go.
  for (let t = 0; t < T; t++) {
    for (let j = 0; j < n; j++) {
      const k = j % N;
      const i = t * n + j;
      const lr = at(lre, k);
      const li = at(lim, k);
      const g = at(gam, k);
      const pr: f32 = t > 0 ? at(x_re, i - n) : 0;
      const pi: f32 = t > 0 ? at(x_imn, i - n) : 0;
      put(x_re, i, lr * pr - li * pi + g * at(Bv_re, i));
      put(x_imn, i, lr * pi + li * pr + g * at(Bv_im, i));
    }
  }
  scale(x_imn, TBN, -1);
  linear(x_re, C_re, 0, TB, H, N, c, wT); // C_re x_re
  transpose(wT, H, C_im, H, N);
  gemm_nn(TB, H, N, x_imn, N, wT, H, c, H); // − C_im x_im
  for (let row = 0; row < TB; row++)
    for (let h = 0; h < H; h++) {
      const i = row * H + h;
      add(c, i, at(D, h) * at(v, i));
    }
}

export function lru_bwd(
  B: i32, T: i32, H: i32, N: i32, heads: i32, k: i32, nu_log: usize, theta_log: usize, gamma_log: usize,
  B_re: usize, B_im: usize, C_re: usize, C_im: usize, D: usize,
  g_nu: usize, g_theta: usize, g_gamma: usize, gB_re: usize, gB_im: usize, gC_re: usize, gC_im: usize, gD: usize,
  v: usize, dC: usize, dV: usize, work: usize,
): void {
  const TB = T * B;
  const n = B * N;
  const TBN = TB * N;
  const lre = work;
  const lim = past(lre, N);
  const gam = past(lim, N);
  const Bv_re = past(gam, N); // → ∂L/∂Re(B v)
  const Bv_im = past(Bv_re, TBN); // → ∂L/∂Im(B v)
  const x_re = past(Bv_im, TBN);
  const x_imn = past(x_re, TBN);
  const g_re = past(x_imn, TBN); // (T, B, N) ∂L/∂Re x_t, through c_t, then every later step
  const g_im = past(g_re, TBN); // (T, B, N) ∂L/∂Im x_t
  zero(dV, TB * H);
  for (let row = 0; row < TB; row++)
    for (let h = 0; h < H; h++) {
      const i = row * H + h;
      const dc = at(dC, i);
      add(gD, h, dc * at(v, i));
      put(dV, i, dc * at(D, h));
    }
  // Through Re(C x_t): ∂L/∂C_re = dcᵀ x_re, ∂L/∂C_im = dcᵀ (−x_im), ∂L/∂Re x = dc C_re, ∂L/∂Im x = −dc C_im.
  gemm_tn(H, N, TB, dC, H, x_re, N, gC_re, N);
  gemm_tn(H, N, TB, dC, H, x_imn, N, gC_im, N);
  zero(g_re, 2 * TBN);
  gemm_nn(TB, N, H, dC, H, C_re, N, g_re, N);
  gemm_nn(TB, N, H, dC, H, C_im, N, g_im, N);
  scale(g_im, TBN, -1);
  // Every later step included: g_t += conj(λ) g_{t+1}.
  for (let t = T - 2; t >= 0; t--) {
    if (detachedAt(t + 1, k)) continue;
    for (let j = 0; j < n; j++) {
      const kk = j % N;
      const i = t * n + j;
      const lr = at(lre, kk);
      const li = at(lim, kk);
      const gr = at(g_re, i + n);
      const gi = at(g_im, i + n);
      add(g_re, i, lr * gr + li * gi);
      add(g_im, i, lr * gi - li * gr);
    }
  }
  // b_t = γ ⊙ (B v_t); x_t = λ x_{t−1} + b_t: ∂L/∂λ = Σ_t g_t conj(x_{t−1}) (a detached x_{t−1} still multiplies λ).
  for (let kk = 0; kk < N; kk++) {
    const g = at(gam, kk);
    let dgam: f64 = 0;
    let dlr: f64 = 0;
    let dli: f64 = 0;
    for (let row = 0; row < TB; row++) {
      const i = row * N + kk;
      const dxr = at(g_re, i);
      const dxi = at(g_im, i);
      dgam += <f64>(dxr * at(Bv_re, i) + dxi * at(Bv_im, i));
      put(Bv_re, i, g * dxr);
      put(Bv_im, i, g * dxi);
      if (row >= B) {
        const pr = at(x_re, i - n);
        const pi = -at(x_imn, i - n);
        dlr += <f64>(dxr * pr + dxi * pi);
        dli += <f64>(dxi * pr - dxr * pi);
      }
    }
    // λ = r e^{iθ}, r = exp(−exp(nu_log)), θ = exp(theta_log)
    const e_nu = Math.exp(<f64>at(nu_log, kk));
    const r = Math.exp(-e_nu);
    const theta = Math.exp(<f64>at(theta_log, kk));
    const cos = Math.cos(theta);
    const sin = Math.sin(theta);
    const dL_dr = dlr * cos + dli * sin;
    const dL_dtheta = r * (dli * cos - dlr * sin);
    add(g_nu, kk, <f32>(dL_dr * -r * e_nu));
    add(g_theta, kk, <f32>(dL_dtheta * theta));
    add(g_gamma, kk, <f32>(dgam * <f64>g));
  }
  linearBackward(Bv_re, v, B_re, gB_re, 0, dV, TB, N, H);
  linearBackward(Bv_im, v, B_im, gB_im, 0, dV, TB, N, H);
}
