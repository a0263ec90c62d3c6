/**
 * The wasm backend on two threads (src/kernels/wasm/threads.ts, threaded.ts): a helper worker on a
 * shared memory runs the last rows of each recurrence sweep and part of each large product. The
 * parts (even, lopsided, or as the measured speeds say) are cut at the register block's edges, so
 * every element is computed by the same instructions as on one thread: the products and whole
 * training runs must be bit-identical to the one-thread backend's, not merely close. A helper
 * that stops answering makes the product throw within its timeout instead of waiting forever.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initModel } from '../../src/engine/init';
import type { CellKind } from '../../src/engine/model';
import { Rng } from '../../src/engine/rng';
import type { TrainOptionsForBackend } from '../../src/kernels/types';
import { createWasmBackend } from '../../src/kernels/wasm';
import { loadKernels, type WasmKernels } from '../../src/kernels/wasm/loader';
import { startThreads, type ThreadedKernels } from '../../src/kernels/wasm/threaded';
import { COLD_SPLIT_MACS, MIN_SPLIT_MACS } from '../../src/kernels/wasm/threads';
import { FixedShares } from '../../src/kernels/wasm/shares';
import { pathBackend } from '../../src/train/backend';
import { ensureWasmBuilt } from './wasm-setup';

/** Shares every large product, awake helper or not: what is shared does not depend on timing. */
let threaded: ThreadedKernels;
/** The page's policy: shares when the helper is awake (timing decides which, never what comes out). */
let auto: ThreadedKernels;
/** Shares every large product, the helper taking 72 % of each (a fast helper; where the cut falls never changes what comes out). */
let lopsided: ThreadedKernels;
let single: WasmKernels;
beforeAll(async () => {
  ensureWasmBuilt();
  threaded = await startThreads({ policy: 'always' });
  auto = await startThreads();
  lopsided = await startThreads({ policy: 'always', shares: new FixedShares(0.72) });
  single = await loadKernels();
});
afterAll(() => {
  threaded?.stop();
  auto?.stop();
  lopsided?.stop();
});

/**
 * C += op(A)·B on a module's memory from the given operands (A, B, then C's start); returns C.
 * `before` runs between the copy-in and the product (to wake the helper just in time).
 */
function product(k: WasmKernels, form: 'nn' | 'tn', M: number, N: number, K: number, values: Float32Array, before = (_free: number): void => {}): Float32Array {
  const nA = M * K;
  const base = Math.ceil(k.heap_base() / 64) * 64;
  const end = base + 4 * (nA + K * N + M * N); // then room for `before`'s own product
  const need = Math.ceil((end + WAKE_BYTES) / 65536) - k.memory.buffer.byteLength / 65536;
  if (need > 0) k.memory.grow(need);
  new Float32Array(k.memory.buffer).set(values, base >> 2);
  const [A, B, C] = [base, base + 4 * nA, base + 4 * (nA + K * N)];
  before(Math.ceil(end / 64) * 64);
  if (form === 'nn') k.gemm_nn(M, N, K, A, K, B, N, C, N);
  else k.gemm_tn(M, N, K, A, M, B, N, C, N);
  return new Float32Array(k.memory.buffer).slice(C >> 2, (C >> 2) + M * N);
}

const WAKE_BYTES = 4 * (32 * 256 + 256 * 256 + 32 * 256) + 64;

/** A per-step-shaped product (a batch of rows against a weight matrix) at `free`: it wakes the helper. */
function wakeHelper(k: WasmKernels, free: number): void {
  k.gemm_nn(32, 256, 256, free, 256, free + 4 * 32 * 256, 256, free + 4 * (32 * 256 + 256 * 256), 256);
}

describe('products on two threads', () => {
  // Split along N (wide), along M (N < 16, or gemm_tn with M ≥ 2N), uneven halves, and every block edge; cold and warm.
  const shapes: ['nn' | 'tn', number, number, number][] = [
    ['nn', 32, 512, 128],
    ['nn', 33, 100, 1000],
    ['nn', 1600, 8, 300],
    ['nn', 1601, 13, 333],
    ['tn', 128, 128, 1600],
    ['tn', 512, 8, 1600],
    ['tn', 77, 21, 5000],
    ['tn', 13, 13, 50_000],
    ['tn', 1024, 64, 300],
    ['tn', 203, 24, 3000],
  ];
  it.each(shapes)('gemm_%s %i×%i×%i is bit-identical to one thread', (form, M, N, K) => {
    expect(M * N * K).toBeGreaterThanOrEqual(MIN_SPLIT_MACS);
    const rng = new Rng(M * N + K);
    const values = new Float32Array(M * K + K * N + M * N).map(() => rng.uniformIn(-1, 1));
    const one = product(single, form, M, N, K, values);
    const before = threaded.splits();
    const shared = product(threaded.kernels, form, M, N, K, values);
    expect(threaded.splits() - before, 'shared with the helper').toBe(1);
    // the page's policy, a per-step product just before waking the helper: shared or not, the same numbers
    const viaAuto = [0, 1].map(() => product(auto.kernels, form, M, N, K, values, (free) => wakeHelper(auto.kernels, free)));
    const uneven = product(lopsided.kernels, form, M, N, K, values);
    for (const two of [shared, ...viaAuto, uneven]) {
      expect(two.length).toBe(M * N);
      let differing = 0;
      for (let i = 0; i < two.length; i++) if (two[i] !== one[i]) differing++;
      expect(differing).toBe(0);
    }
  });
});

