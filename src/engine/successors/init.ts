/**
 * Seeded initializations from the papers. Linear maps (in_proj, gate_proj, the mixers' projections,
 * the readout) get torch.nn.Linear's default, weight and bias U(−1/√fan_in, 1/√fan_in). Then:
 *   lru    (Orvieto et al. 2023, Lemma 3.2) λ uniform on the ring r_min ≤ |λ| ≤ r_max of the complex
 *          plane (uniform by area: |λ|² uniform in [r_min², r_max²]), phase uniform in (0, θ_max];
 *          γ = √(1 − |λ|²), so a unit-variance input gives a unit-variance state; B ~ 𝒩(0, 1/(2H))
 *          per part, C ~ 𝒩(0, 1/N) per part, D ~ 𝒩(0, 1).
 *   mamba  (Gu & Dao 2023, mamba_simple.py) S4D-real A = −(1, 2, …, N) in every channel
 *          (A_log = log n), D = 1, Δ = softplus(dt_proj.bias) log-uniform in [0.001, 0.1] (the
 *          bias is softplus⁻¹ of it, floored at 1e-4 as there), dt_proj.weight U(±1/√H).
 *   rwkv   (RWKV-4, RWKV_TimeMix) per-channel decays from slow to fast, w_log[h] =
 *          −5 + 8·(h/(H−1))^(0.7 + 1.3·l/(L−1)) (so e^{−w} runs from ≈ 0.993 down to ≈ 0),
 *          and the bonus u[h] = ln 0.3 + 0.5·((h+1) mod 3 − 1).
 * The ring's defaults (r_min 0.4, r_max 0.99, θ_max 2π) are ours within the paper's range: its
 * pseudo-code takes any 0 ≤ r_min ≤ r_max ≤ 1 and its long-range runs use rings close to 1. The
 * settings (src/settings/table.ts: ringMin, ringMax, ringPhase) choose another ring, with
 * r_min < r_max < 1 (at |λ| = 1, γ = 0 and the state would never decay).
 */
import type { Rng } from '../rng';
import { blockInputSize, hasStateSize, tensorsUnder, zeroSuccessorParams, type SuccessorModel, type SuccessorSpec } from './spec';

export interface SuccessorInit {
  /** LRU: the ring's radii and the largest phase */
  r_min?: number;
  r_max?: number;
  maxPhase?: number;
  /** Mamba: the range of Δ at init */
  dtMin?: number;
  dtMax?: number;
}

export const LRU_RING = { r_min: 0.4, r_max: 0.99, maxPhase: 2 * Math.PI } as const;
export const MAMBA_DT = { dtMin: 0.001, dtMax: 0.1, dtFloor: 1e-4 } as const;

function fillUniform(rng: Rng, a: Float64Array, bound: number): void {
  for (let i = 0; i < a.length; i++) a[i] = rng.uniformIn(-bound, bound);
}

function fillNormal(rng: Rng, a: Float64Array, std: number): void {
  for (let i = 0; i < a.length; i++) a[i] = std * rng.normal();
}

/** U(0, 1] rather than [0, 1): the logarithms below need a positive argument. */
function uniformPositive(rng: Rng): number {
  return 1 - rng.uniform();
}

function initLru(m: Record<string, Float64Array>, H: number, N: number, init: SuccessorInit, rng: Rng): void {
  const r_min = init.r_min ?? LRU_RING.r_min;
  const r_max = init.r_max ?? LRU_RING.r_max;
  const maxPhase = init.maxPhase ?? LRU_RING.maxPhase;
  for (let k = 0; k < N; k++) {
    const mod2 = uniformPositive(rng) * (r_max * r_max - r_min * r_min) + r_min * r_min; // |λ|², uniform: λ uniform by area
    const nu = -0.5 * Math.log(mod2); // |λ| = exp(−ν)
    m.nu_log[k] = Math.log(nu);
    m.theta_log[k] = Math.log(maxPhase * uniformPositive(rng));
    m.gamma_log[k] = 0.5 * Math.log(1 - mod2); // γ = √(1 − |λ|²)
  }
  fillNormal(rng, m.B_re, 1 / Math.sqrt(2 * H));
  fillNormal(rng, m.B_im, 1 / Math.sqrt(2 * H));
  fillNormal(rng, m.C_re, 1 / Math.sqrt(N));
  fillNormal(rng, m.C_im, 1 / Math.sqrt(N));
  fillNormal(rng, m.D, 1);
}

