/**
 * The Linear Recurrent Unit (Orvieto et al. 2023), forward and backward, as
 * src/engine/successors/lru.ts (and the wasm mixer's assembly/lru.ts), its complex arithmetic in
 * (re, im) pairs:
 *   λ = exp(−exp(nu_log) + i·exp(theta_log)),  γ = exp(gamma_log)            (N)
 *   x_t = λ ⊙ x_{t−1} + γ ⊙ (B v_t),  B = B_re + i·B_im (N, H),  x_{−1} = 0  (B, N) complex
 *   c_t = Re(C x_t) + D ⊙ v_t = C_re x_re − C_im x_im + D ⊙ v_t
 * Backward: the adjoint g_t += conj(λ) ⊙ g_{t+1} down in time (cut where the state entering t+1 is
 * detached, truncation k, 0 for none); ∂L/∂λ = Σ_t g_t · conj(x_{t−1}), then through the polar form.
 * The recurrences run one thread per (batch, state) lane looping over t; ∂L/∂λ one thread per state.
 *
 * work (floats): λ_re, λ_im, γ (N each) | Bv_re, Bv_im, x_re, −x_im, g_re, g_im (T, B, N each) |
 * Wᵀ scratch (H, N). The backward pass turns Bv into ∂L/∂(B v) in place.
 */
import type { MixerDims } from '../../../engine/successors/mixer';
import type { Ptr } from '../../../train/kernels';
import { grid, MAIN_1D, u32s, type Program } from '../program';
import type { Recorder } from '../recorder';
import { gemmNN } from './gemmNN';
import { gemmTN } from './gemmTN';
import { DETACHED_AT, linear, linearBackward } from './linear';
import { transpose } from './transpose';
import { zero } from './zero';

export const lruWork = (d: MixerDims): number => 3 * d.N + 6 * d.T * d.B * d.N + d.H * d.N;

function parts(d: MixerDims, work: Ptr) {
  const TBN = d.T * d.B * d.N;
  const Bv_re = work + 3 * d.N;
  return { lre: work, lim: work + d.N, gam: work + 2 * d.N, Bv_re, Bv_im: Bv_re + TBN, x_re: Bv_re + 2 * TBN, x_imn: Bv_re + 3 * TBN, g_re: Bv_re + 4 * TBN, g_im: Bv_re + 5 * TBN, wT: Bv_re + 6 * TBN };
}

/** WGSL: the work parts from u.work, u.N and u.TBN, as `parts` lays them out */
const PARTS = `
  let lre = u.work;
  let lim = lre + u.N;
  let gam = lim + u.N;
  let Bv_re = gam + u.N;
  let Bv_im = Bv_re + u.TBN;
  let x_re = Bv_im + u.TBN;
  let x_imn = x_re + u.TBN;
  let g_re = x_imn + u.TBN;
  let g_im = g_re + u.TBN;`;

/**
 * (sin θ, cos θ) to float32 rounding: WGSL promises sin and cos only to an absolute 2⁻¹¹ on
 * [−π, π], which LRU's phases (and ∂L/∂θ) would feel. θ − q·π/2 in three parts (Cody–Waite), then
 * Taylor polynomials on [−π/4, π/4] (truncation error below 2·10⁻⁹), then the quadrant.
 */
const SINCOS = `
fn sincos(x: f32) -> vec2<f32> {
  let q = round(x * 0.636619772);
  let r = ((x - q * 1.5703125) - q * 4.837512969970703e-4) - q * 7.549789954891882e-8;
  let r2 = r * r;
  let s = r * (1.0 + r2 * (-1.0 / 6.0 + r2 * (1.0 / 120.0 + r2 * (-1.0 / 5040.0 + r2 * (1.0 / 362880.0)))));
  let c = 1.0 + r2 * (-0.5 + r2 * (1.0 / 24.0 + r2 * (-1.0 / 720.0 + r2 * (1.0 / 40320.0 + r2 * (-1.0 / 3628800.0)))));
  switch (i32(q) & 3) {
    case 0: { return vec2<f32>(s, c); }
    case 1: { return vec2<f32>(c, -s); }
    case 2: { return vec2<f32>(-s, -c); }
    default: { return vec2<f32>(-c, s); }
  }
}`;

