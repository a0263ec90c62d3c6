/**
 * GRU, as torch.nn.GRU (gate order r, z, n):
 *   r = σ(W_ir x + b_ir + W_hr h + b_hr)
 *   z = σ(W_iz x + b_iz + W_hz h + b_hz)
 *   n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))
 *   h' = (1 − z) ⊙ n + z ⊙ h
 * The input and hidden halves stay apart because r multiplies only the hidden part of n.
 */
import { addBias, addMatMul, addMatMulBT, sigmoid } from '../linalg';
import { addAffineGrads } from './affine';
import type { LayerParams } from '../model';
import type { Cell, StepCache, StepDims, StepGrads } from './types';

export const gruCell: Cell = {
  hasCellState: false,

  forward(p: LayerParams, x, h_prev, _c_prev, { B, D, H }: StepDims): StepCache {
    const G = 3 * H;
    const gi = new Float64Array(B * G); // (B, 3H) W_ih x + b_ih; becomes the gate values [r, z, n]
    addMatMulBT(gi, x, p.W_ih, B, G, D);
    addBias(gi, p.b_ih, B, G);
    const gh = new Float64Array(B * G); // (B, 3H) W_hh h + b_hh
    addMatMulBT(gh, h_prev, p.W_hh, B, G, H);
    addBias(gh, p.b_hh, B, G);
    const hn = new Float64Array(B * H); // (B, H) W_hn h + b_hn
    const h = new Float64Array(B * H); // (B, H)
    for (let b = 0; b < B; b++) {
      const o = b * G;
      for (let j = 0; j < H; j++) {
        const r = (gi[o + j] = sigmoid(gi[o + j] + gh[o + j])); // reset gate
        const z = (gi[o + H + j] = sigmoid(gi[o + H + j] + gh[o + H + j])); // update gate
        const k = b * H + j;
        hn[k] = gh[o + 2 * H + j];
        const n = (gi[o + 2 * H + j] = Math.tanh(gi[o + 2 * H + j] + r * hn[k])); // candidate
        h[k] = (1 - z) * n + z * h_prev[k];
      }
    }
    return { x, h_prev, c_prev: null, h, c: null, gates: gi, hn };
  },

  backward(p, grads, cache, dL_dh, _dL_dc, { B, D, H }: StepDims): StepGrads {
    const G = 3 * H;
    const { gates, h_prev } = cache;
    const hn = cache.hn as Float64Array;
    const dL_dgi = new Float64Array(B * G); // (B, 3H) gradient of W_ih x + b_ih
    const dL_dgh = new Float64Array(B * G); // (B, 3H) gradient of W_hh h + b_hh
    const dL_dh_prev = new Float64Array(B * H); // (B, H)
    for (let b = 0; b < B; b++) {
      const o = b * G;
      for (let j = 0; j < H; j++) {
        const k = b * H + j;
        const r = gates[o + j];
        const z = gates[o + H + j];
        const n = gates[o + 2 * H + j];
        const dh = dL_dh[k];
        const dL_dan = dh * (1 - z) * (1 - n * n); // through h' = (1−z) n, n = tanh(·)
        const dL_daz = dh * (h_prev[k] - n) * z * (1 - z); // through h' = n + z (h − n)
        const dL_dar = dL_dan * hn[k] * r * (1 - r); // through r ⊙ (W_hn h + b_hn)
        dL_dgi[o + j] = dL_dar;
        dL_dgh[o + j] = dL_dar;
        dL_dgi[o + H + j] = dL_daz;
        dL_dgh[o + H + j] = dL_daz;
        dL_dgi[o + 2 * H + j] = dL_dan;
        dL_dgh[o + 2 * H + j] = dL_dan * r;
        dL_dh_prev[k] = dh * z; // the direct path through z ⊙ h
      }
    }
    if (grads) addAffineGrads(grads, dL_dgi, dL_dgh, cache, G, { B, D, H });
    const dL_dx = new Float64Array(B * D); // (B, D)
    addMatMul(dL_dx, dL_dgi, p.W_ih, B, G, D);
    addMatMul(dL_dh_prev, dL_dgh, p.W_hh, B, G, H);
    return { dL_dx, dL_dh_prev, dL_dc_prev: null };
  },
};
