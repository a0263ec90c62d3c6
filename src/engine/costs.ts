/**
 * What a model costs against sequence length, in closed form: the memory a trained model needs to
 * generate step t (a recurrent kind keeps a fixed state; attention keeps every earlier key and
 * value), and the activations one training step keeps for its backward pass. The page measures the
 * time per step beside these (src/worker/costs.ts).
 */
import { isSuccessorSpec, type AnyModelSpec } from './anyModel';
import { stateSize } from './analysis/stateJacobian';
import { directionsOf } from './model';

/** Floats a model carries from generated step t to step t + 1, over all its layers (t from 0). */
export function stateFloatsAt(spec: AnyModelSpec, t: number): number {
  const H = spec.hiddenSize;
  const L = spec.numLayers;
  if (!isSuccessorSpec(spec)) return L * directionsOf(spec) * stateSize(spec.cell, H); // h (and c)
  const N = spec.stateSize;
  const perLayer = { lru: 2 * N, mamba: H * N, rwkv: 2 * H, mingru: H, attention: 2 * H * (t + 1) }[spec.cell]; // complex x; x[h, n]; a and b; h; keys and values so far
  return L * perLayer;
}
