/**
 * Finite-difference gradient checks for what the PyTorch cases do not cover: every cell and
 * nonlinearity under every initialization, learned initial states, 3–4 layers, bidirectional
 * stacks, masks and both losses and readouts. Central differences in float64 agree with an exact
 * gradient to about 1e-9 relative; we ask for 1e-6.
 */
import { describe, expect, it } from 'vitest';
import type { Batch, LossKind } from '../src/engine/batch';
import { lossAndGradients, type RunOptions } from '../src/engine/bptt';
import { initModel, type InitScheme } from '../src/engine/init';
import type { CellKind, Model, ModelSpec, Nonlinearity } from '../src/engine/model';
import { Rng } from '../src/engine/rng';
import { relativeError } from './helpers';
import { randomBatch } from './randomBatch';
import { finiteDifferenceHiddenGrads } from './topStateProbe';

/** Central differences of the loss for every parameter entry. */
function finiteDifferenceGrads(model: Model, batch: Batch, opts: RunOptions, delta = 1e-5): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const [name, t] of Object.entries(model.params)) {
    out[name] = Array.from(t.data, (_, i) => {
      const keep = t.data[i];
      t.data[i] = keep + delta;
      const up = lossAndGradients(model, batch, opts).loss;
      t.data[i] = keep - delta;
      const down = lossAndGradients(model, batch, opts).loss;
      t.data[i] = keep;
      return (up - down) / (2 * delta);
    });
  }
  return out;
}

function expectGradientsMatch(model: Model, batch: Batch, opts: RunOptions): void {
  const r = lossAndGradients(model, batch, opts);
  const fd = finiteDifferenceGrads(model, batch, opts);
  for (const name of Object.keys(model.params)) {
    expect(relativeError(Array.from(r.grads[name].data), fd[name]), name).toBeLessThan(1e-6);
  }
  expect(relativeError(Array.from(r.hiddenGrads), Array.from(finiteDifferenceHiddenGrads(model, batch, opts))), 'hiddenGrads').toBeLessThan(1e-6);
}

function spec(cell: CellKind, nonlinearity: Nonlinearity, extra: Partial<ModelSpec> = {}): ModelSpec {
  return { cell, nonlinearity, inputSize: 2, hiddenSize: 3, numLayers: 1, bidirectional: false, outputSize: 2, initialState: 'zero', ...extra };
}

const CELLS: [CellKind, Nonlinearity][] = [
  ['rnn', 'tanh'],
  ['rnn', 'relu'],
  ['rnn', 'linear'],
  ['lstm', 'tanh'],
  ['gru', 'tanh'],
];
const SCHEMES: InitScheme[] = ['pytorch', 'xavier', 'orthogonal', 'identity', 'gaussian'];

describe('gradients match finite differences', () => {
  const grid = CELLS.flatMap(([cell, phi]) => SCHEMES.map((scheme) => [cell, phi, scheme] as const));
  it.each(grid)('%s %s, init %s', (cell, phi, scheme) => {
    const rng = new Rng(7);
    // ρ = 0.9 keeps the linear and relu models tame over the sequence.
    const model = initModel(spec(cell, phi), { scheme, gain: 0.9, forgetBias: 1 }, rng);
    const loss: LossKind = scheme === 'xavier' || scheme === 'identity' ? 'cross_entropy' : 'mse';
    expectGradientsMatch(model, randomBatch(rng, model.spec, 2, 5, loss, 'every_step'), { loss, readout: 'every_step', truncation: null });
  });

  it.each(CELLS)('learned initial state, %s %s', (cell, phi) => {
    const rng = new Rng(11);
    const model = initModel(spec(cell, phi, { initialState: 'learned', bidirectional: true, numLayers: 2 }), { scheme: 'pytorch' }, rng);
    // Start the learned states away from zero so their gradient paths are exercised.
    for (const [name, t] of Object.entries(model.params)) if (/^[hc]0_/.test(name)) t.data.forEach((_, i) => (t.data[i] = rng.normal() * 0.5));
    expectGradientsMatch(model, randomBatch(rng, model.spec, 2, 4, 'mse', 'final_step'), { loss: 'mse', readout: 'final_step', truncation: null });
  });

  it.each([
    ['rnn', 'tanh', 3, false],
    ['lstm', 'tanh', 3, true],
    ['gru', 'tanh', 4, false],
    ['rnn', 'linear', 4, true],
  ] as const)('%s %s with %i layers, bidirectional %s', (cell, phi, numLayers, bidirectional) => {
    const rng = new Rng(numLayers * 100 + (bidirectional ? 1 : 0));
    const model = initModel(spec(cell, phi, { numLayers, bidirectional }), { scheme: 'orthogonal', gain: 0.95 }, rng);
    expectGradientsMatch(model, randomBatch(rng, model.spec, 2, 4, 'cross_entropy', 'every_step', true), {
      loss: 'cross_entropy',
      readout: 'every_step',
      truncation: null,
    });
  });
});
