/**
 * The backend test table: one list of checks that every training backend runs, written as plain
 * data plus one runner, with no test framework in it, so that Vitest (test/backends/backends.test.ts,
 * the backends that run in Node) and the browser harness (src/harness/worker.ts, driven by
 * e2e/backends.spec.ts, the GPU backends) run the same checks.
 *
 *  - pytorch:  every PyTorch case (../shared/reference/cases, read by the caller and handed in):
 *              outputs, loss, each gradient, the gradient norm, ∂L/∂h_t step by step, and with
 *              training the losses, norms and weights after each step.
 *  - random:   240 configurations (cell × layers × direction × truncation × learned h0 × mask) on
 *              sizes that cross the SIMD edges, plus the largest and smallest shapes and a carried
 *              state, against the float64 reference backend.
 *  - schedule: several training steps whose optimizer, learning rate, clipping, truncation and
 *              batch change from step to step, against the reference backend.
 *  - probe:    a NaN weight or input leaves the weights as they were (applied = false); huge weights
 *              saturate: finite numbers (bounded cells) or a step reported as not applied (ReLU).
 *
 * Tolerance per precision, with the reference README's rule (‖ours − ref‖₂ / ‖ref‖₂): float64 to
 * 1e-9, float32 to 1e-3. SKIPS says which entries a backend skips, and why.
 */
import { batchFirst3, nested2, type Batch, type LossKind, type Readout } from '../../src/engine/batch';
import { lossAndGradients, type RecurrentState, type RunOptions } from '../../src/engine/bptt';
import type { ClipSpec } from '../../src/engine/clip';
import { initModel } from '../../src/engine/init';
import { directionsOf, type CellKind, type Model, type ModelSpec, type Nonlinearity, type Params } from '../../src/engine/model';
import { stateDictOf } from '../../src/engine/modelFile';
import type { OptimizerSpec } from '../../src/engine/optim';
import { parseCase } from '../../src/engine/referenceCase';
import { Rng } from '../../src/engine/rng';
import { normsPerStep } from '../../src/engine/stepNorms';
import { BACKENDS, type Precision } from '../../src/kernels/registry';
import type { TrainingBackend } from '../../src/kernels/types';
import { randomBatch } from '../randomBatch';

export const TOLERANCE: Readonly<Record<Precision, number>> = { float64: 1e-9, float32: 1e-3 };

export type EntryKind = 'pytorch' | 'random' | 'schedule' | 'probe';
export const ENTRY_KINDS: readonly EntryKind[] = ['pytorch', 'random', 'schedule', 'probe'];

/** What runs the table: a backend as the registry describes it, and where it runs. */
export interface Subject {
  name: string;
  precision: Precision;
  /** a CPU emulator standing in for a GPU (SwiftShader, a fallback adapter) */
  isSoftware: boolean;
  where: 'node' | 'browser';
}

/** Collects the comparisons of one entry. */
export class Checks {
  worst = 0;
  readonly failures: string[] = [];
  constructor(readonly tol: number) {}

  /** ours against ref by the README's rule; nested arrays and objects (keys sorted) alike */
  close(label: string, ours: unknown, ref: unknown, tol = this.tol): void {
    const err = relativeDistance(ours, ref);
    if (err > this.worst || Number.isNaN(err)) this.worst = Number.isNaN(err) ? Infinity : err;
    if (!(err <= tol)) this.failures.push(`${label}: relative error ${err.toExponential(2)} > ${tol}`);
  }

  that(label: string, ok: boolean, detail = ''): void {
    if (!ok) this.failures.push(`${label}${detail ? `: ${detail}` : ''}`);
  }
}

export interface Entry {
  id: string;
  kind: EntryKind;
  /** position within its kind, for sampling */
  index: number;
  run(backend: TrainingBackend, reference: TrainingBackend, check: Checks): Promise<void>;
}

export interface Skip {
  /** why, in a line that names the backend */
  reason(s: Subject): string;
  applies(e: Entry, s: Subject): boolean;
}

/**
 * Where a CPU-emulated GPU (SwiftShader) runs only one random configuration in `stride`, and why
 * (a stride prime to the size cycles of 4, 3, 2 and 5, so that the sizes still vary).
 */
