/**
 * The affine part every cell shares: a = W_ih x + b_ih + W_hh h + b_hh, (B, G·H), and its backward
 * step. Given ∂L/∂a, add the gradients of W_ih, W_hh, b_ih, b_hh (unless `grads` is null) and
 * return ∂L/∂x and ∂L/∂h_prev.
 */
import { addBias, addColumnSums, addMatMul, addMatMulAT, addMatMulBT } from '../linalg';
import type { LayerParams } from '../model';
import type { StepCache, StepDims } from './types';

/** (B, G·H) = W_ih x + b_ih + W_hh h_prev + b_hh */
export function affineForward(p: LayerParams, x: Float64Array, h_prev: Float64Array, G: number, { B, D, H }: StepDims): Float64Array {
  const a = new Float64Array(B * G); // (B, G·H)
  addMatMulBT(a, x, p.W_ih, B, G, D);
  addBias(a, p.b_ih, B, G);
  addMatMulBT(a, h_prev, p.W_hh, B, G, H);
  addBias(a, p.b_hh, B, G);
  return a;
}

/** The parameter gradients of W_ih x + b_ih + W_hh h + b_hh from the gradients of its two halves (GRU's differ: r scales W_hh h + b_hn). */
export function addAffineGrads(grads: LayerParams, dL_dgi: Float64Array, dL_dgh: Float64Array, cache: StepCache, G: number, { B, D, H }: StepDims): void {
  addMatMulAT(grads.W_ih, dL_dgi, cache.x, B, G, D);
  addMatMulAT(grads.W_hh, dL_dgh, cache.h_prev, B, G, H);
  addColumnSums(grads.b_ih, dL_dgi, B, G);
  addColumnSums(grads.b_hh, dL_dgh, B, G);
}

export function affineBackward(
  p: LayerParams,
  grads: LayerParams | null,
  cache: StepCache,
  dL_da: Float64Array,
  G: number,
  { B, D, H }: StepDims,
): { dL_dx: Float64Array; dL_dh_prev: Float64Array } {
  if (grads) addAffineGrads(grads, dL_da, dL_da, cache, G, { B, D, H });
  const dL_dx = new Float64Array(B * D); // (B, D)
  addMatMul(dL_dx, dL_da, p.W_ih, B, G, D);
  const dL_dh_prev = new Float64Array(B * H); // (B, H)
  addMatMul(dL_dh_prev, dL_da, p.W_hh, B, G, H);
  return { dL_dx, dL_dh_prev };
}
