/**
 * Streaming one-step-ahead prediction of a noisy sum of sines.
 *
 * Stream b is s_τ = Σ_k A_k sin(2πτ/P_k + φ_{b,k}) + σ ε_τ, ε_τ ~ N(0, 1), with phases φ_{b,k} ~ U[0, 2π)
 * drawn once per stream. A chunk of T steps gives input x_t = s_τ (the current sample) and
 * target y_t = s_{τ+1} (the next one, noise included); the stream remembers τ, its phases and its
 * last sample, so consecutive chunks continue the same B signals, as online learning needs.
 *
 * Baseline (memoryless): with no memory the best constant guess is the marginal mean, 0, which
 * scores the marginal variance Var s = Σ_k A_k²/2 + σ². Over uniform phases sin² averages to ½ and
 * the components and noise are independent, so the variances add. ("Repeat the last value" is NOT
 * memoryless in this sense: it uses the input; it is a different, stronger reference.)
 * Floor: even a perfect model of the sines cannot predict ε_{τ+1}, so no MSE goes below σ².
 */
import type { Batch } from '../batch';
import type { Rng } from '../rng';
import { intKnob, meanSquaredError, realKnob } from './common';
import type { SineComponent, SinesSpec, Task, TaskInfo, TaskStream } from './types';

export const DEFAULT_SINES: SineComponent[] = [
  { amplitude: 1, period: 16 },
  { amplitude: 0.5, period: 5.3 },
];

export function makeSines(spec: SinesSpec): Task {
  const T = intKnob('sines: T', spec.T, 50, 1);
  const sigma = realKnob('sines: noiseStd', spec.noiseStd, 0.1, 0, 100);
  const components = (spec.components ?? DEFAULT_SINES).map((c, k) => ({
    amplitude: realKnob(`sines: components[${k}].amplitude`, c.amplitude, 1, -1e3, 1e3),
    period: realKnob(`sines: components[${k}].period`, c.period, 16, 1e-3, 1e6),
  }));
  const C = components.length;
  const variance = components.reduce((v, c) => v + (c.amplitude * c.amplitude) / 2, 0) + sigma * sigma;

  const info: TaskInfo = {
    id: 'sines',
    name: 'Noisy sines, one step ahead',
    description:
      `An endless stream: the sum of ${C} sine wave${C === 1 ? '' : 's'} (periods ` +
      `${components.map((c) => c.period).join(', ')} steps) plus Gaussian noise of σ = ${sigma}. ` +
      `Each step shows the current value; predict the next one.`,
    inputSize: 1,
    outputSize: 1,
    T,
    loss: 'mse',
    readout: 'every_step',
    metric: { name: 'mean squared error per step', higherIsBetter: false },
    baseline: {
      value: variance,
      explanation:
        `Without memory the best guess is the signal's mean, 0, which scores its variance ` +
        `Σ A²/2 + σ² = ${variance.toFixed(4)}.`,
    },
    floor: { value: sigma * sigma, explanation: `The next step's noise cannot be predicted: σ² = ${(sigma * sigma).toFixed(4)}.` },
  };

  function stream(rng: Rng, B: number): TaskStream {
    const own = rng.fork(0x5e3); // the stream's private generator: later draws on `rng` do not change it
    const phase = new Float64Array(B * C); // (B, C)
    for (let i = 0; i < B * C; i++) phase[i] = 2 * Math.PI * own.uniform();
    let tau = 0; // absolute step of `current`
    const sample = (b: number, at: number): number => {
      let s = 0;
      for (let k = 0; k < C; k++)
        s += components[k].amplitude * Math.sin((2 * Math.PI * at) / components[k].period + phase[b * C + k]);
      return s + sigma * own.normal();
    };
    const current = new Float64Array(B); // (B): s_τ, already drawn, the next chunk's first input
    for (let b = 0; b < B; b++) current[b] = sample(b, 0);

    return {
      B,
      get stepsDone() {
        return tau;
      },
      next(steps = T): Batch {
        const n = intKnob('sines: chunk length', steps, T, 1);
        const x = new Float64Array(n * B); // (T, B, 1)
        const target = new Float64Array(n * B); // (T, B, 1)
        for (let t = 0; t < n; t++) {
          for (let b = 0; b < B; b++) {
            const s = sample(b, tau + 1);
            x[t * B + b] = current[b];
            target[t * B + b] = s;
            current[b] = s;
          }
          tau++;
        }
        return { B, T: n, inputSize: 1, x, target };
      },
    };
  }

  // A one-off chunk of fresh streams, for code that treats every task alike.
  const batch = (rng: Rng, B: number): Batch => stream(rng, B).next(T);

  // outputs (T, B, 1).
  const metric = (outputs: Float64Array, b: Batch): number => meanSquaredError(outputs, b.target, undefined, 1);

  return { info, batch, metric, stream };
}
