/** Streaming on the wasm backend: the final state it hands back continues the stream exactly as
 *  the reference's does. */
import { beforeAll, describe, expect, it } from 'vitest';
import { initModel } from '../../src/engine/init';
import type { ModelSpec } from '../../src/engine/model';
import { Rng } from '../../src/engine/rng';
import { makeSines } from '../../src/engine/tasks';
import { createReferenceBackend } from '../../src/kernels/reference';
import type { TrainingBackend } from '../../src/kernels/types';
import { createWasmBackend } from '../../src/kernels/wasm';
import { relativeError } from '../helpers';
import { ensureWasmBuilt } from './wasm-setup';

beforeAll(() => ensureWasmBuilt());

describe('wasm finalState', () => {
  it.each(['lstm', 'gru'] as const)('%s: three streamed chunks agree with the reference, state carried', async (cell) => {
    const spec: ModelSpec = { cell, nonlinearity: 'tanh', inputSize: 1, hiddenSize: 6, numLayers: 2, bidirectional: false, outputSize: 1, initialState: 'zero' };
    const model = initModel(spec, { scheme: 'pytorch' }, new Rng(1));
    const run = async (backend: TrainingBackend) => {
      await backend.setModel(model);
      const stream = makeSines({ kind: 'sines', T: 12 }).stream?.(new Rng(2), 4);
      if (!stream) throw new Error('sines should stream');
      let state = null;
      const out = [];
      for (let chunk = 0; chunk < 3; chunk++) {
        const s = await backend.trainStep(stream.next(), { loss: 'mse', readout: 'every_step', truncation: null, initialState: state, clip: null, optimizer: { name: 'sgd', lr: 0.05 } });
        expect(s.finalState).toBeDefined();
        state = s.finalState ?? null;
        out.push(s.loss, ...Array.from(s.finalState?.h[1] ?? []));
      }
      return out;
    };
    const ours = await run(await createWasmBackend());
    const ref = await run(createReferenceBackend());
    expect(relativeError(ours, ref)).toBeLessThan(1e-5);
  });
});
