/**
 * The successor blocks on the one training path (src/train/successors/): the reference backend
 * against the PyTorch successor cases at 1e-9 on every key (one pass and the training steps), the
 * float32 JavaScript kernels (gpu.js's, products and mixers on the CPU) at 1e-3, random models of
 * every kind against the float64 engine with truncation and ∂L/∂x, and a backend without mixers
 * refusing in words.
 */
import { describe, expect, it } from 'vitest';
import { stateDictOf } from '../../src/engine/modelFile';
import { isSuccessorCase, parseAnyCase, type SuccessorCase } from '../../src/engine/referenceCase';
import { Rng } from '../../src/engine/rng';
import { successorLossAndGradients } from '../../src/engine/successors/block';
import { SUCCESSOR_KINDS } from '../../src/engine/successors/spec';
import { gpuJsBackendOn } from '../../src/kernels/gpujs';
import { jsKernels } from '../../src/kernels/reference/arena';
import { BACKENDS } from '../../src/kernels/registry';
import { pathBackend } from '../../src/train/backend';
import { cpuContext } from '../backends/gpujs-cpu';
import { ensureWasmBuilt } from '../kernels/wasm-setup';
import { randomBatch } from '../randomBatch';
import { readJson, relativeError } from '../helpers';
import { errorsOn } from './helpers';
import { randomSuccessorModel, successorCaseFiles, successorSpec } from '../successors/helpers';

const CASES = successorCaseFiles().map((f) => readJson(f));

describe('successor blocks on the training path', () => {
  it('the cases cover every kind, and training ones', () => {
    const kinds = new Set(CASES.map((raw) => (parseAnyCase(raw) as SuccessorCase).model.spec.cell));
    expect([...kinds].sort()).toEqual([...SUCCESSOR_KINDS].sort());
    expect(CASES.every((raw) => isSuccessorCase(parseAnyCase(raw)))).toBe(true);
    expect(CASES.some((raw) => raw.training)).toBe(true);
  });

  for (const raw of CASES) {
    it(`reference matches PyTorch at 1e-9 on every key: ${raw.name}`, async () => {
      const errors = await errorsOn(await BACKENDS.reference.create(), raw);
      if (process.env.SHOW_ERRORS) console.log(raw.name, JSON.stringify(errors));
      for (const [key, err] of Object.entries(errors)) expect(err, key).toBeLessThan(1e-9);
    });

    it(`float32 JavaScript kernels (gpu.js's, on the CPU) match at 1e-3: ${raw.name}`, async () => {
      const errors = await errorsOn(await gpuJsBackendOn(cpuContext(), 0), raw);
      for (const [key, err] of Object.entries(errors)) expect(err, key).toBeLessThan(1e-3);
    });
  }

  for (const cell of SUCCESSOR_KINDS) {
    it(`${cell}: two layers, truncation, a final-step readout and ∂L/∂x equal the float64 engine's`, async () => {
      const spec = successorSpec(cell, { numLayers: 2, hiddenSize: 6, numHeads: cell === 'attention' ? 3 : 0 });
      const model = randomSuccessorModel(spec, 7);
      const backend = await BACKENDS.reference.create();
      await backend.setModel(model);
      for (const [loss, readout, truncation] of [['mse', 'every_step', 2], ['cross_entropy', 'final_step', null]] as const) {
        const batch = randomBatch(new Rng(3), spec, 3, 7, loss, readout);
        const opts = { loss, readout, truncation };
        const r = await backend.forwardBackward(batch, { ...opts, initialState: null });
        const e = successorLossAndGradients(model, batch, opts);
        expect(relativeError(r.outputs, e.outputs)).toBeLessThan(1e-12);
        expect(relativeError(r.loss, e.loss)).toBeLessThan(1e-12);
        expect(relativeError(stateDictOf(r.grads), stateDictOf(e.grads))).toBeLessThan(1e-12);
        expect(relativeError(r.hiddenGrads, e.hiddenGrads)).toBeLessThan(1e-12);
        expect(relativeError(r.inputGrads, e.inputGrads)).toBeLessThan(1e-12);
        expect(r.loss).toBeGreaterThan(0);
      }
    });
  }

  it('a backend without mixers says which kind it does not train yet, and a carried state is refused', async () => {
    // the reference's kernels without their mixers: a backend whose kernels have none
    const { mixers, ...withoutMixers } = jsKernels((n) => new Float64Array(n));
    expect(mixers?.kinds).toContain('lru');
    const bare = pathBackend(withoutMixers, { name: 'webgpu', description: 'float64 kernels without mixers', isSoftware: false });
    const model = randomSuccessorModel(successorSpec('lru'), 1);
    await expect(bare.setModel(model)).rejects.toThrow('the webgpu backend does not train lru yet');
    const reference = await BACKENDS.reference.create();
    await reference.setModel(model);
    const batch = randomBatch(new Rng(1), model.spec, 2, 3, 'mse', 'every_step');
    await expect(reference.forwardBackward(batch, { loss: 'mse', readout: 'every_step', truncation: null, initialState: { h: [new Float64Array(8)], c: null } })).rejects.toThrow(/carried state/);
  });
});

describe('successor blocks: whatever the weights hold, a step ends and says whether it applied', () => {
  for (const name of ['reference', 'wasm'] as const)
    for (const cell of SUCCESSOR_KINDS)
      for (const [what, value] of [['NaN', NaN], ['huge', 1e30], ['subnormal', 1e-310]] as const) {
        it(`${name} ${cell}: a ${what} weight`, async () => {
          if (name === 'wasm') ensureWasmBuilt();
          const model = randomSuccessorModel(successorSpec(cell, { hiddenSize: 4, numHeads: cell === 'attention' ? 2 : 0 }), 11);
          const mixer = Object.keys(model.params).find((k) => k.startsWith('layers.0.mixer.')) as string;
          model.params[mixer].data.fill(value);
          model.params['layers.0.in_proj.weight'].data[0] = value;
          const backend = await BACKENDS[name].create();
          await backend.setModel(model);
          const batch = randomBatch(new Rng(5), model.spec, 2, 6, 'mse', 'every_step');
          const step = await backend.trainStep(batch, { loss: 'mse', readout: 'every_step', truncation: null, initialState: null, clip: { kind: 'norm', max: 1 }, optimizer: { name: 'adam', lr: 1e-3 } });
          const finite = Number.isFinite(step.loss) && Number.isFinite(step.gradNormBefore);
          expect(step.applied).toBe(finite); // a poisoned step never moves the weights
          if (what === 'subnormal') expect(finite).toBe(true);
          const after = await backend.readParams();
          const stored = (v: number) => (name === 'wasm' ? Math.fround(v) : v); // what the arena holds
          if (!step.applied) expect(Array.from(after[mixer].data)).toEqual(Array.from(model.params[mixer].data, stored));
          backend.dispose();
        });
      }
});
