/**
 * Truncated BPTT and the stateful (streaming) mode, checked by an exact identity: with the state
 * detached every k steps, the loss's truncated gradient is the sum of the full-BPTT gradients of
 * the k-step chunks, each started from the recorded state at its boundary as a constant. That
 * holds in both directions when T is a multiple of k (the boundaries then coincide), for any depth.
 */
import { describe, expect, it } from 'vitest';
import type { Batch } from '../src/engine/batch';
import { forward, lossAndGradients, type RecurrentState, type RunOptions } from '../src/engine/bptt';
import { initModel } from '../src/engine/init';
import { directionsOf, type ModelSpec } from '../src/engine/model';
import { Rng } from '../src/engine/rng';
import { randomBatch } from './randomBatch';
import { relativeError } from './helpers';

/** Steps [t0, t0 + k) of a time-major batch. */
function slice(batch: Batch, t0: number, k: number, Y: number): Batch {
  const { B, inputSize: D } = batch;
  return {
    B,
    T: k,
    inputSize: D,
    x: batch.x.slice(t0 * B * D, (t0 + k) * B * D),
    target: batch.target.slice(t0 * B * Y, (t0 + k) * B * Y),
  };
}

function chunkedGradients(spec: ModelSpec, seed: number, T: number, k: number) {
  const rng = new Rng(seed);
  const model = initModel(spec, { scheme: 'orthogonal', gain: 1.1 }, rng);
  const batch = randomBatch(rng, spec, 3, T, 'mse', 'every_step');
  const opts: RunOptions = { loss: 'mse', readout: 'every_step', truncation: k };
  const truncated = lossAndGradients(model, batch, opts);
  const full = forward(model, batch, { ...opts, truncation: null });
  const dirs = directionsOf(spec);
  const sum: Record<string, Float64Array> = {};
  let lossSum = 0;
  for (let t0 = 0; t0 < T; t0 += k) {
    // The state entering each direction's first step of this chunk, recorded by the full pass.
    const start: RecurrentState = { h: [], c: spec.cell === 'lstm' ? [] : null };
    for (let l = 0; l < spec.numLayers; l++)
      for (let dir = 0; dir < dirs; dir++) {
        const p = dir === 0 ? t0 : T - (t0 + k);
        const cache = full.caches[l * dirs + dir][p];
        start.h.push(cache.h_prev);
        start.c?.push(cache.c_prev as Float64Array);
      }
    const r = lossAndGradients(model, slice(batch, t0, k, spec.outputSize), { ...opts, truncation: null, initialState: start });
    lossSum += r.loss;
    for (const [name, g] of Object.entries(r.grads)) {
      sum[name] ??= new Float64Array(g.data.length);
      g.data.forEach((v, i) => (sum[name][i] += v));
    }
  }
  return { truncated, lossSum, sum };
}

describe('truncated BPTT equals the sum of its chunks', () => {
  it.each([
    ['rnn', 1, false, 12, 4],
    ['lstm', 2, false, 9, 3],
    ['gru', 2, true, 8, 4],
    ['rnn', 3, true, 6, 2],
  ] as const)('%s, %i layers, bidirectional %s, T = %i, k = %i', (cell, numLayers, bidirectional, T, k) => {
    const spec: ModelSpec = { cell, nonlinearity: 'tanh', inputSize: 2, hiddenSize: 3, numLayers, bidirectional, outputSize: 2, initialState: 'zero' };
    const { truncated, lossSum, sum } = chunkedGradients(spec, T * 10 + k, T, k);
    expect(Math.abs(truncated.loss - lossSum) / lossSum).toBeLessThan(1e-12);
    for (const [name, g] of Object.entries(truncated.grads)) expect(relativeError(Array.from(g.data), Array.from(sum[name])), name).toBeLessThan(1e-12);
  });

  it('a window at least as long as the sequence is full BPTT, and a shorter one is not', () => {
    const spec: ModelSpec = { cell: 'gru', nonlinearity: 'tanh', inputSize: 2, hiddenSize: 4, numLayers: 1, bidirectional: true, outputSize: 1, initialState: 'zero' };
    const rng = new Rng(3);
    const model = initModel(spec, { scheme: 'pytorch' }, rng);
    const batch = randomBatch(rng, spec, 2, 6, 'mse', 'every_step');
    const full = lossAndGradients(model, batch, { loss: 'mse', readout: 'every_step', truncation: null });
    const long = lossAndGradients(model, batch, { loss: 'mse', readout: 'every_step', truncation: 6 });
    const short = lossAndGradients(model, batch, { loss: 'mse', readout: 'every_step', truncation: 2 });
    expect(long.gradNorm).toBe(full.gradNorm);
    expect(Math.abs(short.gradNorm - full.gradNorm)).toBeGreaterThan(1e-6);
    expect(short.loss).toBe(full.loss); // truncation changes the gradient, never the loss
  });
});

describe('stateful streaming', () => {
  it('two chunks with the carried state give the outputs of one pass, and no gradient reaches the carried state', () => {
    const spec: ModelSpec = { cell: 'lstm', nonlinearity: 'tanh', inputSize: 1, hiddenSize: 4, numLayers: 2, bidirectional: false, outputSize: 1, initialState: 'learned' };
    const rng = new Rng(5);
    const model = initModel(spec, { scheme: 'pytorch' }, rng);
    const batch = randomBatch(rng, spec, 2, 10, 'mse', 'every_step');
    const opts: RunOptions = { loss: 'mse', readout: 'every_step', truncation: null };
    const whole = forward(model, batch, opts);
    const first = lossAndGradients(model, slice(batch, 0, 5, 1), opts);
    const second = lossAndGradients(model, slice(batch, 5, 5, 1), { ...opts, initialState: first.finalState });
    expect(Array.from(first.outputs).concat(Array.from(second.outputs))).toEqual(Array.from(whole.outputs));
    expect(Array.from(second.grads['h0_l0'].data)).toEqual([0, 0, 0, 0]);
    expect(Array.from(first.grads['h0_l0'].data).some((v) => v !== 0)).toBe(true);
  });
});
