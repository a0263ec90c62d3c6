/** The vanilla RNN's elementwise step in float64, φ and φ' from the engine's own cell. */
import { activate, derivativeFromOutput } from '../../engine/cells/rnn';
import type { Nonlinearity } from '../../engine/model';
import type { Activation } from '../../train/kernels';
import type { FloatArena } from './arena';

const PHI: Nonlinearity[] = ['tanh', 'relu', 'linear'];

/** a (B, H) pre-activations → h = φ(a) in place, copied to hout (row stride ldo) */
export function rnnForward(m: FloatArena, act: Activation, B: number, H: number, a: number, hout: number, ldo: number): void {
  const phi = PHI[act];
  for (let b = 0; b < B; b++)
    for (let j = 0; j < H; j++) {
      const h = (m[a + b * H + j] = activate(phi, m[a + b * H + j]));
      m[hout + b * ldo + j] = h;
    }
}

/** dout (row stride ldo) ← total ∂L/∂h_t = dout + dnext; dnext ← 0; dA (B, H) ← ∂L/∂a = ∂h φ'(a) */
export function rnnBackward(m: FloatArena, act: Activation, B: number, H: number, h: number, dout: number, ldo: number, dnext: number, dA: number): void {
  const phi = PHI[act];
  for (let b = 0; b < B; b++)
    for (let j = 0; j < H; j++) {
      const k = b * H + j;
      const o = dout + b * ldo + j;
      const dh = (m[o] = m[o] + m[dnext + k]);
      m[dnext + k] = 0;
      m[dA + k] = dh * derivativeFromOutput(phi, m[h + k]);
    }
}
