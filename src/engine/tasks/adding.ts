/**
 * The adding problem (Hochreiter & Schmidhuber 1997; the form of Le, Jaitly & Hinton 2015).
 *
 * Each step carries a value u_t ~ U[0, 1) and a marker m_t ∈ {0, 1}. Exactly two steps are marked,
 * one in the first half and one in the second, and the network must output their sum at the end.
 * The first marker lies about T steps before the readout, so the task measures how far back a
 * network can carry one number through noise it must ignore.
 */
import type { Batch } from '../batch';
import type { Rng } from '../rng';
import { intKnob, meanSquaredError } from './common';
import type { AddingSpec, Task, TaskInfo } from './types';

export function makeAdding(spec: AddingSpec): Task {
  const T = intKnob('adding: T', spec.T, 50, 2);
  const D = 2; // (value, marker)
  const half = Math.floor(T / 2);

  const info: TaskInfo = {
    id: 'adding',
    name: 'Adding problem',
    description:
      `Each of ${T} steps shows a random number in [0, 1) and a marker bit. Exactly two numbers are ` +
      `marked, one in each half; at the last step, output their sum.`,
    inputSize: D,
    outputSize: 1,
    T,
    loss: 'mse',
    readout: 'final_step',
    metric: { name: 'mean squared error', higherIsBetter: false },
    baseline: {
      value: 1 / 6,
      explanation:
        'Always answering 1, the mean of the sum, scores the variance of a sum of two independent ' +
        'U[0, 1] numbers: 1/12 + 1/12 = 1/6 ≈ 0.167.',
    },
    floor: { value: 0, explanation: 'The sum is exactly determined by the inputs.' },
  };

  function batch(rng: Rng, B: number): Batch {
    const x = new Float64Array(T * B * D); // (T, B, D)
    const target = new Float64Array(B); // (B, 1)
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < T; t++) x[(t * B + b) * D] = rng.uniform();
      // One marker in [0, half), one in [half, T): both halves are non-empty since T ≥ 2.
      const first = rng.int(half);
      const second = half + rng.int(T - half);
      x[(first * B + b) * D + 1] = 1;
      x[(second * B + b) * D + 1] = 1;
      target[b] = x[(first * B + b) * D] + x[(second * B + b) * D];
    }
    return { B, T, inputSize: D, x, target };
  }

  // outputs (B, 1): the mean over the batch of (ŷ − y)².
  const metric = (outputs: Float64Array, b: Batch): number => meanSquaredError(outputs, b.target, undefined, 1);

  return { info, batch, metric };
}
