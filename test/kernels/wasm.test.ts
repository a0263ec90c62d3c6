/**
 * What is the wasm backend's own: it loads, names itself, asks for a model first and refuses a batch
 * that does not fit. Its numbers (PyTorch cases, 249 random configurations against the reference
 * backend, optimizer schedules, NaN and saturation probes) are the backend test table's, run for
 * every backend by test/backends/backends.test.ts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { initModel } from '../../src/engine/init';
import type { ModelSpec } from '../../src/engine/model';
import { Rng } from '../../src/engine/rng';
import type { TrainingBackend } from '../../src/kernels/types';
import { createWasmBackend, isWasmSimdSupported } from '../../src/kernels/wasm';
import { wasmKernels } from '../../src/kernels/wasm/kernels';
import { loadKernels } from '../../src/kernels/wasm/loader';
import { gatesOf } from '../../src/engine/model';
import { emptySweep, sweepCellOf, usesAffine } from '../../src/train/sweep';
import { AFFINE_ENTRY } from '../backends/table';
import { randomBatch } from '../randomBatch';
import { ensureWasmBuilt } from './wasm-setup';

let wasm: TrainingBackend;
beforeAll(async () => {
  ensureWasmBuilt();
  wasm = await createWasmBackend();
});

describe('loading', () => {
  it('detects SIMD and names itself', () => {
    expect(isWasmSimdSupported()).toBe(true);
    expect(wasm.name).toBe('wasm');
    expect(wasm.description).toBe('WebAssembly SIMD (float32)');
    expect(wasm.isSoftware).toBe(false);
  });

  it('asks for a model first', async () => {
    const fresh = await createWasmBackend();
    await expect(fresh.readParams()).rejects.toThrow(/setModel first/);
  });
});

describe('input checks', () => {
  it('rejects a batch that does not fit the model', async () => {
    const spec: ModelSpec = { cell: 'lstm', nonlinearity: 'tanh', inputSize: 4, hiddenSize: 7, numLayers: 2, bidirectional: true, outputSize: 3, initialState: 'learned' };
    await wasm.setModel(initModel(spec, { scheme: 'pytorch' }, new Rng(61)));
    const batch = randomBatch(new Rng(62), { ...spec, inputSize: 5 }, 3, 4, 'mse', 'every_step');
    await expect(wasm.forwardBackward(batch, { loss: 'mse', readout: 'every_step', truncation: null })).rejects.toThrow(/inputs per step/);
  });
});

describe("a step's pre-activations in one pass", () => {
  it('are what the backend table checks: its wide entries are large enough to take that path, its others (but GRU) are not', async () => {
    const k = wasmKernels(await loadKernels());
    const job = (cell: 'rnn' | 'lstm' | 'gru', H: number, B: number) => ({ ...emptySweep(), cell: sweepCellOf(cell), G: gatesOf(cell), H, B, W_ihT_p: 1, W_hhT_p: 1 });
    for (const cell of ['rnn', 'lstm', 'gru'] as const) {
      expect(usesAffine(k, job(cell, AFFINE_ENTRY[cell].H, AFFINE_ENTRY[cell].B)), cell).toBe(true);
      expect(usesAffine(k, job(cell, 24, 12)), `${cell} H24 B12`).toBe(cell === 'gru');
    }
  });
});