export const SOFTWARE_GPU_SAMPLE: Readonly<Record<string, { stride: number; why: string }>> = {
  gpujs: { stride: 7, why: 'each new product shape compiles a WebGL2 shader on the emulator, about 0.5 s a configuration, 2 minutes for all 249' },
};

export const SKIPS: readonly Skip[] = [
  {
    reason: (s) => `${s.name}: these entries compare with the reference backend, which is ${s.name} itself (it is checked against PyTorch here and by finite differences in test/gradcheck.test.ts); skipped`,
    applies: (e, s) => s.name === 'reference' && (e.kind === 'random' || e.kind === 'schedule'),
  },
  {
    reason: (s) => `${s.name} on a software GPU (SwiftShader): ${SOFTWARE_GPU_SAMPLE[s.name].why}, so one random configuration in ${SOFTWARE_GPU_SAMPLE[s.name].stride} runs; skipped`,
    applies: (e, s) => s.isSoftware && e.kind === 'random' && s.name in SOFTWARE_GPU_SAMPLE && e.index % SOFTWARE_GPU_SAMPLE[s.name].stride !== 0,
  },
  {
    reason: (s) => `${s.name} in the browser: the whole table runs in Node (test/backends/backends.test.ts), here only the PyTorch cases, to check the built page loads it; skipped`,
    applies: (e, s) => s.where === 'browser' && BACKENDS[s.name as keyof typeof BACKENDS]?.runsInNode === true && e.kind !== 'pytorch',
  },

];

export function skipReason(e: Entry, s: Subject): string | null {
  const skip = SKIPS.find((k) => k.applies(e, s));
  return skip ? skip.reason(s) : null;
}

export interface Outcome {
  id: string;
  kind: EntryKind;
  status: 'pass' | 'fail' | 'skip';
  /** skip: why; fail: the failed checks, one a line */
  detail: string;
  /** the largest relative error seen */
  worst: number;
  ms: number;
}

export async function runEntry(e: Entry, backend: TrainingBackend, reference: TrainingBackend, s: Subject, now: () => number = () => Date.now()): Promise<Outcome> {
  const why = skipReason(e, s);
  if (why) return { id: e.id, kind: e.kind, status: 'skip', detail: why, worst: 0, ms: 0 };
  const check = new Checks(TOLERANCE[s.precision]);
  const t0 = now();
  try {
    await e.run(backend, reference, check);
  } catch (err) {
    check.failures.push(`threw: ${err instanceof Error ? err.message : String(err)}`);
  }
  const status = check.failures.length ? 'fail' : 'pass';
  return { id: e.id, kind: e.kind, status, detail: check.failures.join('\n'), worst: check.worst, ms: now() - t0 };
}

/** Runs every entry of the given kinds on one backend, one after another. */
export async function runTable(entries: readonly Entry[], backend: TrainingBackend, s: Subject, now?: () => number): Promise<Outcome[]> {
  const reference = await BACKENDS.reference.create();
  const out: Outcome[] = [];
  try {
    for (const e of entries) out.push(await runEntry(e, backend, reference, s, now));
  } finally {
    reference.dispose();
  }
  return out;
}

/** The whole table; `cases` are the PyTorch cases' raw JSON (format rnn-playground/case@1). */
export function backendTable(cases: readonly unknown[]): Entry[] {
  return [...pytorchEntries(cases), ...randomEntries(), ...scheduleEntries(), ...probeEntries()];
}

// ------------------------------------------------------------------------------------------------
// Comparing numbers

/** Every number of a nested value, objects in key order (two state_dicts line up). */
function numbersOf(v: unknown, out: number[] = []): number[] {
  if (typeof v === 'number') out.push(v);
  else if (ArrayBuffer.isView(v)) for (const x of v as Float64Array) out.push(x);
  else if (Array.isArray(v)) v.forEach((e) => numbersOf(e, out));
  else if (v !== null && typeof v === 'object') {
    const rec = v as Record<string, unknown>;
    Object.keys(rec)
      .sort()
      .forEach((k) => numbersOf(rec[k], out));
  }
  return out;
}

