/**
 * Mamba's selective state space (S6, Gu & Dao 2023), forward and backward, as
 * src/engine/successors/mamba.ts (mamba_ssm's selective_scan_ref, and the wasm mixer's
 * assembly/mamba.ts):
 *   Δ_t = softplus(dt_proj(v_t)) (H),  B_t = B_proj(v_t), C_t = C_proj(v_t) (N),  A = −exp(A_log) (H, N)
 *   x_t[h,n] = exp(Δ_t[h] A[h,n]) x_{t−1}[h,n] + Δ_t[h] B_t[n] v_t[h],  x_{−1} = 0
 *   c_t[h] = Σ_n C_t[n] x_t[h,n] + D[h] v_t[h]
 * One thread per (batch, channel) lane loops over t and its N states. Backward: the same lanes walk
 * down in time and keep λ_t = ∂L/∂x_t = dc_t C_t + exp(Δ_{t+1} A) λ_{t+1} (the second term gone
 * across a detached state, truncation k, 0 for none), with ∂L/∂Δ and ∂L/∂v; the sums over channels
 * (∂L/∂B_t, ∂L/∂C_t, one thread per (step, state)) and over steps (∂L/∂A_log, ∂L/∂D, one thread
 * per (channel, state)) follow as their own kernels, so no two threads add into one place.
 *
 * work (floats): z = dt_proj(v), Δ (T, B, H each) | B_t, C_t (T, B, N each) | x, λ (T, B, H, N
 * each) | ∂L/∂B_t, ∂L/∂C_t (T, B, N each) | ∂L/∂z (T, B, H) | Wᵀ scratch (H, max(H, N)).
 */
import type { MixerDims } from '../../../engine/successors/mixer';
import type { Ptr } from '../../../train/kernels';
import { grid, MAIN_1D, u32s, type Program } from '../program';
import type { Recorder } from '../recorder';
import { DETACHED_AT, linear, linearBackward } from './linear';

export const mambaWork = (d: MixerDims): number => {
  const TB = d.T * d.B;
  return 3 * TB * d.H + 4 * TB * d.N + 2 * TB * d.H * d.N + d.H * Math.max(d.H, d.N);
};

function parts(d: MixerDims, work: Ptr) {
  const TB = d.T * d.B;
  const z = work;
  const delta = z + TB * d.H;
  const Bt = delta + TB * d.H;
  const Ct = Bt + TB * d.N;
  const x = Ct + TB * d.N;
  const lam = x + TB * d.H * d.N;
  const dB = lam + TB * d.H * d.N;
  const dCt = dB + TB * d.N;
  const dz = dCt + TB * d.N;
  return { z, delta, Bt, Ct, x, lam, dB, dCt, dz, wT: dz + TB * d.H };
}

/** WGSL: the work parts from u.work, u.T, u.B, u.H, u.N, as `parts` lays them out */
const PARTS = `
  let TB = u.T * u.B;
  let z = u.work;
  let delta = z + TB * u.H;
  let Bt = delta + TB * u.H;
  let Ct = Bt + TB * u.N;
  let x = Ct + TB * u.N;
  let lam = x + TB * u.H * u.N;
  let dB = lam + TB * u.H * u.N;
  let dCt = dB + TB * u.N;
  let dz = dCt + TB * u.N;`;

/** softplus without overflow, log1p-accurate where e^{−|z|} is small */
const SOFTPLUS = `
fn softplus(a: f32) -> f32 {
  let e = exp(-abs(a));
  var l = log(1.0 + e);
  if (e < 1e-4) { l = e * (1.0 - 0.5 * e); }
  return max(a, 0.0) + l;
}`;

const MAMBA_FORWARD: Program = {
  name: 'mambaForward',
  fields: u32s('T', 'B', 'H', 'N', 'work', 'A_log', 'D', 'v', 'c'),
  body: `${SOFTPLUS}${MAIN_1D}
  if (i >= u.B * u.H) { return; }${PARTS}
  let h = i % u.H;
  let b = i / u.H;
  let nx = u.B * u.H; // channels per step
  // Truncation changes no value forward, only where gradients go.
  for (var t = 0u; t < u.T; t++) {
    let r = t * nx + i; // (t, b, h)
    let row = t * u.B + b;
    let d = softplus(arena[z + r]);
    arena[delta + r] = d;
    let dv = d * arena[u.v + r];
    var s = arena[u.D + h] * arena[u.v + r];
    for (var n = 0u; n < u.N; n++) {
      let a = exp(-d * exp(arena[u.A_log + h * u.N + n])); // exp(Δ A)
      var prev = 0.0;
      if (t > 0u) { prev = arena[x + (r - nx) * u.N + n]; }
      let xv = a * prev + dv * arena[Bt + row * u.N + n]; // + Δ B v
      arena[x + r * u.N + n] = xv;
      s += arena[Ct + row * u.N + n] * xv;
    }
    arena[u.c + r] = s;
  }
}`,
};

