/**
 * Associative recall (Ba et al. 2016, "Using fast weights to attend to the recent past"; the
 * benchmark of H3, Fu, Dao et al. 2023, and, with many queries, of Zoology, Arora et al. 2023).
 *
 * Alphabet of V + K one-hot inputs: 0..V−1 = values, V..V+K−1 = keys. A sequence of T = 2n + 1
 * steps is n key–value pairs, key then value, with n distinct keys (a uniform random subset in
 * random order) and values drawn independently and uniformly (two keys may share a value), then one
 * of the n keys again, chosen uniformly: the query. The answer is the value that followed it, read
 * once, at the last step.
 *
 * The length knob is n, the number of pairs; it can be at most K, since the keys are distinct. The
 * network must hold every pair until the query comes, about n·log₂V bits indexed by key: attention
 * answers by looking the key up, a recurrent network must compress all n pairs into its state.
 *
 * Output classes: V, the values, so an output id is the input id of the same value.
 */
import type { Batch } from '../batch';
import type { Rng } from '../rng';
import { accuracy, intKnob, meanCrossEntropy } from './common';
import type { AssociativeRecallSpec, Task, TaskInfo } from './types';

/** Keys to choose from in the playground: its pairs knob goes up to this many. */
export const RECALL_KEYS = 32;

export function makeAssociativeRecall(spec: AssociativeRecallSpec): Task {
  const K = intKnob('associative_recall: keys', spec.keys, RECALL_KEYS, 1, 256);
  const n = intKnob('associative_recall: pairs', spec.pairs, 8, 1, K);
  const V = intKnob('associative_recall: values', spec.values, 8, 2, 64);
  const D = V + K;
  const T = 2 * n + 1;

  const info: TaskInfo = {
    id: 'associative_recall',
    name: 'Associative recall',
    description:
      `${n} pairs go by, each a key (${n} different keys out of ${K}) followed by its value (one of ${V}); ` +
      `then one of the keys again. Answer the value that came with it. Read once, at the last step.`,
    inputSize: D,
    outputSize: V,
    T,
    loss: 'cross_entropy',
    readout: 'final_step',
    metric: { name: 'accuracy on the answer', higherIsBetter: true },
    baseline: {
      value: 1 / V,
      explanation:
        `The last input is the queried key, but its value was drawn uniformly from the ${V} whatever the ` +
        `key, so without memory no guess beats 1/${V} = ${(100 / V).toFixed(1)}% ` +
        `(a cross-entropy of ln ${V} = ${Math.log(V).toFixed(3)} nats per answer).`,
    },
    secondaryMetric: { name: 'cross-entropy per answer', unit: 'nats', higherIsBetter: false },
    floor: { value: 1, explanation: 'The queried pair is in the input, so every answer can be right.' },
  };

  function batch(rng: Rng, B: number): Batch {
    const x = new Float64Array(T * B * D); // (T, B, D)
    const target = new Float64Array(B); // (B) the queried value
    // (K) its first n become a sequence's keys. Not reset between sequences: each draw below is
    // uniform over the keys left, whatever their order.
    const keys = Array.from({ length: K }, (_, k) => k);
    const values = new Int32Array(n); // (n) this sequence's values
    for (let b = 0; b < B; b++) {
      for (let i = 0; i < n; i++) {
        // Partial Fisher–Yates: keys[i] is drawn uniformly from the keys not used yet.
        const j = i + rng.int(K - i);
        [keys[i], keys[j]] = [keys[j], keys[i]];
        values[i] = rng.int(V);
        x[(2 * i * B + b) * D + V + keys[i]] = 1;
        x[((2 * i + 1) * B + b) * D + values[i]] = 1;
      }
      const q = rng.int(n); // which pair is asked for
      x[(2 * n * B + b) * D + V + keys[q]] = 1;
      target[b] = values[q];
    }
    return { B, T, inputSize: D, x, target };
  }

  // outputs (B, V) logits at the last step.
  const metric = (outputs: Float64Array, b: Batch): number => accuracy(outputs, b.target, undefined, V);
  const secondaryMetric = (outputs: Float64Array, b: Batch): number => meanCrossEntropy(outputs, b.target, undefined, V);

  return { info, batch, metric, secondaryMetric };
}