/** ‖ours − ref‖₂ / max(‖ref‖₂, 1e-30); Infinity when the shapes differ, NaN when ours has one. */
export function relativeDistance(ours: unknown, ref: unknown): number {
  const a = numbersOf(ours);
  const b = numbersOf(ref);
  if (a.length !== b.length) return Infinity;
  let d = 0; // ‖ours − ref‖²
  let n = 0; // ‖ref‖²
  for (let i = 0; i < a.length; i++) {
    d += (a[i] - b[i]) ** 2;
    n += b[i] ** 2;
  }
  return Math.sqrt(d) / Math.max(Math.sqrt(n), 1e-30);
}

const allFinite = (v: unknown): boolean => numbersOf(v).every(Number.isFinite);

/** Same numbers bit for bit, NaN equal to NaN. */
function sameParams(a: Params, b: Params): boolean {
  const keys = Object.keys(b);
  if (Object.keys(a).length !== keys.length) return false;
  return keys.every((k) => a[k] && a[k].data.length === b[k].data.length && a[k].data.every((x, i) => Object.is(x, b[k].data[i])));
}

function paramsClose(check: Checks, label: string, ours: Params, ref: Params): void {
  for (const k of Object.keys(ref)) check.close(`${label} ${k}`, ours[k]?.data ?? [], ref[k].data);
}

// ------------------------------------------------------------------------------------------------
// PyTorch cases

/** The case file's hiddenGrads of this case hold only the direct readout gradient (see
 *  test/reference.test.ts), so its hiddenGrads are compared with the reference backend's. */
const HIDDEN_GRADS_ARE_DIRECT_ONLY = new Set(['gru_bidirectional_two_layers_cross_entropy']);

interface Expected {
  outputs: unknown;
  loss: number;
  grads: Record<string, unknown>;
  gradNorm: number;
  hiddenGrads: unknown[];
  /** [B][T][D], in the cases that have it */
  inputGrads?: unknown;
  lossesDuringTraining?: number[];
  gradNormsDuringTraining?: number[];
  paramsAfter?: Record<string, unknown>[];
}

function pytorchEntries(cases: readonly unknown[]): Entry[] {
  return cases.map((raw, index) => {
    const c = parseCase(raw);
    const expected = (raw as { expected: Expected }).expected;
    const { B, T } = c.batch;
    const Y = c.model.spec.outputSize;
    const Hd = c.model.spec.hiddenSize * directionsOf(c.model.spec);
    const stepsOf = (hg: Float64Array) => Array.from({ length: T }, (_, t) => nested2(hg.subarray(t * B * Hd, (t + 1) * B * Hd), B, Hd));
    return {
      id: `pytorch ${c.name}`,
      kind: 'pytorch' as const,
      index,
      async run(backend, reference, check) {
        await backend.setModel(c.model);
        const r = await backend.forwardBackward(c.batch, c.opts);
        check.close('outputs', c.opts.readout === 'every_step' ? batchFirst3(r.outputs, T, B, Y) : nested2(r.outputs, B, Y), expected.outputs);
        check.close('loss', r.loss, expected.loss);
        const grads = stateDictOf(r.grads);
        for (const [k, g] of Object.entries(expected.grads)) check.close(`grads ${k}`, grads[k] ?? [], g);
        check.that('grads: the same names', Object.keys(grads).length === Object.keys(expected.grads).length);
        check.close('gradNorm', r.gradNorm, expected.gradNorm);
        let hidden: unknown[] = expected.hiddenGrads;
        if (HIDDEN_GRADS_ARE_DIRECT_ONLY.has(c.name)) {
          await reference.setModel(c.model);
          hidden = stepsOf((await reference.forwardBackward(c.batch, c.opts)).hiddenGrads);
        }
        stepsOf(r.hiddenGrads).forEach((step, t) => check.close(`hiddenGrads[${t}]`, step, hidden[t]));
        // ∂L/∂x_t: the case's when it has them, else the float64 engine's (held to finite differences)
        const inputs = expected.inputGrads ?? batchFirst3(lossAndGradients(c.model, c.batch, c.opts).inputGrads, T, B, c.model.spec.inputSize);
        check.close('inputGrads', batchFirst3(r.inputGrads, T, B, c.model.spec.inputSize), inputs);
        if (!c.training) return;
        await backend.setModel(c.model);
        for (let s = 0; s < c.training.steps; s++) {
          const step = await backend.trainStep(c.batch, { ...c.opts, clip: c.training.clip, optimizer: c.training.optimizer });
          check.that(`step ${s + 1} applied`, step.applied);
          check.close(`lossesDuringTraining[${s}]`, step.loss, expected.lossesDuringTraining?.[s]);
          check.close(`gradNormsDuringTraining[${s}]`, step.gradNormBefore, expected.gradNormsDuringTraining?.[s]);
          check.close(`paramsAfter[${s}]`, stateDictOf(await backend.readParams()), expected.paramsAfter?.[s]);
        }
      },
    };
  });
}

