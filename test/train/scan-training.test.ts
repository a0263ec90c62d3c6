/**
 * Training by a parallel scan over time (the Recurrence setting): on the reference backend, every
 * linear recurrence (lru, mamba, rwkv's sums, mingru) trained with Adam and norm clipping for
 * several steps, truncation included, gives the loop's losses and weights to 1e-12; the setting
 * reaches the backend through the worker; a backend whose kernels run loops only (wasm) is moved
 * past in words, by a forced choice and by auto alike.
 */
import { describe, expect, it } from 'vitest';
import type { ScanMode } from '../../src/engine/successors/scan';
import { isRecurrentKind, SUCCESSOR_KINDS } from '../../src/engine/successors/spec';
import { Rng } from '../../src/engine/rng';
import { BACKENDS } from '../../src/kernels/registry';
import type { BackendName, TrainingBackend } from '../../src/kernels/types';
import { chooseBackend } from '../../src/worker/backends';
import { ensureWasmBuilt } from '../kernels/wasm-setup';
import { randomBatch } from '../randomBatch';
import { relativeError } from '../helpers';
import { randomSuccessorModel, successorSpec } from '../successors/helpers';
import { Page, type Factory } from '../worker/harness';

const RECURRENT = SUCCESSOR_KINDS.filter(isRecurrentKind);
const STEPS = 6;

/** Losses of STEPS Adam steps and the weights after them, with the recurrences run as `scan`. */
async function train(cell: (typeof RECURRENT)[number], scan: ScanMode, truncation: number | null) {
  const spec = successorSpec(cell, { numLayers: 2, hiddenSize: 6 });
  const backend = await BACKENDS.reference.create();
  await backend.setModel(randomSuccessorModel(spec, 5));
  const rng = new Rng(9);
  const losses: number[] = [];
  const gradNorms: number[] = [];
  for (let s = 0; s < STEPS; s++) {
    const batch = randomBatch(rng, spec, 3, 13, 'mse', 'every_step');
    const stats = await backend.trainStep(batch, { loss: 'mse', readout: 'every_step', truncation, scan, initialState: null, clip: { kind: 'norm', max: 1 }, optimizer: { name: 'adam', lr: 0.02 } });
    expect(stats.applied).toBe(true);
    losses.push(stats.loss);
    gradNorms.push(stats.gradNormBefore);
  }
  return { losses, gradNorms, params: await backend.readParams() };
}

describe('training by a parallel scan', () => {
  for (const cell of RECURRENT)
    for (const truncation of [null, 4]) {
      it(`${cell}, ${truncation ? `truncation ${truncation}` : 'full BPTT'}: ${STEPS} Adam steps by the scan give the loop's losses and weights to 1e-12`, async () => {
        const loop = await train(cell, 'loop', truncation);
        const scan = await train(cell, 'parallel', truncation);
        expect(relativeError(scan.losses, loop.losses)).toBeLessThan(1e-12);
        expect(relativeError(scan.gradNorms, loop.gradNorms)).toBeLessThan(1e-12);
        for (const [name, p] of Object.entries(loop.params)) expect(relativeError(scan.params[name].data, p.data), name).toBeLessThan(1e-12);
        // The runs trained: the weights moved, so equal weights say something.
        expect(loop.losses[0]).not.toBe(loop.losses[STEPS - 1]);
      });
    }

  it('the reference kernels scan every recurrent kind; wasm scans none', async () => {
    await ensureWasmBuilt();
    expect((await BACKENDS.reference.create()).scanKinds).toEqual(RECURRENT);
    expect((await BACKENDS.wasm.create()).scanKinds ?? []).toEqual([]);
  });
});

describe('the Recurrence setting, through the worker', () => {
  it('reaches every training step, and a forced wasm moves on to the reference saying why', async () => {
    await ensureWasmBuilt();
    const seen: (ScanMode | undefined)[] = [];
    const factory: Factory = async (name: BackendName) => {
      if (name !== 'wasm' && name !== 'reference') throw new Error(`${name} is not available in Node`);
      const inner: TrainingBackend = await BACKENDS[name].create();
      return {
        ...inner,
        trainStep: async (batch, opts) => {
          seen.push(opts.scan);
          return inner.trainStep(batch, opts);
        },
      };
    };
    const page = new Page(factory);
    await page.configure({ task: 'echo', length: 8, lag: 2, cell: 'mingru', hiddenSize: 8, batchSize: 4, backend: 'wasm', recurrence: 'parallel' });
    const used = page.messages.filter((m) => m.type === 'backend').pop();
    expect(used?.type === 'backend' && used.backend.name).toBe('reference');
    const notes = page.messages.filter((m) => m.type === 'notice').map((m) => (m.type === 'notice' ? m.message : ''));
    expect(notes.join(' ')).toContain("wasm cannot train this model: its kernels run mingru's recurrence only as a sequential loop, not as a parallel scan");
    await page.trainUntil(3);
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(seen.every((s) => s === 'parallel')).toBe(true);
  });

  it('auto moves past wasm for a scan and keeps it for a loop; attention and the RNN cells ignore the setting', async () => {
    await ensureWasmBuilt();
    const create = async (name: BackendName) => {
      if (name !== 'wasm' && name !== 'reference') throw new Error(`${name} is not available in Node`);
      return BACKENDS[name].create();
    };
    const now = () => performance.now();
    for (const [cell, scan, expected] of [['mamba', 'parallel', 'reference'], ['mamba', 'loop', 'wasm'], ['attention', 'parallel', 'wasm']] as const) {
      const spec = successorSpec(cell, { hiddenSize: 4, numHeads: cell === 'attention' ? 2 : 0 });
      const model = randomSuccessorModel(spec, 1);
      const batch = randomBatch(new Rng(1), spec, 2, 5, 'mse', 'every_step');
      const chosen = await chooseBackend('auto', create, model, batch, { loss: 'mse', readout: 'every_step', truncation: null, scan }, now);
      expect(chosen.backend.name, `${cell} ${scan}`).toBe(expected);
      if (expected === 'reference') expect(chosen.notes).toContain(`wasm cannot train this model: its kernels run ${cell}'s recurrence only as a sequential loop, not as a parallel scan`);
      chosen.backend.dispose();
    }
  });

  it('a backend asked for a scan its kernels lack refuses the step in words', async () => {
    await ensureWasmBuilt();
    const spec = successorSpec('lru', { hiddenSize: 4 });
    const backend = await BACKENDS.wasm.create();
    await backend.setModel(randomSuccessorModel(spec, 1));
    const batch = randomBatch(new Rng(1), spec, 2, 5, 'mse', 'every_step');
    await expect(backend.forwardBackward(batch, { loss: 'mse', readout: 'every_step', truncation: null, scan: 'parallel' })).rejects.toThrow(/run lru's recurrence as a sequential loop, not as a parallel scan/);
  });
});
