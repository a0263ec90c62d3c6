/**
 * Floating-point operations of one training step, counting the matrix products only (they are
 * O(H²) per step and element; the gate arithmetic is O(H) and left out). A multiply-add is 2.
 *
 * Forward, per layer l and direction: every step and sequence multiplies [x_t; h_{t−1}] (in_l + H)
 * by the stacked gate weights (G·H rows): 2·B·T·G·H·(in_l + H), with in_0 = D and
 * in_l = H·directions above. The readout maps each read step's H·directions to Y: 2·B·T_out·H·dirs·Y.
 * Backward costs about twice the forward (one product for dL/dinput, one for dL/dW), so a
 * training step is about 3× the forward.
 */
import { isSuccessorSpec, type AnyModelSpec } from './anyModel';
import { directionsOf, gatesOf, layerInputSize, type ModelSpec } from './model';
import { blockInputSize, type SuccessorSpec } from './successors/spec';

/** Forward FLOPs for a batch of B sequences of T steps; the readout reads `readSteps` of them. */
export function forwardFlops(spec: ModelSpec, B: number, T: number, readSteps: number): number {
  const G = gatesOf(spec.cell);
  const H = spec.hiddenSize;
  const dirs = directionsOf(spec);
  let perStep = 0; // multiply-adds per sequence and time step, all layers and directions
  for (let l = 0; l < spec.numLayers; l++) perStep += dirs * G * H * (layerInputSize(spec, l) + H);
  return 2 * B * T * perStep + 2 * B * readSteps * H * dirs * spec.outputSize;
}

/**
 * Forward FLOPs of a successor stack: per layer, step and sequence in_proj and gate_proj
 * (2·H·D multiply-adds), then the mixer's own products — LRU's B and C (2·N·H complex-as-real
 * pairs: 4·N·H), Mamba's dt_proj, B_proj, C_proj and its H·N state update and read (H² + 4·N·H),
 * RWKV's key, value and receptance (3·H²), minGRU's two maps (2·H²), attention's four maps and
 * its scores and weighted sum over the t ≤ T earlier steps (4·H² + T·H on average, causal).
 */
export function successorForwardFlops(spec: SuccessorSpec, B: number, T: number, readSteps: number): number {
  const H = spec.hiddenSize;
  const N = spec.stateSize;
  const mixer = { lru: 4 * N * H, mamba: H * H + 4 * N * H, rwkv: 3 * H * H, mingru: 2 * H * H, attention: 4 * H * H + T * H }[spec.cell];
  let perStep = 0;
  for (let l = 0; l < spec.numLayers; l++) perStep += 2 * H * blockInputSize(spec, l) + mixer;
  return 2 * B * T * perStep + 2 * B * readSteps * H * spec.outputSize;
}

/** One training step: forward, backward (≈ 2× forward). */
export function trainingFlops(spec: AnyModelSpec, B: number, T: number, readSteps: number): number {
  return 3 * (isSuccessorSpec(spec) ? successorForwardFlops(spec, B, T, readSteps) : forwardFlops(spec, B, T, readSteps));
}