// ------------------------------------------------------------------------------------------------
// Random configurations against the reference backend

/** A seeded model whose learned initial state is not zero, so that its gradient path matters. */
function randomModel(spec: ModelSpec, seed: number, scale = 1): Model {
  const rng = new Rng(seed);
  const model = initModel(spec, { scheme: 'pytorch' }, rng);
  for (const [name, t] of Object.entries(model.params)) {
    if (name.startsWith('h0_') || name.startsWith('c0_')) for (let i = 0; i < t.data.length; i++) t.data[i] = rng.uniformIn(-0.5, 0.5);
    if (scale !== 1) for (let i = 0; i < t.data.length; i++) t.data[i] *= scale;
  }
  return model;
}

/**
 * forwardBackward of both backends on the same model and batch, every array compared; each
 * parameter's gradient apart, or (`wholeGrads`) all of them as one array: in saturation a float32
 * gradient of 1e-30 in float64 is exactly 0, a relative error of 1 that says nothing.
 */
async function compareWithReference(backend: TrainingBackend, reference: TrainingBackend, check: Checks, model: Model, batch: Batch, opts: RunOptions, label = '', wholeGrads = false): Promise<void> {
  await backend.setModel(model);
  await reference.setModel(model);
  const a = await backend.forwardBackward(batch, opts);
  const r = await reference.forwardBackward(batch, opts);
  check.close(`${label}outputs`, a.outputs, r.outputs);
  check.close(`${label}loss`, a.loss, r.loss);
  check.close(`${label}gradNorm`, a.gradNorm, r.gradNorm);
  if (wholeGrads) check.close(`${label}grads`, stateDictOf(a.grads), stateDictOf(r.grads));
  else paramsClose(check, `${label}grads`, a.grads, r.grads);
  check.close(`${label}hiddenGrads`, a.hiddenGrads, r.hiddenGrads);
  check.close(`${label}inputGrads`, a.inputGrads, r.inputGrads);
}

/** Every cell and nonlinearity: the vanilla RNN's three, LSTM, GRU. */
const CELLS: [CellKind, Nonlinearity][] = [...(['tanh', 'relu', 'linear'] as const).map((n): [CellKind, Nonlinearity] => ['rnn', n]), ['lstm', 'tanh'], ['gru', 'tanh']];

interface Config {
  cell: CellKind;
  nonlinearity: Nonlinearity;
  layers: number;
  bidirectional: boolean;
  truncation: number | null;
  learned: boolean;
  mask: boolean;
}

function configs(): Config[] {
  const out: Config[] = [];
  for (const [cell, nonlinearity] of CELLS)
    for (const layers of [1, 2, 3])
      for (const bidirectional of [false, true])
        for (const truncation of [null, 3])
          for (const learned of [false, true])
            for (const mask of [false, true]) out.push({ cell, nonlinearity, layers, bidirectional, truncation, learned, mask });
  return out;
}

const cellLabel = (cell: CellKind, nonlinearity: Nonlinearity) => `${cell}${cell === 'rnn' ? `-${nonlinearity}` : ''}`;

/** The wide entries' sizes: B·G·H² above AFFINE_MIN_STEP_MACS (2¹⁸) for each cell, H not a multiple of 8. */
export const AFFINE_ENTRY: Record<'rnn' | 'lstm' | 'gru', { H: number; B: number }> = {
  rnn: { H: 132, B: 17 },
  lstm: { H: 68, B: 17 },
  gru: { H: 68, B: 17 },
};