/** λ and γ of every state (N threads) */
const LRU_LAMBDA: Program = {
  name: 'lruLambda',
  fields: u32s('N', 'TBN', 'work', 'nu_log', 'theta_log', 'gamma_log'),
  body: `${SINCOS}${MAIN_1D}
  if (i >= u.N) { return; }${PARTS}
  let r = exp(-exp(arena[u.nu_log + i])); // |λ| < 1
  let sc = sincos(exp(arena[u.theta_log + i])); // (sin θ, cos θ)
  arena[lre + i] = r * sc.y;
  arena[lim + i] = r * sc.x;
  arena[gam + i] = exp(arena[u.gamma_log + i]);
}`,
};

/** x_t of every (batch, state) lane (n = B·N threads), storing Re x and −Im x */
const LRU_SCAN: Program = {
  name: 'lruScan',
  fields: u32s('N', 'TBN', 'work', 'n', 'T'),
  body: `${MAIN_1D}
  if (i >= u.n) { return; }${PARTS}
  let k = i % u.N;
  let lr = arena[lre + k];
  let li = arena[lim + k];
  let g = arena[gam + k];
  var pr = 0.0;
  var pi = 0.0;
  for (var t = 0u; t < u.T; t++) {
    let o = t * u.n + i;
    let xr = lr * pr - li * pi + g * arena[Bv_re + o];
    let xi = lr * pi + li * pr + g * arena[Bv_im + o];
    arena[x_re + o] = xr;
    arena[x_imn + o] = -xi;
    pr = xr;
    pi = xi;
  }
}`,
};

/** c (TB, H) += D ⊙ v, one thread per element */
const LRU_SKIP: Program = {
  name: 'lruSkip',
  fields: u32s('M', 'H', 'D', 'v', 'c'),
  body: `${MAIN_1D}
  if (i >= u.M * u.H) { return; }
  arena[u.c + i] += arena[u.D + i % u.H] * arena[u.v + i];
}`,
};

/** per column h (H threads): ∂L/∂D[h] += Σ_rows dc v, and dV ← dc D (the first of dV's terms) */
const LRU_SKIP_BACKWARD: Program = {
  name: 'lruSkipBackward',
  fields: u32s('M', 'H', 'D', 'v', 'dC', 'dV', 'gD'),
  body: `${MAIN_1D}
  if (i >= u.H) { return; }
  let D = arena[u.D + i];
  var s = 0.0;
  for (var row = 0u; row < u.M; row++) {
    let o = row * u.H + i;
    let dc = arena[u.dC + o];
    s += dc * arena[u.v + o];
    arena[u.dV + o] = dc * D;
  }
  arena[u.gD + i] += s;
}`,
};

/** g_im ← −g_im (it held dc C_im), then g_t += conj(λ) g_{t+1} down in time, per lane (n threads) */
const LRU_ADJOINT: Program = {
  name: 'lruAdjoint',
  fields: u32s('N', 'TBN', 'work', 'n', 'T', 'k'),
  body: `${DETACHED_AT}${MAIN_1D}
  if (i >= u.n) { return; }${PARTS}
  let kk = i % u.N;
  let lr = arena[lre + kk];
  let li = arena[lim + kk];
  var cr = 0.0; // g_{t+1}
  var ci = 0.0;
  for (var s = 0u; s < u.T; s++) {
    let t = u.T - 1u - s;
    let o = t * u.n + i;
    var gr = arena[g_re + o];
    var gi = -arena[g_im + o];
    if (t + 1u < u.T && !detachedAt(t + 1u, u.k)) {
      gr += lr * cr + li * ci;
      gi += lr * ci - li * cr;
    }
    arena[g_re + o] = gr;
    arena[g_im + o] = gi;
    cr = gr;
    ci = gi;
  }
}`,
};

