/**
 * Vanilla RNN (Elman), as torch.nn.RNN:
 *   h_t = φ(W_ih x_t + b_ih + W_hh h_{t−1} + b_hh),   φ ∈ {tanh, relu, linear}
 */
import { addBias, addColumnSums, addMatMul, addMatMulAT, addMatMulBT } from '../linalg';
import type { LayerParams, Nonlinearity } from '../model';
import type { Cell, StepCache, StepDims, StepGrads } from './types';

/** φ'(a) written through h = φ(a), so the cache needs no pre-activation. */
function derivativeFromOutput(phi: Nonlinearity, h: number): number {
  if (phi === 'tanh') return 1 - h * h;
  if (phi === 'relu') return h > 0 ? 1 : 0;
  return 1;
}

function activate(phi: Nonlinearity, a: number): number {
  if (phi === 'tanh') return Math.tanh(a);
  if (phi === 'relu') return a > 0 ? a : 0;
  return a;
}

export function rnnCell(phi: Nonlinearity): Cell {
  return {
    hasCellState: false,

    forward(p: LayerParams, x, h_prev, _c_prev, { B, D, H }: StepDims): StepCache {
      const a = new Float64Array(B * H); // (B, H) pre-activation
      addMatMulBT(a, x, p.W_ih, B, H, D);
      addBias(a, p.b_ih, B, H);
      addMatMulBT(a, h_prev, p.W_hh, B, H, H);
      addBias(a, p.b_hh, B, H);
      for (let i = 0; i < a.length; i++) a[i] = activate(phi, a[i]); // now h_t, in place
      return { x, h_prev, c_prev: null, h: a, c: null, gates: a, hn: null };
    },

    backward(p, grads, cache, dL_dh, _dL_dc, { B, D, H }: StepDims): StepGrads {
      const dL_da = new Float64Array(B * H); // (B, H)
      for (let i = 0; i < dL_da.length; i++) dL_da[i] = dL_dh[i] * derivativeFromOutput(phi, cache.h[i]);
      addMatMulAT(grads.W_ih, dL_da, cache.x, B, H, D);
      addMatMulAT(grads.W_hh, dL_da, cache.h_prev, B, H, H);
      addColumnSums(grads.b_ih, dL_da, B, H);
      addColumnSums(grads.b_hh, dL_da, B, H);
      const dL_dx = new Float64Array(B * D); // (B, D)
      addMatMul(dL_dx, dL_da, p.W_ih, B, H, D);
      const dL_dh_prev = new Float64Array(B * H); // (B, H)
      addMatMul(dL_dh_prev, dL_da, p.W_hh, B, H, H);
      return { dL_dx, dL_dh_prev, dL_dc_prev: null };
    },
  };
}