function randomEntries(): Entry[] {
  const entries: Entry[] = configs().map((c, i) => {
    // Sizes cycle through SIMD edges: H and G·H not multiples of 4 or 8, B not a multiple of 4.
    const [H, B, T] = [[5, 9, 4, 8][i % 4], [3, 5, 4][i % 3], [7, 8, 6][i % 3]];
    const loss: LossKind = i % 2 === 0 ? 'mse' : 'cross_entropy';
    const readout: Readout = i % 5 === 4 ? 'final_step' : 'every_step';
    const spec: ModelSpec = { cell: c.cell, nonlinearity: c.nonlinearity, inputSize: [3, 4, 6][i % 3], hiddenSize: H, numLayers: c.layers, bidirectional: c.bidirectional, outputSize: [3, 5][i % 2], initialState: c.learned ? 'learned' : 'zero' };
    const id = `random ${cellLabel(c.cell, c.nonlinearity)} L${c.layers}${c.bidirectional ? ' bi' : ''}${c.truncation ? ` k${c.truncation}` : ''}${c.learned ? ' h0' : ''}${c.mask ? ' mask' : ''} H${H} B${B} T${T} ${loss} ${readout}`;
    return {
      id,
      kind: 'random' as const,
      index: i,
      run: (backend, reference, check) =>
        compareWithReference(backend, reference, check, randomModel(spec, 100 + i), randomBatch(new Rng(200 + i), spec, B, T, loss, readout, c.mask), { loss, readout, truncation: c.truncation }),
    };
  });
  const n = entries.length;
  const cells: CellKind[] = ['rnn', 'lstm', 'gru'];
  for (const [j, cell] of cells.entries()) {
    entries.push({
      id: `random ${cell} larger: H24 L2 bi h0 mask k4 B12 T10 (the full 4 × 8 blocks)`,
      kind: 'random',
      index: n + j,
      run: (backend, reference, check) => {
        const spec: ModelSpec = { cell, nonlinearity: 'tanh', inputSize: 8, hiddenSize: 24, numLayers: 2, bidirectional: true, outputSize: 8, initialState: 'learned' };
        return compareWithReference(backend, reference, check, randomModel(spec, 7), randomBatch(new Rng(8), spec, 12, 10, 'mse', 'every_step', true), { loss: 'mse', readout: 'every_step', truncation: 4 });
      },
    });
    // Large enough per step (B·G·H² ≥ AFFINE_MIN_STEP_MACS) for the wasm backend to write a_t in one
    // pass (src/train/sweep.ts); the second layer's inputs (2H) span two of its packing blocks for the RNN.
    const wide = AFFINE_ENTRY[cell];
    entries.push({
      id: `random ${cell} wide: H${wide.H} L2 bi h0 mask k4 B${wide.B} T5 (a step's pre-activations in one pass)`,
      kind: 'random',
      index: n + 9 + j,
      run: (backend, reference, check) => {
        const spec: ModelSpec = { cell, nonlinearity: 'tanh', inputSize: 7, hiddenSize: wide.H, numLayers: 2, bidirectional: true, outputSize: 3, initialState: 'learned' };
        return compareWithReference(backend, reference, check, randomModel(spec, 14), randomBatch(new Rng(15), spec, wide.B, 5, 'mse', 'every_step', true), { loss: 'mse', readout: 'every_step', truncation: 4 });
      },
    });
    entries.push({
      id: `random ${cell} smallest: H1 D1 Y1 L2 bi, (B, T) ∈ {(1, 1), (1, 3), (2, 1)}`,
      kind: 'random',
      index: n + 3 + j,
      async run(backend, reference, check) {
        const spec: ModelSpec = { cell, nonlinearity: 'tanh', inputSize: 1, hiddenSize: 1, numLayers: 2, bidirectional: true, outputSize: 1, initialState: 'learned' };
        for (const [B, T] of [[1, 1], [1, 3], [2, 1]]) {
          const model = randomModel(spec, 9 + B + T);
          await compareWithReference(backend, reference, check, model, randomBatch(new Rng(10), spec, B, T, 'mse', 'every_step'), { loss: 'mse', readout: 'every_step', truncation: 1 }, `B${B} T${T} every step: `);
          await compareWithReference(backend, reference, check, model, randomBatch(new Rng(10), spec, B, T, 'mse', 'final_step'), { loss: 'mse', readout: 'final_step', truncation: null }, `B${B} T${T} final step: `);
        }
      },
    });
    entries.push({
      id: `random ${cell} carried state: a given initialState starts the run and takes no gradient`,
      kind: 'random',
      index: n + 6 + j,
      run: (backend, reference, check) => {
        // with a learned h0 in the spec (which the carried state replaces) and without one
        const spec: ModelSpec = { cell, nonlinearity: 'tanh', inputSize: 3, hiddenSize: 6, numLayers: 2, bidirectional: true, outputSize: 2, initialState: cell !== 'gru' ? 'learned' : 'zero' };
        const B = 4;
        return compareWithReference(backend, reference, check, randomModel(spec, 11), randomBatch(new Rng(13), spec, B, 6, 'mse', 'every_step'), { loss: 'mse', readout: 'every_step', truncation: null, initialState: carriedState(spec, B, 12) });
      },
    });
  }
  return entries;
}

