/**
 * `auto` chooses among backends that started, by timing each on the model: never the float64
 * reference when another one started (timing it on a large model took minutes: the page stayed
 * at "Backend —"), never a software GPU, and the reference when nothing else starts.
 */
import { describe, expect, it } from 'vitest';
import { makeTask } from '../../src/engine/tasks';
import { initModel } from '../../src/engine/init';
import { Rng } from '../../src/engine/rng';
import { createReferenceBackend } from '../../src/kernels/reference';
import type { BackendName, TrainingBackend } from '../../src/kernels/types';
import { BACKEND_NAMES } from '../../src/kernels/registry';
import { chooseBackend, FALLBACK_CHAIN } from '../../src/worker/backends';

function setup() {
  const task = makeTask({ kind: 'echo', T: 6, lag: 1, K: 3 });
  const model = initModel({ cell: 'rnn', nonlinearity: 'tanh', inputSize: task.info.inputSize, hiddenSize: 4, numLayers: 1, bidirectional: false, outputSize: task.info.outputSize, initialState: 'zero' }, { scheme: 'pytorch', gain: 1, spectralRadius: null, forgetBias: null }, new Rng(1));
  const batch = task.batch(new Rng(2), 2);
  const passes: Partial<Record<BackendName, number>> = {};
  /** Each backend is the reference in disguise, counting its timed passes. */
  const factory = (available: BackendName[], software: BackendName[] = []) => async (name: BackendName): Promise<TrainingBackend> => {
    if (!available.includes(name)) throw new Error(`${name} absent`);
    const inner = createReferenceBackend();
    return Object.assign(Object.create(inner) as TrainingBackend, {
      name,
      isSoftware: software.includes(name),
      forwardBackward: (...args: Parameters<TrainingBackend['forwardBackward']>) => {
        passes[name] = (passes[name] ?? 0) + 1;
        return inner.forwardBackward(...args);
      },
    });
  };
  const opts = { loss: task.info.loss, readout: task.info.readout, truncation: null, initialState: null };
  return { model, batch, passes, factory, opts };
}

describe('the fallback chain', () => {
  it('holds every backend of the registry once, the float64 reference last', () => {
    expect([...FALLBACK_CHAIN].sort()).toEqual([...BACKEND_NAMES].sort());
    expect(FALLBACK_CHAIN.at(-1)).toBe('reference');
  });
});

describe('auto backend choice', () => {
  it('never times the reference when WebAssembly started', async () => {
    const { model, batch, passes, factory, opts } = setup();
    let t = 0;
    const chosen = await chooseBackend('auto', factory(['wasm', 'reference']), model, batch, opts, () => (t += 1));
    expect(chosen.backend.name).toBe('wasm');
    expect(passes.reference ?? 0).toBe(0);
    expect(passes.wasm).toBe(4); // a warm-up and three timed passes
  });

  it('skips a software GPU and falls back to the reference when nothing else starts', async () => {
    const { model, batch, passes, factory, opts } = setup();
    let t = 0;
    const chosen = await chooseBackend('auto', factory(['webgpu', 'reference'], ['webgpu']), model, batch, opts, () => (t += 1));
    expect(chosen.backend.name).toBe('reference');
    expect(passes.webgpu ?? 0).toBe(0);
    expect(chosen.notes.join(' ')).toMatch(/webgpu skipped/);
  });
});

describe('a backend that never starts', () => {
  it('is given up on after START_TIMEOUT_MS and the next one in the chain runs', async () => {
    const { vi } = await import('vitest');
    const { START_TIMEOUT_MS } = await import('../../src/worker/backends');
    vi.useFakeTimers();
    try {
      const { model, batch, opts } = setup();
      let disposed = 0;
      let resolveLate: ((b: TrainingBackend) => void) | null = null;
      const factory = async (name: BackendName): Promise<TrainingBackend> => {
        if (name === 'webgpu') return new Promise<TrainingBackend>((r) => (resolveLate = r)); // a device that never comes (until too late)
        if (name === 'gpujs') throw new Error('absent');
        const b = createReferenceBackend();
        return Object.assign(Object.create(b) as TrainingBackend, { name });
      };
      let t = 0;
      const choosing = chooseBackend('auto', factory, model, batch, opts, () => (t += 1));
      await vi.advanceTimersByTimeAsync(START_TIMEOUT_MS + 10);
      const chosen = await choosing;
      expect(chosen.backend.name).toBe('wasm');
      expect(chosen.notes.join(' ')).toMatch(/webgpu unavailable: webgpu did not answer within 20 s/);
      // The device that comes after all is disposed, not leaked.
      const late = Object.assign(Object.create(createReferenceBackend()) as TrainingBackend, { dispose: () => void disposed++ });
      (resolveLate as unknown as (b: TrainingBackend) => void)(late);
      await vi.advanceTimersByTimeAsync(1);
      expect(disposed).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });
});
