/**
 * Parity of a bit string, read at the last step: T bits (input size 1, value 0 or 1), class = their
 * sum mod 2. Every bit matters until the end and no single bit, nor any proper subset, says
 * anything about the answer, so the network must carry one exact bit of state through all T steps.
 */
import type { Batch } from '../batch';
import type { Rng } from '../rng';
import { accuracy, intKnob } from './common';
import type { ParitySpec, Task, TaskInfo } from './types';

export function makeParity(spec: ParitySpec): Task {
  const T = intKnob('parity: T', spec.T, 8, 1);

  const info: TaskInfo = {
    id: 'parity',
    name: 'Parity',
    description: `Read ${T} random bits, one per step; at the end, say whether the number of ones is odd.`,
    inputSize: 1,
    outputSize: 2,
    T,
    loss: 'cross_entropy',
    readout: 'final_step',
    metric: { name: 'accuracy', higherIsBetter: true },
    baseline: {
      value: 0.5,
      explanation: 'Even and odd are equally likely, and the last bit alone says nothing about the others: 1/2.',
    },
  };

  function batch(rng: Rng, B: number): Batch {
    const x = new Float64Array(T * B); // (T, B, 1)
    const target = new Float64Array(B); // (B)
    for (let b = 0; b < B; b++) {
      let ones = 0;
      for (let t = 0; t < T; t++) {
        const bit = rng.int(2);
        x[t * B + b] = bit;
        ones += bit;
      }
      target[b] = ones % 2;
    }
    return { B, T, inputSize: 1, x, target };
  }

  // outputs (B, 2) logits.
  const metric = (outputs: Float64Array, b: Batch): number => accuracy(outputs, b.target, undefined, 2);

  return { info, batch, metric };
}
