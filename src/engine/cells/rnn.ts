/**
 * Vanilla RNN (Elman), as torch.nn.RNN:
 *   h_t = φ(W_ih x_t + b_ih + W_hh h_{t−1} + b_hh),   φ ∈ {tanh, relu, linear}
 */
import { affineBackward, affineForward } from './affine';
import type { LayerParams, Nonlinearity } from '../model';
import type { Cell, StepCache, StepDims, StepGrads } from './types';

/** φ'(a) written through h = φ(a), so the cache needs no pre-activation. */
export function derivativeFromOutput(phi: Nonlinearity, h: number): number {
  if (phi === 'tanh') return 1 - h * h;
  if (phi === 'relu') return h > 0 ? 1 : 0;
  return 1;
}

export function activate(phi: Nonlinearity, a: number): number {
  if (phi === 'tanh') return Math.tanh(a);
  if (phi === 'relu') return a < 0 ? 0 : a; // NaN stays NaN, as torch.relu keeps it
  return a;
}

export function rnnCell(phi: Nonlinearity): Cell {
  return {
    hasCellState: false,

    forward(p: LayerParams, x, h_prev, _c_prev, dims: StepDims): StepCache {
      const a = affineForward(p, x, h_prev, dims.H, dims); // (B, H) pre-activation
      for (let i = 0; i < a.length; i++) a[i] = activate(phi, a[i]); // now h_t, in place
      return { x, h_prev, c_prev: null, h: a, c: null, gates: a, hn: null };
    },

    backward(p, grads, cache, dL_dh, _dL_dc, dims: StepDims): StepGrads {
      const { B, H } = dims;
      const dL_da = new Float64Array(B * H); // (B, H)
      for (let i = 0; i < dL_da.length; i++) dL_da[i] = dL_dh[i] * derivativeFromOutput(phi, cache.h[i]);
      return { ...affineBackward(p, grads, cache, dL_da, H, dims), dL_dc_prev: null };
    },
  };
}