describe('training on two threads', () => {
  const opts: TrainOptionsForBackend = { loss: 'mse', readout: 'every_step', truncation: null, clip: { kind: 'norm', max: 1 }, optimizer: { name: 'adam', lr: 1e-3 }, hiddenReads: false };
  interface Setup {
    cell: CellKind;
    H: number;
    B: number;
    layers?: number;
    bidirectional?: boolean;
    truncation?: number;
    learned?: boolean;
    readout?: 'every_step' | 'final_step';
  }
  // The sweeps' rows split at a multiple of 4 (B = 30: 16 + 14 even, 8 + 22 lopsided; B = 13: 8 + 5
  // and 4 + 9), B < 8 unsplit;
  // two layers and both directions, truncation, a learned start state, a final-step readout.
  const setups: Setup[] = [
    { cell: 'rnn', H: 128, B: 32 },
    { cell: 'lstm', H: 128, B: 32 },
    { cell: 'gru', H: 128, B: 32 },
    { cell: 'lstm', H: 36, B: 30, layers: 2, bidirectional: true, truncation: 7 },
    { cell: 'gru', H: 20, B: 13, layers: 2, bidirectional: true, learned: true, readout: 'final_step' },
    { cell: 'rnn', H: 24, B: 9, learned: true, truncation: 5 },
    { cell: 'lstm', H: 16, B: 6, learned: true },
  ];
  it.each(setups)('%o: losses, gradient norms and weights equal one thread, bit for bit', async (u) => {
    const [T, D, Y] = [20, 8, 8];
    const spec = {
      cell: u.cell, nonlinearity: 'tanh' as const, inputSize: D, hiddenSize: u.H, numLayers: u.layers ?? 1,
      bidirectional: u.bidirectional ?? false, outputSize: Y, initialState: u.learned ? ('learned' as const) : ('zero' as const),
    };
    const model = initModel(spec, { scheme: 'pytorch' }, new Rng(3));
    const rng = new Rng(4);
    const batch = { B: u.B, T, inputSize: D, x: new Float64Array(T * u.B * D).map(() => rng.normal()), target: new Float64Array((u.readout === 'final_step' ? 1 : T) * u.B * Y).map(() => rng.normal()) };
    const o = { ...opts, truncation: u.truncation ?? null, readout: u.readout ?? 'every_step' };
    const runs: { losses: number[]; norms: number[]; params: Float64Array[] }[] = [];
    const before = threaded.splits();
    const shared = [threaded, lopsided].map((t) => pathBackend(t.path, { name: 'wasm', description: '', isSoftware: false }));
    for (const backend of [...shared, await createWasmBackend({ threads: 1 })]) {
      await backend.setModel(model);
      const losses: number[] = [];
      const norms: number[] = [];
      for (let s = 0; s < 4; s++) {
        const st = await backend.trainStep(batch, o);
        losses.push(st.loss);
        norms.push(st.gradNormBefore, ...st.hiddenGradNorms);
      }
      runs.push({ losses, norms, params: Object.values(await backend.readParams()).map((t) => t.data) });
    }
    // 'always' shares every sweep of 8 rows or more: two per layer and direction and step
    const sweeps = u.B >= 8 ? 4 * 2 * (u.layers ?? 1) * (u.bidirectional ? 2 : 1) : 0;
    expect(threaded.splits() - before, 'sweeps and products shared with the helper').toBeGreaterThanOrEqual(sweeps);
    for (const two of [runs[0], runs[1]]) {
      expect(two.losses).toEqual(runs[2].losses);
      expect(two.norms).toEqual(runs[2].norms);
      expect(two.params).toEqual(runs[2].params);
    }
    expect(runs[0].losses.every(Number.isFinite)).toBe(true);
  });
});

describe('a helper that stops answering', () => {
  it('makes the next shared product throw within its timeout, naming it (the page policy: a product too large to wait for a wake)', async () => {
    const t = await startThreads({ timeoutMs: 300 });
    try {
      const rng = new Rng(9);
      const [M, N, K] = [64, 256, 1024]; // above COLD_SPLIT_MACS: shared even with the helper asleep
      expect(M * N * K).toBeGreaterThanOrEqual(COLD_SPLIT_MACS);
      const values = new Float32Array(M * K + K * N + M * N).map(() => rng.uniformIn(-1, 1));
      product(t.kernels, 'nn', M, N, K, values); // works while the helper lives
      t.kill();
      await new Promise((r) => setTimeout(r, 100)); // the worker is gone
      expect(() => product(t.kernels, 'nn', M, N, K, values)).toThrow(/helper thread did not finish gemm_nn 64×256×1024 within 0\.3 s/);
    } finally {
      t.stop();
    }
  });
});
