/**
 * Tagging where the future matters: label every step with the next marker to come.
 *
 * Each step is a marker m ∈ {0..K−1} with probability q (uniform over the K markers) or noise with
 * probability 1 − q; inputs are one-hot of size K + 1 (markers 0..K−1, noise = K). The label of step
 * t is the first marker at or after t. Steps with no marker from t to the end have no label and are
 * masked out.
 *
 * A marker step labels itself, so that part is easy for anyone. A noise step's label lies entirely
 * in the future: it is independent of every input up to t. So a left-to-right network can do no
 * better than the memoryless guess, while a bidirectional one, which reads the sequence backwards
 * too, can reach 100%.
 *
 * Baseline (best guess from the current input and the step index): the marker itself at a marker
 * step (always right), any fixed class at a noise step (right with probability 1/K). With r = 1 − q
 * and m = T − t steps from t to the end, step t is scored with probability 1 − r^m and guessed
 * right with probability q + r(1 − r^(m−1))/K. Accuracy pooled over a batch tends to the ratio
 *   Σ_t [q + r(1 − r^(T−t−1))/K] / Σ_t [1 − r^(T−t)].
 */
import type { Batch } from '../batch';
import type { Rng } from '../rng';
import { accuracy, intKnob, realKnob } from './common';
import type { FutureTagSpec, Task, TaskInfo } from './types';

/** The memoryless baseline above, in closed form. */
export function futureTagBaseline(T: number, K: number, q: number): number {
  const r = 1 - q;
  let correct = 0;
  let scored = 0;
  for (let t = 0; t < T; t++) {
    const m = T - t;
    correct += q + (r * (1 - r ** (m - 1))) / K;
    scored += 1 - r ** m;
  }
  return correct / scored;
}

export function makeFutureTag(spec: FutureTagSpec): Task {
  const T = intKnob('future_tag: T', spec.T, 30, 1);
  const K = intKnob('future_tag: K', spec.K, 4, 2, 64);
  const q = realKnob('future_tag: markerProb', spec.markerProb, 0.2, 0.01, 1);
  const D = K + 1; // markers, then noise
  const NOISE_ID = K;
  const baseline = futureTagBaseline(T, K, q);

  const info: TaskInfo = {
    id: 'future_tag',
    name: 'Tag with the next marker',
    description:
      `Most steps are noise; about ${Math.round(q * 100)}% carry one of ${K} markers. Label every step with ` +
      `the first marker at or after it. The answer for a noise step lies in the future: only a ` +
      `bidirectional network can know it.`,
    inputSize: D,
    outputSize: K,
    T,
    loss: 'cross_entropy',
    readout: 'every_step',
    metric: { name: 'accuracy on labelled steps', higherIsBetter: true },
    baseline: {
      value: baseline,
      explanation:
        `Copy the marker at a marker step, guess one fixed label at a noise step (right 1 time in ${K}): ` +
        `${(baseline * 100).toFixed(1)}%. A left-to-right network cannot do better, since a noise step's ` +
        `label does not depend on anything before it.`,
    },
    floor: { value: 1, explanation: 'A network that reads the whole sequence knows every label.' },
  };

  function batch(rng: Rng, B: number): Batch {
    const x = new Float64Array(T * B * D); // (T, B, D)
    const target = new Float64Array(T * B); // (T, B), 0 where unlabelled
    const mask = new Float64Array(T * B); // (T, B)
    const symbol = new Int32Array(T); // (T) one sequence, drawn first so labels can look ahead
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < T; t++) symbol[t] = rng.uniform() < q ? rng.int(K) : NOISE_ID;
      let next = -1; // the first marker at or after t, scanning backwards
      for (let t = T - 1; t >= 0; t--) {
        if (symbol[t] !== NOISE_ID) next = symbol[t];
        x[(t * B + b) * D + symbol[t]] = 1;
        if (next >= 0) {
          target[t * B + b] = next;
          mask[t * B + b] = 1;
        }
      }
    }
    return { B, T, inputSize: D, x, target, mask };
  }

  // outputs (T, B, K) logits.
  const metric = (outputs: Float64Array, b: Batch): number => accuracy(outputs, b.target, b.mask, K);

  return { info, batch, metric };
}
