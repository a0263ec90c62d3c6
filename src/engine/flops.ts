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
import { directionsOf, gatesOf, layerInputSize, type ModelSpec } from './model';

/** Forward FLOPs for a batch of B sequences of T steps; the readout reads `readSteps` of them. */
export function forwardFlops(spec: ModelSpec, B: number, T: number, readSteps: number): number {
  const G = gatesOf(spec.cell);
  const H = spec.hiddenSize;
  const dirs = directionsOf(spec);
  let perStep = 0; // multiply-adds per sequence and time step, all layers and directions
  for (let l = 0; l < spec.numLayers; l++) perStep += dirs * G * H * (layerInputSize(spec, l) + H);
  return 2 * B * T * perStep + 2 * B * readSteps * H * dirs * spec.outputSize;
}

/** One training step: forward, backward (≈ 2× forward). */
export function trainingFlops(spec: ModelSpec, B: number, T: number, readSteps: number): number {
  return 3 * forwardFlops(spec, B, T, readSteps);
}