/** A seeded state for every layer and direction, as a stream's previous chunk leaves it. */
function carriedState(spec: ModelSpec, B: number, seed: number): RecurrentState {
  const rng = new Rng(seed);
  const n = spec.numLayers * directionsOf(spec);
  const state = () => Array.from({ length: n }, () => new Float64Array(B * spec.hiddenSize).map(() => rng.uniformIn(-0.8, 0.8))); // each (B, H)
  return { h: state(), c: spec.cell === 'lstm' ? state() : null };
}

// ------------------------------------------------------------------------------------------------
// Optimizer schedules against the reference backend

/** Each step's optimizer and clipping: kinds, learning rates and settings change between steps. */
const SCHEDULE: [OptimizerSpec, ClipSpec][] = [
  [{ name: 'adam', lr: 0.01 }, null],
  [{ name: 'adam', lr: 0.005 }, { kind: 'norm', max: 0.3 }],
  [{ name: 'adam', lr: 0.02, betas: [0.8, 0.99] }, null],
  [{ name: 'sgd', lr: 0.1, momentum: 0.9 }, { kind: 'value', max: 0.02 }],
  [{ name: 'sgd', lr: 0.05, momentum: 0.9 }, null],
  [{ name: 'rmsprop', lr: 0.01 }, { kind: 'norm', max: 10 }],
  [{ name: 'rmsprop', lr: 0.003, alpha: 0.9 }, null],
  [{ name: 'sgd', lr: 0.1 }, null],
];

const scheduleSpec = (cell: CellKind): ModelSpec => ({ cell, nonlinearity: 'tanh', inputSize: 4, hiddenSize: 7, numLayers: 2, bidirectional: true, outputSize: 3, initialState: 'learned' });

