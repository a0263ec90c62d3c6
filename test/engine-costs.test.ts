/**
 * The closed forms of engine/costs.ts against counts of what the engine really does:
 * - forward multiply-adds: every matrix product the float64 engine calls, counted by wrapping
 *   linalg's products, plus attention's (query, key) pairs counted in the weights its
 *   causalWeights fills (each costs d for the score and d for the weighted sum);
 * - memory per generated step: the state each mixer (and the RNN stack) hands on, measured by its
 *   size, and shown to be enough (the rest of a sequence run from it gives the same outputs);
 *   attention's output at step t shown to depend on every one of the t + 1 values so far;
 * - the scan's rounds and combines, counted inside engine/successors/scan.ts.
 */
import { describe, expect, it, vi } from 'vitest';
import * as linalg from '../src/engine/linalg';
import { initAnyModel, type AnyModelSpec, type LayerKind } from '../src/engine/anyModel';
import { forward, runLayers } from '../src/engine/bptt';
import { attentionPairs, costCurves, forwardMacs, loopSteps, scanCombines, scanRounds, stateFloatsAt } from '../src/engine/costs';
import { Rng } from '../src/engine/rng';
import type { ModelSpec, Model } from '../src/engine/model';
import { causalWeights } from '../src/engine/successors/attention';
import { MIXERS, successorForward } from '../src/engine/successors/block';
import { linearRecurrence, type ScanCount } from '../src/engine/successors/scan';
import { SUCCESSOR_KINDS, tensorsUnder, type SuccessorModel } from '../src/engine/successors/spec';
import { randomBatch } from './randomBatch';
import { randomSuccessorModel, successorSpec } from './successors/helpers';

/** Multiply-adds of every product the engine calls while the counter is on. */
const counter = vi.hoisted(() => ({ on: false, macs: 0 }));
vi.mock('../src/engine/linalg', async (importOriginal) => {
  const m = await importOriginal<typeof linalg>();
  const counted =
    (f: (out: Float64Array, a: Float64Array, b: Float64Array, M: number, N: number, K: number) => void) =>
    (out: Float64Array, a: Float64Array, b: Float64Array, M: number, N: number, K: number) => {
      if (counter.on) counter.macs += M * N * K;
      f(out, a, b, M, N, K);
    };
  return { ...m, addMatMulBT: counted(m.addMatMulBT), addMatMulAT: counted(m.addMatMulAT), addMatMul: counted(m.addMatMul) };
});

function count(run: () => void): number {
  counter.macs = 0;
  counter.on = true;
  try {
    run();
  } finally {
    counter.on = false;
  }
  return counter.macs;
}

const rnnSpec = (cell: 'rnn' | 'lstm' | 'gru', extra: Partial<ModelSpec> = {}): ModelSpec => ({ cell, nonlinearity: 'tanh', inputSize: 3, hiddenSize: 5, numLayers: 2, bidirectional: false, outputSize: 2, initialState: 'zero', ...extra });
const initOf = { scheme: 'pytorch' as const, gain: 1, spectralRadius: null, forgetBias: null };

describe('forward multiply-adds against the products the engine calls', () => {
  const B = 2;
  for (const T of [1, 6, 13]) {
    for (const spec of [rnnSpec('rnn'), rnnSpec('lstm', { bidirectional: true }), rnnSpec('gru', { numLayers: 1 })]) {
      it(`${spec.cell}${spec.bidirectional ? ', bidirectional' : ''}, T = ${T}`, () => {
        const model = initAnyModel(spec, initOf, new Rng(1)) as Model;
        const batch = randomBatch(new Rng(2), spec, B, T, 'mse', 'every_step');
        expect(count(() => forward(model, batch, { loss: 'mse', readout: 'every_step', truncation: null }))).toBe(B * forwardMacs(spec, T));
      });
    }
    for (const cell of SUCCESSOR_KINDS) {
      it(`${cell}, two blocks, T = ${T}`, () => {
        const spec = successorSpec(cell, { numLayers: 2, hiddenSize: 6, numHeads: cell === 'attention' ? 3 : 0 });
        const model = randomSuccessorModel(spec, 3);
        const batch = randomBatch(new Rng(4), spec, B, T, 'mse', 'every_step');
        const products = count(() => successorForward(model, batch, { loss: 'mse', readout: 'every_step', truncation: null }));
        let pairs = 0; // (query, key) pairs per head and sequence, as causalWeights fills them
        if (cell === 'attention') {
          const rng = new Rng(5);
          const q = Float64Array.from({ length: T * B * 6 }, () => rng.normal()); // (T, B, H)
          const k = Float64Array.from({ length: T * B * 6 }, () => rng.normal()); // (T, B, H)
          pairs = causalWeights(q, k, B, T, 6, 3).filter((w) => w > 0).length / (B * 3);
        }
        const d = 6 / Math.max(1, spec.numHeads);
        const scores = spec.numLayers * spec.numHeads * pairs * 2 * d; // per sequence: d for q·k, d for α·val
        expect(products / B + scores).toBe(forwardMacs(spec, T));
        if (cell === 'attention') expect(pairs).toBe(attentionPairs(T));
      });
    }
  }
});

/** The mixer's parameters of layer 0 of a successor model. */
const mixerOf = (model: SuccessorModel) => tensorsUnder(model.params, 'layers.0.mixer.');

