/**
 * The analysis's sample of the batch shrinks with the model's cost, so one analysis never holds the
 * worker long enough for the page's watchdog to take it for a hang.
 */
import { describe, expect, it } from 'vitest';
import { forwardFlops } from '../../src/engine/flops';
import type { ModelSpec } from '../../src/engine/model';
import type { Batch } from '../../src/engine/batch';
import { analysisExamples } from '../../src/worker/view';

const batch = (B: number, T: number) => ({ B, T, inputSize: 4 }) as Batch;
const spec = (cell: ModelSpec['cell'], H: number, numLayers: number, bidirectional: boolean): ModelSpec => ({ cell, nonlinearity: 'tanh', inputSize: 4, hiddenSize: H, numLayers, bidirectional, outputSize: 4, initialState: 'zero' });
const opts = { loss: 'cross_entropy', readout: 'every_step', truncation: null, initialState: null } as const;

describe('analysisExamples', () => {
  it('keeps eight examples for a small model', () => {
    expect(analysisExamples({ spec: spec('rnn', 32, 1, false), params: {} }, batch(32, 40), opts, 300)).toBe(8);
  });

  it('takes as many as fit half the budget at 1.4 GFLOP/s, four forward passes each', () => {
    const s = spec('lstm', 128, 2, false);
    const perExample = (4 * forwardFlops(s, 1, 100, 100)) / 1.4e6; // ms
    expect(analysisExamples({ spec: s, params: {} }, batch(32, 100), opts, 300)).toBe(Math.max(1, Math.min(8, Math.floor(150 / perExample))));
    expect(analysisExamples({ spec: s, params: {} }, batch(32, 100), opts, 300)).toBeLessThan(8);
  });

  it('goes down to one example for the largest link (4 bidirectional LSTM layers, T = 400), never zero', () => {
    expect(analysisExamples({ spec: spec('lstm', 89, 4, true), params: {} }, batch(32, 400), opts, 300)).toBe(1);
    expect(analysisExamples({ spec: spec('rnn', 4, 1, false), params: {} }, batch(1, 4), opts, 300)).toBe(1);
  });
});
