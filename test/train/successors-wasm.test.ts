/**
 * The wasm backend's successor kernels (src/kernels/wasm/assembly: gate.ts and one file per mixer,
 * float32, SIMD): for every kind it lists (all five), the PyTorch successor cases at 1e-3 on every
 * key including the training steps; random two-layer models of two sizes (the SIMD loops' full
 * vectors and their tails), with and without truncation, against the reference backend (float64)
 * at 1e-3; and the float32-stable forms (RWKV's running maximum, the softmax's maximum) where
 * plain exponentials would overflow. A kind a backend does not list is refused in words
 * (successors.test.ts).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { stateDictOf } from '../../src/engine/modelFile';
import { parseAnyCase, type SuccessorCase } from '../../src/engine/referenceCase';
import { Rng } from '../../src/engine/rng';
import { hasStateSize, SUCCESSOR_KINDS, type SuccessorKind } from '../../src/engine/successors/spec';
import { BACKENDS } from '../../src/kernels/registry';
import type { TrainingBackend } from '../../src/kernels/types';
import { WASM_MIXER_KINDS } from '../../src/kernels/wasm/mixers';
import { ensureWasmBuilt } from '../kernels/wasm-setup';
import { randomBatch } from '../randomBatch';
import { readJson, relativeError } from '../helpers';
import { errorsOn } from './helpers';
import { randomSuccessorModel, successorCaseFiles, successorSpec } from '../successors/helpers';

const CASES = successorCaseFiles().map((f) => readJson(f));
const kindOf = (raw: unknown) => (parseAnyCase(raw) as SuccessorCase).model.spec.cell;

let wasm: TrainingBackend;
const kinds: readonly SuccessorKind[] = WASM_MIXER_KINDS;
beforeAll(async () => {
  ensureWasmBuilt();
  wasm = await BACKENDS.wasm.create();
});

describe('wasm successor kernels', () => {
  for (const raw of CASES) {
    it(`matches PyTorch at 1e-3 on every key where wasm has the mixer: ${raw.name}`, async (ctx) => {
      if (!kinds.includes(kindOf(raw))) return ctx.skip();
      const errors = await errorsOn(wasm, raw);
      if (process.env.SHOW_ERRORS) console.log(raw.name, JSON.stringify(errors));
      for (const [key, err] of Object.entries(errors)) expect(err, key).toBeLessThan(1e-3);
    });
  }

  it('lists every successor kind', () => {
    expect([...kinds].sort()).toEqual([...SUCCESSOR_KINDS].sort());
  });

  const sizes = [
    { hiddenSize: 10, stateSize: 5, numHeads: 2 },
    { hiddenSize: 20, stateSize: 9, numHeads: 4 },
  ];
  for (const [cell, size] of SUCCESSOR_KINDS.flatMap((cell) => sizes.map((size) => [cell, size] as const))) {
    it(`${cell}: two layers of width ${size.hiddenSize}, with and without truncation, equal the reference backend's at 1e-3`, async (ctx) => {
      if (!kinds.includes(cell)) return ctx.skip();
      const spec = successorSpec(cell, { numLayers: 2, hiddenSize: size.hiddenSize, stateSize: hasStateSize(cell) ? size.stateSize : 0, numHeads: cell === 'attention' ? size.numHeads : 0 });
      const model = randomSuccessorModel(spec, 11);
      const reference = await BACKENDS.reference.create();
      await reference.setModel(model);
      await wasm.setModel(model);
      const cases = [['mse', 'every_step', 3], ['cross_entropy', 'final_step', null], ['mse', 'every_step', null], ['cross_entropy', 'every_step', 1]] as const;
      for (const [loss, readout, truncation] of cases) {
        const batch = randomBatch(new Rng(5), spec, 3, 9, loss, readout);
        const opts = { loss, readout, truncation, initialState: null };
        const r = await wasm.forwardBackward(batch, opts);
        const e = await reference.forwardBackward(batch, opts);
        const what = `${loss} ${readout} k=${truncation}`;
        expect(relativeError(r.outputs, e.outputs), `outputs ${what}`).toBeLessThan(1e-3);
        expect(relativeError(r.loss, e.loss), `loss ${what}`).toBeLessThan(1e-3);
        expect(relativeError(stateDictOf(r.grads), stateDictOf(e.grads)), `grads ${what}`).toBeLessThan(1e-3);
        expect(relativeError(r.hiddenGrads, e.hiddenGrads), `hiddenGrads ${what}`).toBeLessThan(1e-3);
        expect(relativeError(r.inputGrads, e.inputGrads), `inputGrads ${what}`).toBeLessThan(1e-3);
      }
    });
  }

  /** wasm against the reference on a one-layer model of `cell` whose tensors `boost` multiplies by `by` */
  async function boosted(cell: SuccessorKind, boost: string[], by: number, ctx: { skip: () => void }): Promise<void> {
    if (!kinds.includes(cell)) return ctx.skip();
    const spec = successorSpec(cell, { hiddenSize: 8 });
    const model = randomSuccessorModel(spec, 13);
    for (const name of boost) model.params[`layers.0.mixer.${name}`].data.forEach((e, i, a) => (a[i] = by * e));
    const batch = randomBatch(new Rng(14), spec, 2, 12, 'mse', 'every_step');
    const opts = { loss: 'mse', readout: 'every_step', truncation: null, initialState: null } as const;
    const reference = await BACKENDS.reference.create();
    await reference.setModel(model);
    await wasm.setModel(model);
    const r = await wasm.forwardBackward(batch, opts);
    const e = await reference.forwardBackward(batch, opts);
    expect(Number.isFinite(e.loss) && Number.isFinite(e.gradNorm)).toBe(true);
    expect(relativeError(r.outputs, e.outputs)).toBeLessThan(1e-3);
    expect(relativeError(stateDictOf(r.grads), stateDictOf(e.grads))).toBeLessThan(1e-3);
    expect(relativeError(r.inputGrads, e.inputGrads)).toBeLessThan(1e-3);
  }

  // keys up to ~190 here: e^k would pass float32's 3e38 without RWKV-4's running maximum
  it('rwkv: keys past float32\'s exponent range stay finite and equal the reference\'s', (ctx) => boosted('rwkv', ['key.weight', 'u'], 150, ctx));
  // scores in the hundreds: e^score would overflow without the softmax's maximum subtracted
  it('attention: scores past float32\'s exponent range stay finite and equal the reference\'s', (ctx) => boosted('attention', ['q_proj.weight', 'k_proj.weight'], 12, ctx));
});