describe('memory per generated step against what the engine carries', () => {
  const B = 2;
  const T = 9;
  for (const cell of SUCCESSOR_KINDS) {
    it(`${cell}: ${cell === 'attention' ? 'step t reads every one of its t + 1 values' : 'the state it hands on is stateFloatsAt floats, and enough'}`, () => {
      const spec = successorSpec(cell, { hiddenSize: 4, stateSize: cell === 'lru' || cell === 'mamba' ? 3 : 0 });
      const p = mixerOf(randomSuccessorModel(spec, 7));
      const dims = { B, T, H: 4, N: spec.stateSize, heads: spec.numHeads };
      const rng = new Rng(8);
      const v = Float64Array.from({ length: T * B * 4 }, () => rng.normal()); // (T, B, H)
      const full = MIXERS[cell](p, v, dims, { truncation: null, scan: 'loop', initialState: null });
      if (cell !== 'attention') {
        for (let t = 1; t < T; t++) {
          const head = MIXERS[cell](p, v.slice(0, t * B * 4), { ...dims, T: t }, { truncation: null, scan: 'loop', initialState: null });
          const carried = head.finalState.reduce((s, x) => s + x.length, 0) / B;
          expect(carried).toBe(stateFloatsAt(spec, t - 1));
          const rest = MIXERS[cell](p, v.slice(t * B * 4), { ...dims, T: T - t }, { truncation: null, scan: 'loop', initialState: head.finalState });
          const expected = full.c.slice(t * B * 4);
          rest.c.forEach((c, i) => expect(Math.abs(c - expected[i])).toBeLessThan(1e-12));
        }
        return;
      }
      // ∂c_t/∂v_τ through the mixer's own backward: nonzero for every τ ≤ t, zero after.
      for (let t = 0; t < T; t++) {
        const dL_dc = new Float64Array(T * B * 4); // (T, B, H)
        dL_dc.fill(1, t * B * 4, t * B * 4 + 4); // sequence 0, step t
        const g = Object.fromEntries(Object.entries(p).map(([name, x]) => [name, new Float64Array(x.length)]));
        const dL_dv = full.backward(dL_dc, g);
        const reached = Array.from({ length: T }, (_, tau) => dL_dv.slice(tau * B * 4, tau * B * 4 + 4).some((x) => x !== 0));
        expect(reached.filter(Boolean).length).toBe(t + 1);
        expect(reached.slice(0, t + 1).every(Boolean)).toBe(true);
        // a key and a value (H floats each) for every step it reads
        expect(stateFloatsAt(spec, t)).toBe(2 * 4 * reached.filter(Boolean).length);
      }
    });
  }

  for (const spec of [rnnSpec('rnn'), rnnSpec('lstm', { bidirectional: true }), rnnSpec('gru')]) {
    it(`${spec.cell}${spec.bidirectional ? ', bidirectional' : ''}: h (and c) of every layer and direction`, () => {
      const model = initAnyModel(spec, initOf, new Rng(1)) as Model;
      const x = randomBatch(new Rng(2), spec, B, 5, 'mse', 'every_step').x;
      const { finalState } = runLayers(model, x, B, 5);
      const floats = [...finalState.h, ...(finalState.c ?? [])].reduce((s, a) => s + a.length, 0) / B;
      for (const t of [0, 4, 400]) expect(stateFloatsAt(spec, t)).toBe(floats);
    });
  }
});

describe('loop and scan: depth and work, counted inside the recurrence', () => {
  for (const T of [1, 2, 3, 7, 8, 9, 100, 256]) {
    it(`T = ${T}`, () => {
      const rng = new Rng(T);
      const rows = () => ({ re: Float64Array.from({ length: T * 2 }, () => rng.normal()), im: null }); // (T, 2)
      const [a, b] = [rows(), rows()];
      const loop: ScanCount = { rounds: 0, combines: 0 };
      const scan: ScanCount = { rounds: 0, combines: 0 };
      const x = linearRecurrence(a, b, T, 2, null, 'loop', loop);
      const y = linearRecurrence(a, b, T, 2, null, 'parallel', scan);
      y.re.forEach((e, i) => expect(Math.abs(e - x.re[i])).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(x.re[i]))));
      expect(loop).toEqual({ rounds: loopSteps(T), combines: loopSteps(T) });
      expect(scan).toEqual({ rounds: scanRounds(T), combines: scanCombines(T) });
    });
  }
});

describe('the curves a lesson and the page read', () => {
  it('carry each closed form at each length, per kind', () => {
    const specs: AnyModelSpec[] = [rnnSpec('gru'), successorSpec('attention', { hiddenSize: 6, numHeads: 2 })];
    const c = costCurves(specs, [4, 8]);
    expect(c.kinds.map((k) => k.cell)).toEqual(['gru', 'attention'] satisfies LayerKind[]);
    expect(c.kinds[1].forwardFlops).toEqual([2 * forwardMacs(specs[1], 4), 2 * forwardMacs(specs[1], 8)]);
    expect(c.kinds[1].stateFloats).toEqual([stateFloatsAt(specs[1], 3), stateFloatsAt(specs[1], 7)]);
    expect(c.scan).toEqual({ loopSteps: [3, 7], rounds: [2, 3], combines: [5, 17] });
  });
});
