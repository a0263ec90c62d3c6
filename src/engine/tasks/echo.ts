/**
 * Delayed echo: a random symbol arrives every step and must be repeated L steps later.
 *
 * The network has to hold a sliding window of the last L symbols, so the lag L is a direct dial for
 * memory: it needs about L·log₂K bits of state. Steps t < L have nothing to echo and are masked.
 */
import type { Batch } from '../batch';
import type { Rng } from '../rng';
import { accuracy, intKnob } from './common';
import type { EchoSpec, Task, TaskInfo } from './types';

export function makeEcho(spec: EchoSpec): Task {
  const T = intKnob('echo: T', spec.T, 20, 2);
  const L = intKnob('echo: lag', spec.lag, 3, 1, T - 1);
  const K = intKnob('echo: K', spec.K, 4, 2, 64);

  const info: TaskInfo = {
    id: 'echo',
    name: `Delayed echo (lag ${L})`,
    description:
      `A random symbol out of ${K} arrives every step; output the symbol seen ${L} step${L === 1 ? '' : 's'} ` +
      `earlier. The first ${L} steps are not scored.`,
    inputSize: K,
    outputSize: K,
    T,
    loss: 'cross_entropy',
    readout: 'every_step',
    metric: { name: 'accuracy on scored steps', higherIsBetter: true },
    baseline: {
      value: 1 / K,
      explanation: `The symbols are independent and uniform, so without memory no guess beats 1/${K}.`,
    },
    floor: { value: 1, explanation: 'The target is a past input, so perfect recall is possible.' },
  };

  function batch(rng: Rng, B: number): Batch {
    const x = new Float64Array(T * B * K); // (T, B, K)
    const symbols = new Int32Array(T * B); // (T, B)
    const target = new Float64Array(T * B); // (T, B), class 0 where masked
    const mask = new Float64Array(T * B); // (T, B)
    for (let t = 0; t < T; t++)
      for (let b = 0; b < B; b++) {
        const s = rng.int(K);
        symbols[t * B + b] = s;
        x[(t * B + b) * K + s] = 1;
        if (t >= L) {
          target[t * B + b] = symbols[(t - L) * B + b];
          mask[t * B + b] = 1;
        }
      }
    return { B, T, inputSize: K, x, target, mask };
  }

  // outputs (T, B, K) logits.
  const metric = (outputs: Float64Array, b: Batch): number => accuracy(outputs, b.target, b.mask, K);

  return { info, batch, metric };
}
