/**
 * LSTM, as torch.nn.LSTM (gate order i, f, g, o):
 *   [i; f; g; o] = W_ih x_t + b_ih + W_hh h_{t−1} + b_hh, then σ, σ, tanh, σ
 *   c_t = f ⊙ c_{t−1} + i ⊙ g
 *   h_t = o ⊙ tanh(c_t)
 */
import { sigmoid } from '../linalg';
import { affineBackward, affineForward } from './affine';
import type { LayerParams } from '../model';
import type { Cell, StepCache, StepDims, StepGrads } from './types';

export const lstmCell: Cell = {
  hasCellState: true,

  forward(p: LayerParams, x, h_prev, c_prev, dims: StepDims): StepCache {
    const { B, H } = dims;
    const G = 4 * H;
    const gates = affineForward(p, x, h_prev, G, dims); // (B, 4H) pre-activations, then gate values in place
    const c = new Float64Array(B * H); // (B, H)
    const h = new Float64Array(B * H); // (B, H)
    const cp = c_prev as Float64Array;
    for (let b = 0; b < B; b++) {
      const o = b * G;
      for (let j = 0; j < H; j++) {
        const i_t = (gates[o + j] = sigmoid(gates[o + j])); // input gate
        const f_t = (gates[o + H + j] = sigmoid(gates[o + H + j])); // forget gate
        const g_t = (gates[o + 2 * H + j] = Math.tanh(gates[o + 2 * H + j])); // candidate
        const o_t = (gates[o + 3 * H + j] = sigmoid(gates[o + 3 * H + j])); // output gate
        const k = b * H + j;
        c[k] = f_t * cp[k] + i_t * g_t;
        h[k] = o_t * Math.tanh(c[k]);
      }
    }
    return { x, h_prev, c_prev: cp, h, c, gates, hn: null };
  },

  backward(p, grads, cache, dL_dh, dL_dc, dims: StepDims): StepGrads {
    const { B, H } = dims;
    const G = 4 * H;
    const { gates } = cache;
    const c = cache.c as Float64Array;
    const c_prev = cache.c_prev as Float64Array;
    const dL_da = new Float64Array(B * G); // (B, 4H) gradient of the pre-activations
    const dL_dc_prev = new Float64Array(B * H); // (B, H)
    for (let b = 0; b < B; b++) {
      const o = b * G;
      for (let j = 0; j < H; j++) {
        const k = b * H + j;
        const i_t = gates[o + j];
        const f_t = gates[o + H + j];
        const g_t = gates[o + 2 * H + j];
        const o_t = gates[o + 3 * H + j];
        const tanh_c = Math.tanh(c[k]);
        // h = o ⊙ tanh(c): the cell state's total gradient adds the path through h.
        const dc = (dL_dc ? dL_dc[k] : 0) + dL_dh[k] * o_t * (1 - tanh_c * tanh_c);
        dL_da[o + j] = dc * g_t * i_t * (1 - i_t); // ∂/∂i through c = f c_prev + i g
        dL_da[o + H + j] = dc * c_prev[k] * f_t * (1 - f_t); // ∂/∂f
        dL_da[o + 2 * H + j] = dc * i_t * (1 - g_t * g_t); // ∂/∂g
        dL_da[o + 3 * H + j] = dL_dh[k] * tanh_c * o_t * (1 - o_t); // ∂/∂o
        dL_dc_prev[k] = dc * f_t;
      }
    }
    return { ...affineBackward(p, grads, cache, dL_da, G, dims), dL_dc_prev };
  },
};
