/**
 * Copy memory (Hochreiter & Schmidhuber 1997; the form of Arjovsky, Shah & Bengio 2016).
 *
 * Alphabet of 10 one-hot inputs: 0 = blank, 1..8 = data symbols, 9 = delimiter. A sequence of
 * T + 20 steps is: 10 data symbols, T − 1 blanks, the delimiter, 10 blanks. The target is blank
 * for the first T + 10 steps and the 10 data symbols, in order, for the last 10.
 *
 * Output classes: 9 (0 = blank, 1..8 = symbols), so an output id is the input id of the same
 * symbol. The delimiter is never a target, so it gets no output unit (a choice: Arjovsky et al.'s
 * code gives it one that is never right; that changes nothing but a dead logit).
 */
import type { Batch } from '../batch';
import type { Rng } from '../rng';
import { argmaxAt, checkLength, intKnob, meanCrossEntropy } from './common';
import type { CopyMemorySpec, Task, TaskInfo } from './types';

export const COPY_BLANK = 0;
export const COPY_DELIMITER = 9;
const SYMBOLS = 8; // data symbols 1..8
const RECALL = 10; // symbols to remember

export function makeCopyMemory(spec: CopyMemorySpec): Task {
  const delay = intKnob('copy_memory: delay', spec.delay, 20, 1);
  const T = delay + 2 * RECALL; // steps
  const D = SYMBOLS + 2; // blank, 8 symbols, delimiter
  const Y = SYMBOLS + 1; // blank, 8 symbols
  const recallStart = delay + RECALL; // first step whose target is a data symbol

  const info: TaskInfo = {
    id: 'copy_memory',
    name: 'Copy memory',
    description:
      `Read 10 symbols (from 8), wait through ${delay} steps of blanks until the delimiter, ` +
      `then write the 10 symbols back in order. Output blank at every other step.`,
    inputSize: D,
    outputSize: Y,
    T,
    loss: 'cross_entropy',
    readout: 'every_step',
    metric: { name: 'cross-entropy per step', unit: 'nats', higherIsBetter: false },
    baseline: {
      value: (RECALL * Math.log(SYMBOLS)) / T,
      explanation:
        `Output blank with certainty for the first ${recallStart} steps and a uniform guess over the ` +
        `8 symbols for the last 10: 10·ln 8 / (T + 20) = ${((RECALL * Math.log(SYMBOLS)) / T).toFixed(4)} nats per step.`,
    },
    secondaryMetric: { name: 'accuracy on the 10 recalled symbols', higherIsBetter: true },
    floor: { value: 0, explanation: 'The answer is fully determined by the first 10 inputs.' },
  };

  function batch(rng: Rng, B: number): Batch {
    const x = new Float64Array(T * B * D); // (T, B, D)
    const target = new Float64Array(T * B); // (T, B), blank (0) unless set below
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < T; t++) {
        let symbol = COPY_BLANK;
        if (t < RECALL) symbol = 1 + rng.int(SYMBOLS);
        else if (t === recallStart - 1) symbol = COPY_DELIMITER;
        x[(t * B + b) * D + symbol] = 1;
        if (t < RECALL) target[(recallStart + t) * B + b] = symbol;
      }
    }
    return { B, T, inputSize: D, x, target };
  }

  // outputs (T, B, Y): the mean over all T·B steps, as the loss weighs them.
  const metric = (outputs: Float64Array, b: Batch): number => meanCrossEntropy(outputs, b.target, undefined, Y);

  function secondaryMetric(outputs: Float64Array, b: Batch): number {
    checkLength('outputs', outputs, T * b.B * Y);
    let hits = 0;
    for (let t = recallStart; t < T; t++)
      for (let j = 0; j < b.B; j++) {
        const r = t * b.B + j;
        if (argmaxAt(outputs, r * Y, Y) === b.target[r]) hits++;
      }
    return hits / (RECALL * b.B);
  }

  return { info, batch, metric, secondaryMetric };
}