function scheduleEntries(): Entry[] {
  const entries: Entry[] = (['rnn', 'lstm', 'gru'] as CellKind[]).map((cell, index) => ({
    id: `schedule ${cell} L2 bi h0: ${SCHEDULE.length} steps, optimizer, lr, clipping, truncation, batch and start state changing`,
    kind: 'schedule' as const,
    index,
    async run(backend, reference, check) {
      const spec = scheduleSpec(cell);
      const model = randomModel(spec, 21 + index);
      const batches = [randomBatch(new Rng(22), spec, 5, 6, 'cross_entropy', 'every_step', true), randomBatch(new Rng(23), spec, 3, 9, 'cross_entropy', 'every_step')];
      await backend.setModel(model);
      await reference.setModel(model);
      for (const [s, [optimizer, clip]] of SCHEDULE.entries()) {
        const batch = batches[s % 2];
        const initialState = s === 4 || s === 5 ? carriedState(spec, batch.B, 30 + s) : null;
        // ∂L/∂x every other step: a step that asks for it and one that does not train alike
        // h_t and ∂L/∂h_t copied out on two steps of three (the worker never asks): the norms come either way
        const hiddenReads = s % 3 !== 1;
        const opts = { loss: 'cross_entropy' as const, readout: 'every_step' as const, truncation: s % 3 === 0 ? 2 : null, initialState, clip, optimizer, inputGrads: s % 2 === 0, hiddenReads };
        const a = await backend.trainStep(batch, opts);
        const r = await reference.trainStep(batch, { ...opts, hiddenReads: true });
        const at = `step ${s + 1} (${optimizer.name} lr ${optimizer.lr}${clip ? `, clip ${clip.kind} ${clip.max}` : ''})`;
        check.close(`${at} loss`, a.loss, r.loss);
        check.close(`${at} gradNormBefore`, a.gradNormBefore, r.gradNormBefore);
        check.close(`${at} gradNormAfter`, a.gradNormAfter, r.gradNormAfter);
        check.that(`${at} clipped`, a.clipped === r.clipped, `${a.clipped}, reference ${r.clipped}`);
        check.that(`${at} applied`, a.applied);
        check.close(`${at} outputs`, a.outputs, r.outputs);
        check.that(`${at} h_t and ∂L/∂h_t only when asked`, (a.hiddenGrads !== undefined) === hiddenReads && (a.hiddenStates !== undefined) === hiddenReads);
        if (hiddenReads) check.close(`${at} hiddenGrads`, a.hiddenGrads, r.hiddenGrads);
        // ‖∂L/∂h_t‖ per t, reduced in place by the path, against the reference's full ∂L/∂h_t reduced here
        check.close(`${at} hiddenGradNorms`, a.hiddenGradNorms, normsPerStep(r.hiddenGrads as Float64Array, batch.T));
        check.that(`${at} inputGrads only when asked`, (a.inputGrads !== undefined) === opts.inputGrads && (r.inputGrads !== undefined) === opts.inputGrads);
        if (a.inputGrads) check.close(`${at} inputGrads`, a.inputGrads, r.inputGrads);
        if (hiddenReads) check.close(`${at} hiddenStates`, a.hiddenStates, r.hiddenStates);
        if (a.finalState && r.finalState) check.close(`${at} finalState`, [a.finalState.h, a.finalState.c ?? []], [r.finalState.h, r.finalState.c ?? []]);
        paramsClose(check, `${at} params after`, await backend.readParams(), await reference.readParams());
      }
    },
  }));
  const spec = scheduleSpec('lstm');
  entries.push({
    id: 'schedule: setModel resets the optimizer state',
    kind: 'schedule',
    index: 3,
    async run(backend, reference, check) {
      const model = randomModel(spec, 31);
      const batch = randomBatch(new Rng(32), spec, 4, 5, 'mse', 'final_step');
      const opts = { loss: 'mse' as const, readout: 'final_step' as const, truncation: null, clip: null, optimizer: { name: 'adam', lr: 0.01 } as OptimizerSpec };
      await backend.setModel(model);
      await backend.trainStep(batch, opts);
      await backend.trainStep(batch, opts);
      await backend.setModel(model);
      await backend.trainStep(batch, opts);
      await reference.setModel(model);
      await reference.trainStep(batch, opts);
      paramsClose(check, 'params after', await backend.readParams(), await reference.readParams());
    },
  });
  entries.push({
    id: 'schedule: a diverged step under a new optimizer kind still restarts the optimizer',
    kind: 'schedule',
    index: 4,
    async run(backend, reference, check) {
      const model = randomModel(spec, 43);
      const good = randomBatch(new Rng(44), spec, 3, 4, 'mse', 'every_step');
      const bad = randomBatch(new Rng(44), spec, 3, 4, 'mse', 'every_step');
      bad.x[0] = NaN;
      const base = { loss: 'mse' as const, readout: 'every_step' as const, truncation: null, clip: null };
      const adam: OptimizerSpec = { name: 'adam', lr: 0.01 };
      const sgd: OptimizerSpec = { name: 'sgd', lr: 0.1, momentum: 0.5 };
      for (const b of [reference, backend]) {
        await b.setModel(model);
        await b.trainStep(good, { ...base, optimizer: adam });
        check.that(`${b.name}: the NaN step is not applied`, !(await b.trainStep(bad, { ...base, optimizer: sgd })).applied);
        await b.trainStep(good, { ...base, optimizer: adam });
      }
      paramsClose(check, 'params after', await backend.readParams(), await reference.readParams());
    },
  });
  return entries;
}

