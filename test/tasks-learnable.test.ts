/**
 * The new memory tasks can be learnt: on a short, easy setting of each, a small LSTM trained on the
 * float64 engine for a fixed number of steps (not seconds) ends well above the memoryless baseline,
 * scored on batches it never trained on. Seeds are fixed, so each run gives the same numbers; the
 * margins leave room for a different libm (Math.tanh, Math.exp).
 */
import { describe, expect, it } from 'vitest';
import { forward } from '../src/engine/bptt';
import { initModel } from '../src/engine/init';
import { makeOptimizer } from '../src/engine/optim';
import { Rng } from '../src/engine/rng';
import { makeTask, type Task, type TaskSpec } from '../src/engine/tasks';
import { trainStep } from '../src/engine/train';

/** Train an LSTM (H units, Adam, norm clipping at 1) for `steps` steps; the metric on 4 × 128 held-out sequences. */
function trainAndScore(task: Task, H: number, steps: number, lr: number): number {
  const { info } = task;
  const rng = new Rng(1);
  const spec = { cell: 'lstm', nonlinearity: 'tanh', inputSize: info.inputSize, hiddenSize: H, numLayers: 1, bidirectional: false, outputSize: info.outputSize, initialState: 'zero' } as const;
  const model = initModel(spec, { scheme: 'pytorch', forgetBias: 1 }, rng);
  const opt = makeOptimizer({ name: 'adam', lr });
  const opts = { loss: info.loss, readout: info.readout, truncation: null } as const;
  for (let step = 0; step < steps; step++) trainStep(model, opt, task.batch(rng, 32), { ...opts, clip: { kind: 'norm', max: 1 } });
  const evalRng = new Rng(99);
  let score = 0;
  for (let e = 0; e < 4; e++) {
    const b = task.batch(evalRng, 128);
    score += task.metric(forward(model, b, opts).outputs, b) / 4;
  }
  return score;
}

describe('a small LSTM (24 units) beats the memoryless baseline 0.25', () => {
  // Holding only one of the two symbols (or pairs) would score 1/2 + 1/2 · 1/4 = 0.625: the
  // thresholds ask for both. Seen at seed 1: selective copying 0.995 at step 200 and 1.000 at 300;
  // associative recall 0.654 at step 200 (one pair), 0.969 at 600.
  it.each([
    ['selective copying: 2 symbols from 4 among 6 noise steps', { kind: 'selective_copy', noise: 6, tokens: 2, K: 4 }, 300, 0.01, 0.9],
    ['associative recall: 2 pairs, keys from 4, values from 4', { kind: 'associative_recall', pairs: 2, keys: 4, values: 4 }, 600, 0.02, 0.8],
  ] as [string, TaskSpec, number, number, number][])('%s', (_name, spec, steps, lr, above) => {
    const task = makeTask(spec);
    expect(task.info.baseline.value).toBe(0.25);
    expect(trainAndScore(task, 24, steps, lr)).toBeGreaterThan(above);
  });
});
