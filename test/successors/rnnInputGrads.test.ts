/**
 * ∂L/∂x_t (`inputGrads`), the measure every kind shares, for the RNN, LSTM and GRU: central
 * differences of the loss in each input, stacked and bidirectional; under truncation the oracle is
 * the sum of each chunk's own loss run from the state before it as a constant (stateful mode).
 */
import { describe, expect, it } from 'vitest';
import type { Batch, LossKind, Readout } from '../../src/engine/batch';
import { lossAndGradients, runLayers, type RunOptions } from '../../src/engine/bptt';
import { initModel } from '../../src/engine/init';
import type { CellKind, Model, ModelSpec } from '../../src/engine/model';
import { parseCase, runCase } from '../../src/engine/referenceCase';
import { Rng } from '../../src/engine/rng';
import { chunksOf } from '../../src/engine/successors/scan';
import { caseFiles, readJson, relativeError } from '../helpers';
import { randomBatch } from '../randomBatch';

const DELTA = 1e-5;

/** ∂L/∂x by central differences; with truncation, chunk by chunk from the state reached before it. */
function finiteDifferenceInputGrads(model: Model, batch: Batch, opts: RunOptions): Float64Array {
  const { B, T, inputSize: D } = batch;
  const Y = model.spec.outputSize;
  const perStep = opts.loss === 'mse' ? B * Y : B;
  const out = new Float64Array(batch.x.length); // (T, B, D)
  for (const [from, to] of chunksOf(T, opts.truncation)) {
    if (opts.readout === 'final_step' && to < T) continue;
    const x = batch.x.slice(from * B * D, to * B * D); // (to − from, B, D)
    const start = from === 0 ? null : runLayers(model, batch.x.slice(0, from * B * D), B, from).finalState;
    const target = opts.readout === 'every_step' ? batch.target.slice(from * perStep, to * perStep) : batch.target;
    const piece: Batch = { B, T: to - from, inputSize: D, x, target };
    for (let i = 0; i < x.length; i++) {
      const keep = x[i];
      x[i] = keep + DELTA;
      const up = lossAndGradients(model, piece, { ...opts, truncation: null, initialState: start }).loss;
      x[i] = keep - DELTA;
      const down = lossAndGradients(model, piece, { ...opts, truncation: null, initialState: start }).loss;
      x[i] = keep;
      out[from * B * D + i] = (up - down) / (2 * DELTA);
    }
  }
  return out;
}

type Config = [CellKind, number, boolean, LossKind, Readout, number | null];
const CONFIGS: Config[] = (['rnn', 'lstm', 'gru'] as const).flatMap((cell): Config[] => [
  [cell, 1, false, 'mse', 'every_step', null],
  [cell, 2, true, 'cross_entropy', 'every_step', null],
  [cell, 2, false, 'cross_entropy', 'final_step', null],
  [cell, 2, false, 'mse', 'every_step', 3],
  [cell, 1, false, 'cross_entropy', 'final_step', 2],
]);

describe('inputGrads of the RNN kinds match finite differences', () => {
  it.each(CONFIGS)('%s, %i layer(s), bidirectional %s, %s, %s, truncation %s', (cell, numLayers, bidirectional, loss, readout, truncation) => {
    const spec: ModelSpec = { cell, nonlinearity: 'tanh', inputSize: 3, hiddenSize: 4, numLayers, bidirectional, outputSize: 2, initialState: 'zero' };
    const model = initModel(spec, { scheme: 'pytorch' }, new Rng(numLayers * 10 + (truncation ?? 0)));
    const batch = randomBatch(new Rng(3), spec, 2, 7, loss, readout);
    const opts: RunOptions = { loss, readout, truncation };
    const r = lossAndGradients(model, batch, opts);
    expect(relativeError(Array.from(r.inputGrads), Array.from(finiteDifferenceInputGrads(model, batch, opts)))).toBeLessThan(1e-6);
  });

  it.each(caseFiles())('runCase reports inputGrads [B][T][inputSize] for %s', (path) => {
    const raw = readJson(path);
    const c = parseCase(raw);
    const out = runCase(c) as { inputGrads: number[][][] };
    expect(out.inputGrads.length).toBe(c.batch.B);
    expect(out.inputGrads[0].length).toBe(c.batch.T);
    expect(out.inputGrads[0][0].length).toBe(c.model.spec.inputSize);
    expect(out.inputGrads.flat(2).every(Number.isFinite)).toBe(true);
  });
});