// ------------------------------------------------------------------------------------------------
// NaN and saturation probes

/** The cells whose saturation differs: tanh and the gates bound it, ReLU does not. */
const PROBE_CELLS = CELLS.filter(([, n]) => n !== 'linear');

const probeSpec = (cell: CellKind, nonlinearity: Nonlinearity, layers = 1, bidirectional = false): ModelSpec => ({ cell, nonlinearity, inputSize: 3, hiddenSize: 5, numLayers: layers, bidirectional, outputSize: 2, initialState: 'zero' });

const probeOpts = { loss: 'mse' as const, readout: 'every_step' as const, truncation: null, clip: { kind: 'norm', max: 1 } as ClipSpec, optimizer: { name: 'sgd', lr: 0.1 } as OptimizerSpec };

function probeEntries(): Entry[] {
  const entries: Entry[] = [];
  const add = (id: string, run: Entry['run']) => entries.push({ id: `probe ${id}`, kind: 'probe', index: entries.length, run });
  for (const [cell, nl] of PROBE_CELLS) {
    const label = cellLabel(cell, nl);
    const spec = probeSpec(cell, nl);
    add(`${label}: a NaN weight → applied false, the weights as they were`, async (backend, _reference, check) => {
      const model = randomModel(spec, 41);
      model.params.weight_hh_l0.data[3] = NaN;
      await backend.setModel(model);
      const before = await backend.readParams();
      const step = await backend.trainStep(randomBatch(new Rng(42), spec, 3, 4, 'mse', 'every_step'), probeOpts);
      check.that('applied is false', !step.applied);
      check.that('the weights are unchanged', sameParams(await backend.readParams(), before));
    });
    add(`${label}: a NaN input → applied false, the weights as they were`, async (backend, _reference, check) => {
      const batch = randomBatch(new Rng(42), spec, 3, 4, 'mse', 'every_step');
      batch.x[5] = NaN;
      await backend.setModel(randomModel(spec, 41));
      const before = await backend.readParams();
      const step = await backend.trainStep(batch, probeOpts);
      check.that('applied is false', !step.applied);
      check.that('the weights are unchanged', sameParams(await backend.readParams(), before));
    });
    if (nl === 'relu') {
      add(`${label} L2: weights ×400 → a finite step, or one reported as not applied`, async (backend, _reference, check) => {
        const s = probeSpec(cell, nl, 2);
        await backend.setModel(randomModel(s, 51, 400));
        const before = await backend.readParams();
        const step = await backend.trainStep(randomBatch(new Rng(52), s, 3, 6, 'mse', 'every_step'), probeOpts);
        const finite = allFinite([step.loss, step.gradNormBefore, step.outputs, step.hiddenGrads]);
        check.that('finite, or not applied', finite || !step.applied, `loss ${step.loss}, applied ${step.applied}`);
        if (!step.applied) check.that('not applied: the weights are unchanged', sameParams(await backend.readParams(), before));
      });
    } else {
      for (const [layers, bi] of [[1, false], [2, true]] as const) {
        add(`${label}${layers > 1 ? ` L${layers} bi` : ''}: weights ×400 saturate to finite numbers, as the reference`, async (backend, reference, check) => {
          const s = probeSpec(cell, nl, layers, bi);
          const model = randomModel(s, 51, 400);
          const batch = randomBatch(new Rng(52), s, 3, 5, 'mse', 'every_step');
          await backend.setModel(model);
          const r = await backend.forwardBackward(batch, probeOpts);
          check.that('every output, loss and gradient is finite', allFinite([r.loss, r.gradNorm, r.outputs, r.hiddenGrads, Object.values(r.grads).map((t) => t.data)]));
          await compareWithReference(backend, reference, check, model, batch, probeOpts, '', true);
        });
      }
    }
  }
  return entries;
}