const MAMBA_BACKWARD: Program = {
  name: 'mambaBackward',
  fields: u32s('T', 'B', 'H', 'N', 'work', 'A_log', 'D', 'v', 'dC', 'dV', 'k'),
  body: `${DETACHED_AT}${MAIN_1D}
  if (i >= u.B * u.H) { return; }${PARTS}
  let h = i % u.H;
  let b = i / u.H;
  let nx = u.B * u.H;
  for (var q = 0u; q < u.T; q++) {
    let t = u.T - 1u - q;
    let r = t * nx + i;
    let row = t * u.B + b;
    let dc = arena[u.dC + r];
    let d = arena[delta + r];
    let vh = arena[u.v + r];
    // whether λ_{t+1} reaches x_t: there is a step t+1 and the state entering it is not detached
    let later = t + 1u < u.T && !detachedAt(t + 1u, u.k);
    var sumDelta = 0.0; // ∂L/∂Δ_t[h]
    var sumV = dc * arena[u.D + h]; // ∂L/∂v_t[h]
    for (var n = 0u; n < u.N; n++) {
      let A = -exp(arena[u.A_log + h * u.N + n]);
      let Bv = arena[Bt + row * u.N + n];
      var l = dc * arena[Ct + row * u.N + n]; // λ_t: through c_t, and every later step
      if (later) { l += exp(arena[delta + r + nx] * A) * arena[lam + (r + nx) * u.N + n]; }
      arena[lam + r * u.N + n] = l;
      var prev = 0.0;
      if (t > 0u) { prev = arena[x + (r - nx) * u.N + n]; }
      let a = exp(d * A);
      sumDelta += l * prev * a * A + l * Bv * vh; // through a = exp(Δ A) and b = Δ B v
      sumV += l * d * Bv;
    }
    arena[dz + r] = sumDelta * sigm(arena[z + r]); // softplus' = σ
    arena[u.dV + r] = sumV;
  }
}`,
};

/** per (step row, state n): ∂L/∂B_t[n] = Σ_h λ Δ v, ∂L/∂C_t[n] = Σ_h dc x */
const MAMBA_ROW_GRADS: Program = {
  name: 'mambaRowGrads',
  fields: u32s('T', 'B', 'H', 'N', 'work', 'v', 'dC'),
  body: `${MAIN_1D}
  if (i >= u.T * u.B * u.N) { return; }${PARTS}
  let row = i / u.N;
  let n = i % u.N;
  var gB = 0.0;
  var gC = 0.0;
  for (var h = 0u; h < u.H; h++) {
    let r = row * u.H + h;
    gB += arena[lam + r * u.N + n] * arena[delta + r] * arena[u.v + r];
    gC += arena[u.dC + r] * arena[x + r * u.N + n];
  }
  arena[dB + i] = gB;
  arena[dCt + i] = gC;
}`,
};

/** per (channel h, state n): ∂L/∂A_log[h,n] += Σ_t λ x_{t−1} exp(Δ A) Δ A (∂A/∂A_log = A); n = 0 also ∂L/∂D[h] += Σ_t dc v */
const MAMBA_STATE_GRADS: Program = {
  name: 'mambaStateGrads',
  fields: u32s('T', 'B', 'H', 'N', 'work', 'A_log', 'v', 'dC', 'gA_log', 'gD'),
  body: `${MAIN_1D}
  if (i >= u.H * u.N) { return; }${PARTS}
  let h = i / u.N;
  let n = i % u.N;
  let A = -exp(arena[u.A_log + i]);
  let nx = u.B * u.H;
  var gA = 0.0;
  var gD = 0.0;
  for (var row = 0u; row < TB; row++) {
    let r = row * u.H + h;
    gD += arena[u.dC + r] * arena[u.v + r];
    if (row >= u.B) {
      let d = arena[delta + r];
      gA += arena[lam + r * u.N + n] * arena[x + (r - nx) * u.N + n] * exp(d * A) * d * A;
    }
  }
  arena[u.gA_log + i] += gA;
  if (n == 0u) { arena[u.gD + h] += gD; }
}`,
};

/** tensors: A_log, D, dt_proj.weight, dt_proj.bias, B_proj.weight, C_proj.weight */
export function mambaForward(rec: Recorder, d: MixerDims, [A_log, D, Wdt, bdt, WB, WC]: Ptr[], v: Ptr, c: Ptr, work: Ptr): void {
  const { z, Bt, Ct, wT } = parts(d, work);
  const TB = d.T * d.B;
  linear(rec, v, Wdt, bdt, TB, d.H, d.H, z, wT);
  linear(rec, v, WB, 0, TB, d.N, d.H, Bt, wT);
  linear(rec, v, WC, 0, TB, d.N, d.H, Ct, wT);
  rec.dispatch(MAMBA_FORWARD, [d.T, d.B, d.H, d.N, work, A_log, D, v, c], grid(d.B * d.H));
}

export function mambaBackward(rec: Recorder, d: MixerDims, k: number, [A_log, D, Wdt, , WB, WC]: Ptr[], [gA_log, gD, gWdt, gbdt, gWB, gWC]: Ptr[], v: Ptr, dC: Ptr, dV: Ptr, work: Ptr): void {
  const { dB, dCt, dz } = parts(d, work);
  const TB = d.T * d.B;
  rec.dispatch(MAMBA_BACKWARD, [d.T, d.B, d.H, d.N, work, A_log, D, v, dC, dV, k], grid(d.B * d.H));
  rec.dispatch(MAMBA_ROW_GRADS, [d.T, d.B, d.H, d.N, work, v, dC], grid(TB * d.N));
  rec.dispatch(MAMBA_STATE_GRADS, [d.T, d.B, d.H, d.N, work, A_log, v, dC, gA_log, gD], grid(d.H * d.N));
  linearBackward(rec, dz, v, Wdt, gWdt, gbdt, dV, TB, d.H, d.H);
  linearBackward(rec, dB, v, WB, gWB, 0, dV, TB, d.N, d.H);
  linearBackward(rec, dCt, v, WC, gWC, 0, dV, TB, d.N, d.H);
}
