/**
 * How a successor block remembers, for one example, in the quantities its paper names: what the
 * page draws where an RNN's W_hh spectrum would be. All of the first block (the one that reads the
 * input), from the model's weights and the example's inputs:
 *   lru        λ = exp(−exp(ν) + i·exp(θ)), the recurrence's eigenvalues exactly (its transition
 *              is diagonal); |λ| = exp(−exp(ν)) < 1 for every ν, so always inside the unit circle
 *   rwkv       each channel's decay e^(−w) per step, w = exp(w_log) > 0
 *   mamba      per step and channel the slowest of its N decays, exp(Δ_t·max_n A[h, n]), with
 *              Δ_t = softplus(dt_proj(v_t)): where it keeps (near 1) and where it forgets
 *   mingru     per step and channel 1 − z_t, the share of h_{t−1} kept
 *   attention  per head the weights softmax_{τ ≤ t}(q_t·k_τ/√d) (T × T, zero above the diagonal)
 */
import { sigmoid } from '../linalg';
import { causalWeights, positioned } from './attention';
import { softplus } from './mamba';
import { linear } from './mixer';
import { tensorsUnder, type SuccessorKind, type SuccessorModel } from './spec';

export type SuccessorMemory =
  | { kind: 'lru'; /** [re, im] per state, by modulus descending */ eigenvalues: [number, number][] }
  | { kind: 'rwkv'; /** (H) e^(−w) per channel */ decays: number[] }
  | { kind: 'mamba' | 'mingru'; T: number; H: number; /** (T, H) kept per step and channel, in [0, 1] */ kept: Float64Array }
  | { kind: 'attention'; T: number; heads: number; /** (heads, T, T) weights of query t over key τ */ weights: Float64Array };

/**
 * @param x (T, D) one example's inputs
 */
export function successorMemory(model: SuccessorModel, x: Float64Array, T: number): SuccessorMemory {
  const { spec, params } = model;
  const H = spec.hiddenSize;
  const D = spec.inputSize;
  const p = tensorsUnder(params, 'layers.0.');
  const m = tensorsUnder(params, 'layers.0.mixer.');
  const kind: SuccessorKind = spec.cell;
  if (kind === 'lru') {
    const eigenvalues = Array.from(m.nu_log, (nu, k): [number, number] => {
      const r = Math.exp(-Math.exp(nu));
      const theta = Math.exp(m.theta_log[k]);
      return [r * Math.cos(theta), r * Math.sin(theta)];
    });
    return { kind, eigenvalues: eigenvalues.sort((a, b) => Math.hypot(b[0], b[1]) - Math.hypot(a[0], a[1])) };
  }
  if (kind === 'rwkv') return { kind, decays: Array.from(m.w_log, (wl) => Math.exp(-Math.exp(wl))) };
  const v = linear(x, p['in_proj.weight'], p['in_proj.bias'], T, H, D); // (T, H) the mixer's input
  if (kind === 'mamba') {
    const N = spec.stateSize;
    const slowest = new Float64Array(H); // (H) max_n A[h, n] = −min_n exp(A_log[h, n])
    for (let h = 0; h < H; h++) {
      let a = -Infinity;
      for (let n = 0; n < N; n++) a = Math.max(a, -Math.exp(m.A_log[h * N + n]));
      slowest[h] = a;
    }
    const kept = linear(v, m['dt_proj.weight'], m['dt_proj.bias'], T, H, H).map((z, i) => Math.exp(softplus(z) * slowest[i % H])); // (T, H)
    return { kind, T, H, kept };
  }
  if (kind === 'mingru') {
    const kept = linear(v, m['z_proj.weight'], m['z_proj.bias'], T, H, H).map((z) => 1 - sigmoid(z)); // (T, H)
    return { kind, T, H, kept };
  }
  const heads = spec.numHeads;
  const pos = positioned(v, 1, T, H); // (T, H) v_t + PE(t)
  const q = linear(pos, m['q_proj.weight'], null, T, H, H); // (T, H)
  const k = linear(pos, m['k_proj.weight'], null, T, H, H); // (T, H)
  const weights = causalWeights(q, k, 1, T, H, heads); // (heads, T, T): one sequence
  return { kind, T, heads, weights };
}
