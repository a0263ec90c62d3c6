/**
 * Associative recall (Ba et al. 2016, "Using fast weights to attend to the recent past"; the
 * benchmark of H3, Fu, Dao et al. 2023, and, with many queries, of Zoology, Arora et al. 2023).
 *
 * Input of V + K units: 0..V−1 = values, V..V+K−1 = keys. A sequence of T = n + 1 steps shows n
 * key–value pairs, one pair per step (its key's unit and its value's unit both 1), with n distinct
 * keys (a uniform random subset in random order) and values drawn independently and uniformly (two
 * keys may share a value); then, at the last step, one of the n keys alone (no value unit set),
 * chosen uniformly: the query. The answer is the value shown with it, read once, at the last step.
 *
 * Why a pair shares a step: the papers' language models see key and value as two tokens, and
 * their transformers read "the token after the matching key" with two layers and a residual
 * stream (an induction head). Our block has neither a residual path nor a token shift (o = c ⊙
 * silu(gate(u)), reference/README.md), and measured on it, 1 and 2 attention layers stayed near
 * chance with the pairs split over two steps (8 pairs, H = 32, 3 000 steps: 0.32 and 0.16). With
 * key and value in one step a single attention layer is a true one-hop lookup (query · key picks
 * the step, its value comes back), while a recurrent state must still hold all n pairs.
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
/** V, the values in the playground: the baseline is 1/V. */
export const RECALL_VALUES = 8;

export function makeAssociativeRecall(spec: AssociativeRecallSpec): Task {
  const K = intKnob('associative_recall: keys', spec.keys, RECALL_KEYS, 1, 256);
  const n = intKnob('associative_recall: pairs', spec.pairs, 8, 1, K);
  const V = intKnob('associative_recall: values', spec.values, RECALL_VALUES, 2, 64);
  const D = V + K;
  const T = n + 1;

  const info: TaskInfo = {
    id: 'associative_recall',
    name: 'Associative recall',
    description:
      `${n} pairs go by, one a step: a key (${n} different keys out of ${K}) shown with its value (one of ${V}); ` +
      `then one of the keys again, alone. Answer the value that came with it. Read once, at the last step.`,
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
        x[(i * B + b) * D + V + keys[i]] = 1; // step i: the pair's key …
        x[(i * B + b) * D + values[i]] = 1; // … and its value
      }
      const q = rng.int(n); // which pair is asked for
      x[(n * B + b) * D + V + keys[q]] = 1;
      target[b] = values[q];
    }
    return { B, T, inputSize: D, x, target };
  }

  // outputs (B, V) logits at the last step.
  const metric = (outputs: Float64Array, b: Batch): number => accuracy(outputs, b.target, undefined, V);
  const secondaryMetric = (outputs: Float64Array, b: Batch): number => meanCrossEntropy(outputs, b.target, undefined, V);

  return { info, batch, metric, secondaryMetric };
}
