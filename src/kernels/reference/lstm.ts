/** The LSTM's elementwise step in float64 (gate order i, f, g, o), as src/engine/cells/lstm.ts. */
import { sigmoid } from '../../engine/linalg';
import type { FloatArena } from './arena';

/** gates (B, 4H) pre-activations → i, f, g, o in place; c, tc (B, H) ← c_t, tanh c_t; hout (row stride ldo) ← h_t */
export function lstmForward(m: FloatArena, B: number, H: number, gates: number, cprev: number, c: number, tc: number, hout: number, ldo: number): void {
  for (let b = 0; b < B; b++) {
    const g0 = gates + b * 4 * H;
    for (let j = 0; j < H; j++) {
      const k = b * H + j;
      const i_t = (m[g0 + j] = sigmoid(m[g0 + j])); // input gate
      const f_t = (m[g0 + H + j] = sigmoid(m[g0 + H + j])); // forget gate
      const g_t = (m[g0 + 2 * H + j] = Math.tanh(m[g0 + 2 * H + j])); // candidate
      const o_t = (m[g0 + 3 * H + j] = sigmoid(m[g0 + 3 * H + j])); // output gate
      const c_t = (m[c + k] = f_t * m[cprev + k] + i_t * g_t);
      const t = (m[tc + k] = Math.tanh(c_t));
      m[hout + b * ldo + j] = o_t * t;
    }
  }
}

/** dout → total ∂L/∂h_t, dnext → 0; dcnext: ∂L/∂c_t from later → ∂L/∂c_{t−1}; dA (B, 4H) ← ∂L/∂a */
export function lstmBackward(m: FloatArena, B: number, H: number, gates: number, cprev: number, tc: number, dout: number, ldo: number, dnext: number, dcnext: number, dA: number): void {
  for (let b = 0; b < B; b++) {
    const g0 = gates + b * 4 * H;
    const d0 = dA + b * 4 * H;
    for (let j = 0; j < H; j++) {
      const k = b * H + j;
      const i_t = m[g0 + j];
      const f_t = m[g0 + H + j];
      const g_t = m[g0 + 2 * H + j];
      const o_t = m[g0 + 3 * H + j];
      const tanh_c = m[tc + k];
      const o = dout + b * ldo + j;
      const dh = (m[o] = m[o] + m[dnext + k]); // total ∂L/∂h_t
      m[dnext + k] = 0;
      // h = o ⊙ tanh(c): the cell state's total gradient adds the path through h.
      const dc = m[dcnext + k] + dh * o_t * (1 - tanh_c * tanh_c);
      m[d0 + j] = dc * g_t * i_t * (1 - i_t); // ∂/∂i through c = f c_prev + i g
      m[d0 + H + j] = dc * m[cprev + k] * f_t * (1 - f_t); // ∂/∂f
      m[d0 + 2 * H + j] = dc * i_t * (1 - g_t * g_t); // ∂/∂g
      m[d0 + 3 * H + j] = dh * tanh_c * o_t * (1 - o_t); // ∂/∂o
      m[dcnext + k] = dc * f_t;
    }
  }
}
