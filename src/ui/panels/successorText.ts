/**
 * What the RNN-only panels say for a successor block (lru, mamba, rwkv, mingru, attention): how
 * its state moves in time instead of through W_hh, in one clause each, true of the block as
 * src/engine/successors defines it.
 */
import type { SuccessorKind } from '../../engine/successors/spec';

export const KIND_LABEL: Record<SuccessorKind, string> = { lru: 'LRU', mamba: 'Mamba', rwkv: 'RWKV', mingru: 'minGRU', attention: 'attention' };

/** How the block carries information from step to step. */
export const HOW_IT_REMEMBERS: Record<SuccessorKind, string> = {
  lru: 'its state is a complex vector multiplied by the same diagonal λ at every step, whatever the input (|λ| < 1 by construction, so it always decays)',
  mamba: 'its state decays by exp(Δ_t·A), where the step size Δ_t is computed from the input: it chooses what to keep',
  rwkv: 'it keeps two running sums, decayed by e^(−w) per channel at every step',
  mingru: 'its state is mixed with a candidate by a gate z_t computed from the input alone, never from the state',
  attention: 'it has no state: every step reads every earlier step directly, weighted by softmax(q·k/√d)',
};

/** How each block starts, as src/engine/successors/init.ts draws it (in, gate and readout maps: PyTorch's Linear default). */
export const HOW_IT_STARTS: Record<SuccessorKind, string> = {
  lru: "The paper's own start, on the ring set above: λ uniform by area over r_min ≤ |λ| ≤ r_max with phases in [0, θ_max], and γ = √(1 − |λ|²) so the state keeps its scale (Orvieto et al. 2023).",
  mamba: "The paper's own start: A = −(1, 2, …, N) in every channel (S4D-real), D = 1, and Δ log-uniform in [0.001, 0.1] through dt_proj's bias (Gu & Dao 2023).",
  rwkv: "RWKV-4's own start: per-channel decays e^(−w) spread from 0.993 (slow) to almost 0 (fast), and a bonus u = ln 0.3 ± 0.5 for the current token.",
  mingru: "PyTorch's default for every map (uniform in ±1/√fan-in): minGRU has no recurrent weights to initialize.",
  attention: 'PyTorch\'s default for every map (uniform in ±1/√fan-in): attention has no recurrent weights to initialize.',
};
