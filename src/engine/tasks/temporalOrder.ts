/**
 * Temporal order (Hochreiter & Schmidhuber 1997, experiment 6a): sequence classification read
 * once, at the last step.
 *
 * Symbols (one-hot, 8): a b c d (noise), X Y (relevant), E (start), B (end). The
 * sequence starts with E, ends with B, and two relevant symbols sit at random steps t₁ and t₂ in
 * fixed windows, t₁ ∈ [0.1T, 0.2T], t₂ ∈ [0.5T, 0.6T] (the paper's [10, 20] and [50, 60] at
 * T = 100; the paper also varied T over 100–110, here T is fixed so that batches are rectangular).
 * The class is their order: XX = 0, XY = 1, YX = 2, YY = 3. The network must keep 2 bits across
 * ~0.4T steps of distractors.
 */
import type { Batch } from '../batch';
import type { Rng } from '../rng';
import { accuracy, intKnob } from './common';
import type { Task, TaskInfo, TemporalOrderSpec } from './types';

/** Symbol ids of the temporal order task. */
export const TEMPORAL_ORDER_SYMBOLS = ['a', 'b', 'c', 'd', 'X', 'Y', 'E', 'B'] as const;
const X_ID = 4;
const START_ID = 6;
const END_ID = 7;
const NOISE = 4; // ids 0..3

export function makeTemporalOrder(spec: TemporalOrderSpec): Task {
  const T = intKnob('temporal_order: T', spec.T, 50, 10);
  const D = TEMPORAL_ORDER_SYMBOLS.length;
  const C = 4; // classes XX, XY, YX, YY
  // Inclusive windows; at T ≥ 10 they are non-empty, disjoint and clear of the first and last step.
  const w1 = [Math.round(0.1 * T), Math.round(0.2 * T)];
  const w2 = [Math.round(0.5 * T), Math.round(0.6 * T)];

  const info: TaskInfo = {
    id: 'temporal_order',
    name: 'Temporal order',
    description:
      `${T} steps of noise symbols a–d between a start mark E and an end mark B. Two steps, one in ` +
      `[${w1[0]}, ${w1[1]}] and one in [${w2[0]}, ${w2[1]}], hold X or Y. At the end, say which order ` +
      `came: XX, XY, YX or YY.`,
    inputSize: D,
    outputSize: C,
    T,
    loss: 'cross_entropy',
    readout: 'final_step',
    metric: { name: 'accuracy', higherIsBetter: true },
    baseline: {
      value: 0.25,
      explanation: 'The four orders are equally likely and the last input (always B) says nothing: 1/4.',
    },
  };

  function batch(rng: Rng, B: number): Batch {
    const x = new Float64Array(T * B * D); // (T, B, D)
    const target = new Float64Array(B); // (B)
    for (let b = 0; b < B; b++) {
      const t1 = w1[0] + rng.int(w1[1] - w1[0] + 1);
      const t2 = w2[0] + rng.int(w2[1] - w2[0] + 1);
      const s1 = rng.int(2); // 0 = X, 1 = Y
      const s2 = rng.int(2);
      for (let t = 0; t < T; t++) {
        let symbol: number;
        if (t === 0) symbol = START_ID;
        else if (t === T - 1) symbol = END_ID;
        else if (t === t1) symbol = X_ID + s1;
        else if (t === t2) symbol = X_ID + s2;
        else symbol = rng.int(NOISE);
        x[(t * B + b) * D + symbol] = 1;
      }
      target[b] = 2 * s1 + s2;
    }
    return { B, T, inputSize: D, x, target };
  }

  // outputs (B, C) logits.
  const metric = (outputs: Float64Array, b: Batch): number => accuracy(outputs, b.target, undefined, C);

  return { info, batch, metric };
}