/** per state (N threads): ∂L/∂γ, ∂L/∂λ through the polar form, and Bv ← ∂L/∂(B v) = γ g */
const LRU_LAMBDA_BACKWARD: Program = {
  name: 'lruLambdaBackward',
  fields: u32s('N', 'TBN', 'work', 'n', 'TB', 'nu_log', 'theta_log', 'g_nu', 'g_theta', 'g_gamma'),
  body: `${SINCOS}${MAIN_1D}
  if (i >= u.N) { return; }${PARTS}
  let g = arena[gam + i];
  var dgam = 0.0;
  var dlr = 0.0;
  var dli = 0.0;
  for (var row = 0u; row < u.TB; row++) {
    let o = row * u.N + i;
    let dxr = arena[g_re + o];
    let dxi = arena[g_im + o];
    dgam += dxr * arena[Bv_re + o] + dxi * arena[Bv_im + o];
    arena[Bv_re + o] = g * dxr;
    arena[Bv_im + o] = g * dxi;
    if (o >= u.n) {
      // a detached x_{t−1} still multiplies λ
      let pr = arena[x_re + o - u.n];
      let pi = -arena[x_imn + o - u.n];
      dlr += dxr * pr + dxi * pi;
      dli += dxi * pr - dxr * pi;
    }
  }
  // λ = r e^{iθ}, r = exp(−exp(nu_log)), θ = exp(theta_log)
  let e_nu = exp(arena[u.nu_log + i]);
  let r = exp(-e_nu);
  let theta = exp(arena[u.theta_log + i]);
  let sc = sincos(theta);
  let co = sc.y;
  let si = sc.x;
  let dL_dr = dlr * co + dli * si;
  let dL_dtheta = r * (dli * co - dlr * si);
  arena[u.g_nu + i] += dL_dr * -r * e_nu;
  arena[u.g_theta + i] += dL_dtheta * theta;
  arena[u.g_gamma + i] += dgam * g;
}`,
};

/** tensors: nu_log, theta_log, gamma_log, B_re, B_im, C_re, C_im, D */
export function lruForward(rec: Recorder, d: MixerDims, [nu_log, theta_log, gamma_log, B_re, B_im, C_re, C_im, D]: Ptr[], v: Ptr, c: Ptr, work: Ptr): void {
  const { Bv_re, Bv_im, x_re, x_imn, wT } = parts(d, work);
  const TB = d.T * d.B;
  const TBN = TB * d.N;
  const n = d.B * d.N;
  rec.dispatch(LRU_LAMBDA, [d.N, TBN, work, nu_log, theta_log, gamma_log], grid(d.N));
  linear(rec, v, B_re, 0, TB, d.N, d.H, Bv_re, wT);
  linear(rec, v, B_im, 0, TB, d.N, d.H, Bv_im, wT);
  // Truncation changes no value forward, only where gradients go.
  rec.dispatch(LRU_SCAN, [d.N, TBN, work, n, d.T], grid(n));
  linear(rec, x_re, C_re, 0, TB, d.H, d.N, c, wT); // C_re x_re
  transpose(rec, wT, d.H, C_im, d.H, d.N);
  gemmNN(rec, TB, d.H, d.N, x_imn, d.N, wT, d.H, c, d.H); // − C_im x_im
  rec.dispatch(LRU_SKIP, [TB, d.H, D, v, c], grid(TB * d.H));
}

export function lruBackward(rec: Recorder, d: MixerDims, k: number, tensors: Ptr[], grads: Ptr[], v: Ptr, dC: Ptr, dV: Ptr, work: Ptr): void {
  const [nu_log, theta_log, , B_re, B_im, C_re, C_im, D] = tensors;
  const [g_nu, g_theta, g_gamma, gB_re, gB_im, gC_re, gC_im, gD] = grads;
  const { Bv_re, Bv_im, x_re, x_imn, g_re, g_im } = parts(d, work);
  const TB = d.T * d.B;
  const TBN = TB * d.N;
  const n = d.B * d.N;
  rec.dispatch(LRU_SKIP_BACKWARD, [TB, d.H, D, v, dC, dV, gD], grid(d.H));
  // Through Re(C x_t): ∂L/∂C_re = dcᵀ x_re, ∂L/∂C_im = dcᵀ (−x_im), ∂L/∂Re x = dc C_re, ∂L/∂Im x = −dc C_im.
  gemmTN(rec, d.H, d.N, TB, dC, d.H, x_re, d.N, gC_re, d.N);
  gemmTN(rec, d.H, d.N, TB, dC, d.H, x_imn, d.N, gC_im, d.N);
  zero(rec, g_re, 2 * TBN);
  gemmNN(rec, TB, d.N, d.H, dC, d.H, C_re, d.N, g_re, d.N);
  gemmNN(rec, TB, d.N, d.H, dC, d.H, C_im, d.N, g_im, d.N);
  rec.dispatch(LRU_ADJOINT, [d.N, TBN, work, n, d.T, k], grid(n));
  rec.dispatch(LRU_LAMBDA_BACKWARD, [d.N, TBN, work, n, TB, nu_log, theta_log, g_nu, g_theta, g_gamma], grid(d.N));
  linearBackward(rec, Bv_re, v, B_re, gB_re, 0, dV, TB, d.N, d.H);
  linearBackward(rec, Bv_im, v, B_im, gB_im, 0, dV, TB, d.N, d.H);
}
