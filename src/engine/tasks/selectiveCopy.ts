/**
 * Selective copying (Gu & Dao 2023, "Mamba", §3.1, Figure 2 and Table 1).
 *
 * Alphabet of K + 2 one-hot inputs: 0..K−1 = data symbols, K = noise (the paper's white token),
 * K + 1 = the recall mark. A sequence of T = S + 2N steps is a context of S + N steps in which N
 * data symbols sit at N distinct random steps (uniform over all subsets) and the S others are noise,
 * then N steps of the recall mark. The target at the i-th recall step is the i-th data symbol, in
 * the order they came; only the N recall steps are scored (mask).
 *
 * The length knob is S, the number of noise steps, as copy memory's is its delay: every S ≥ 0 makes
 * a valid sequence, and the data symbols stay N however long the context.
 *
 * Why it differs from copy memory: there the symbols always sit at the first steps, so a
 * time-invariant filter with a fixed delay can solve it. Here their steps change with every
 * sequence, so the network must decide by *what* it reads, not by *when*, which steps to keep: the
 * input-dependent selection that separates Mamba from S4 in the paper's Table 1 (sequences of 4096
 * steps and 16 symbols there; a few here, so that it trains in seconds).
 *
 * Output classes: K, the data symbols, so an output id is the input id of the same symbol. Noise and
 * the mark are never targets, so they get no output unit.
 */
import type { Batch } from '../batch';
import type { Rng } from '../rng';
import { accuracy, intKnob, meanCrossEntropy } from './common';
import type { SelectiveCopySpec, Task, TaskInfo } from './types';

/** N and K in the playground, whose one knob for this task is the noise S. */
export const SELECTIVE_COPY_TOKENS = 4;
export const SELECTIVE_COPY_SYMBOLS = 8;

export function makeSelectiveCopy(spec: SelectiveCopySpec): Task {
  const S = intKnob('selective_copy: noise', spec.noise, 20, 0);
  const N = intKnob('selective_copy: tokens', spec.tokens, SELECTIVE_COPY_TOKENS, 1, 64);
  const K = intKnob('selective_copy: K', spec.K, SELECTIVE_COPY_SYMBOLS, 2, 64);
  const NOISE = K; // input id of a noise step
  const MARK = K + 1; // input id of a recall step
  const D = K + 2;
  const C = S + N; // context steps, where the symbols are scattered
  const T = C + N;

  const info: TaskInfo = {
    id: 'selective_copy',
    name: 'Selective copying',
    description:
      `${N} symbols (from ${K}) sit at random steps among ${S} noise steps; then ${N} recall marks ask ` +
      `for the symbols back, in the order they came. Where the symbols sit changes every sequence, so ` +
      `the network must choose what to keep by what it reads, not by when. Only the ${N} recalls are scored.`,
    inputSize: D,
    outputSize: K,
    T,
    loss: 'cross_entropy',
    readout: 'every_step',
    metric: { name: 'accuracy on the recalled symbols', higherIsBetter: true },
    baseline: {
      value: 1 / K,
      explanation:
        `At a recall step the input is always the mark, and the symbol asked for is uniform over the ${K} ` +
        `whatever the step, so without memory no guess beats 1/${K} = ${(100 / K).toFixed(1)}% ` +
        `(a cross-entropy of ln ${K} = ${Math.log(K).toFixed(3)} nats per recalled symbol).`,
    },
    secondaryMetric: { name: 'cross-entropy per recalled symbol', unit: 'nats', higherIsBetter: false },
    floor: { value: 1, explanation: 'Every symbol asked for is in the input, so perfect recall is possible.' },
  };

  function batch(rng: Rng, B: number): Batch {
    const x = new Float64Array(T * B * D); // (T, B, D)
    const target = new Float64Array(T * B); // (T, B), class 0 where masked
    const mask = new Float64Array(T * B); // (T, B), 1 at the N recall steps
    for (let b = 0; b < B; b++) {
      // Selection sampling (Knuth's Algorithm S): step t holds a symbol with probability
      // (symbols still to place) / (steps left), which makes every N-subset of the C steps equally
      // likely and yields the steps in order, so the i-th one placed is the i-th one recalled.
      let placed = 0;
      for (let t = 0; t < C; t++) {
        let id = NOISE;
        if (rng.uniform() * (C - t) < N - placed) {
          id = rng.int(K);
          const r = (C + placed) * B + b; // the recall step that asks for it
          target[r] = id;
          mask[r] = 1;
          placed++;
        }
        x[(t * B + b) * D + id] = 1;
      }
      for (let t = C; t < T; t++) x[(t * B + b) * D + MARK] = 1;
    }
    return { B, T, inputSize: D, x, target, mask };
  }

  // outputs (T, B, K) logits; both scores count the recall steps only.
  const metric = (outputs: Float64Array, b: Batch): number => accuracy(outputs, b.target, b.mask, K);
  const secondaryMetric = (outputs: Float64Array, b: Batch): number => meanCrossEntropy(outputs, b.target, b.mask, K);

  return { info, batch, metric, secondaryMetric };
}
