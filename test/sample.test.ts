/** Text generation from a character model: it learns a repeating text and continues it. */
import { describe, expect, it } from 'vitest';
import { initModel } from '../src/engine/init';
import { makeOptimizer } from '../src/engine/optim';
import { Rng } from '../src/engine/rng';
import { sampleText } from '../src/engine/sample';
import { makeCharLm } from '../src/engine/tasks';
import { trainStep } from '../src/engine/train';

describe('sampleText', () => {
  const task = makeCharLm({ kind: 'char_lm', text: 'abcde'.repeat(80), T: 12 });
  const model = initModel(
    { cell: 'lstm', nonlinearity: 'tanh', inputSize: task.info.inputSize, hiddenSize: 16, numLayers: 1, bidirectional: false, outputSize: task.info.outputSize, initialState: 'zero' },
    { scheme: 'pytorch', forgetBias: 1 },
    new Rng(1),
  );
  const rng = new Rng(2);
  const opt = makeOptimizer({ name: 'adam', lr: 0.03 });
  for (let s = 0; s < 150; s++) trainStep(model, opt, task.batch(rng, 16), { loss: 'cross_entropy', readout: 'every_step', truncation: null, clip: { kind: 'norm', max: 5 } });

  it('continues the pattern it learned at a low temperature', () => {
    expect(sampleText(model, task, 'abc', 12, 1e-9, new Rng(3))).toBe('deabcdeabcde');
  });

  it('is reproducible per seed, and a high temperature strays', () => {
    const a = sampleText(model, task, 'a', 60, 3, new Rng(4));
    expect(sampleText(model, task, 'a', 60, 3, new Rng(4))).toBe(a);
    expect(a).toHaveLength(60);
    expect(a).not.toBe('bcdea'.repeat(12));
  });
});