/** softplus⁻¹(y) = y + log(1 − e^{−y}), so that softplus(bias) = Δ exactly. */
export function inverseSoftplus(y: number): number {
  return y + Math.log(-Math.expm1(-y));
}

function initMamba(m: Record<string, Float64Array>, H: number, N: number, init: SuccessorInit, rng: Rng): void {
  const dtMin = init.dtMin ?? MAMBA_DT.dtMin;
  const dtMax = init.dtMax ?? MAMBA_DT.dtMax;
  for (let h = 0; h < H; h++) for (let k = 0; k < N; k++) m.A_log[h * N + k] = Math.log(k + 1); // A = −(1 … N)
  m.D.fill(1);
  fillUniform(rng, m['dt_proj.weight'], 1 / Math.sqrt(H));
  for (let h = 0; h < H; h++) {
    const dt = Math.max(Math.exp(rng.uniform() * (Math.log(dtMax) - Math.log(dtMin)) + Math.log(dtMin)), MAMBA_DT.dtFloor);
    m['dt_proj.bias'][h] = inverseSoftplus(dt);
  }
  fillUniform(rng, m['B_proj.weight'], 1 / Math.sqrt(H));
  fillUniform(rng, m['C_proj.weight'], 1 / Math.sqrt(H));
}

function initRwkv(m: Record<string, Float64Array>, H: number, l: number, L: number, rng: Rng): void {
  const ratio = L > 1 ? l / (L - 1) : 0; // 0 at the bottom layer, 1 at the top
  for (let h = 0; h < H; h++) {
    const frac = H > 1 ? h / (H - 1) : 0;
    m.w_log[h] = -5 + 8 * Math.pow(frac, 0.7 + 1.3 * ratio);
    m.u[h] = Math.log(0.3) + 0.5 * (((h + 1) % 3) - 1);
  }
  for (const name of ['key.weight', 'value.weight', 'receptance.weight']) fillUniform(rng, m[name], 1 / Math.sqrt(H));
}

export function initSuccessorModel(spec: SuccessorSpec, rng: Rng, init: SuccessorInit = {}): SuccessorModel {
  const params = zeroSuccessorParams(spec);
  const H = spec.hiddenSize;
  const N = hasStateSize(spec.cell) ? spec.stateSize : 0;
  for (let l = 0; l < spec.numLayers; l++) {
    const D = blockInputSize(spec, l);
    const p = tensorsUnder(params, `layers.${l}.`);
    for (const name of ['in_proj.weight', 'in_proj.bias', 'gate_proj.weight', 'gate_proj.bias']) fillUniform(rng, p[name], 1 / Math.sqrt(D));
    const m = tensorsUnder(params, `layers.${l}.mixer.`);
    if (spec.cell === 'lru') initLru(m, H, N, init, rng);
    else if (spec.cell === 'mamba') initMamba(m, H, N, init, rng);
    else if (spec.cell === 'rwkv') initRwkv(m, H, l, spec.numLayers, rng);
    else for (const t of Object.values(m)) fillUniform(rng, t, 1 / Math.sqrt(H)); // mingru, attention: Linear's default (fan_in H)
  }
  fillUniform(rng, params['readout.weight'].data, 1 / Math.sqrt(H));
  fillUniform(rng, params['readout.bias'].data, 1 / Math.sqrt(H));
  return { spec, params };
}
