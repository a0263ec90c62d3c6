/**
 * What the panels see of one example: a float64 forward pass of batch element 0 with the latest
 * weights (cheap: B = 1), giving hidden states, gate values, outputs and targets; and the
 * gradient-flow analysis on a few examples within a time budget.
 */
import { analyze, budgetedRequest, stateSize, type Analysis } from '../engine/analysis';
import type { Batch } from '../engine/batch';
import { forward, type RunOptions } from '../engine/bptt';
import { forwardFlops } from '../engine/flops';
import { directionsOf, gatesOf, type Model } from '../engine/model';
import type { Snapshot } from './protocol';

/** (T, n, D) the inputs of sequences [b0, b0 + n) of a time-major (T, B, D) batch. */
export function sliceInputs(batch: Batch, b0: number, n: number): Float64Array {
  const { B, T, inputSize: D } = batch;
  const x = new Float64Array(T * n * D); // (T, n, D)
  for (let t = 0; t < T; t++) x.set(batch.x.subarray((t * B + b0) * D, (t * B + b0 + n) * D), t * n * D);
  return x;
}

/** Elements [b0, b0 + n) of a time-major batch. */
export function sliceBatch(batch: Batch, b0: number, n: number, readoutEveryStep: boolean, Y: number, isMse: boolean): Batch {
  const { B, T, inputSize: D } = batch;
  const x = sliceInputs(batch, b0, n); // (T, n, D)
  const per = isMse ? Y : 1; // values per scored row
  const rows = readoutEveryStep ? T : 1;
  const target = new Float64Array(rows * n * per); // (rows, n, per)
  for (let r = 0; r < rows; r++) target.set(batch.target.subarray((r * B + b0) * per, (r * B + b0 + n) * per), r * n * per);
  let mask: Float64Array | undefined;
  if (batch.mask) {
    mask = new Float64Array(T * n); // (T, n)
    for (let t = 0; t < T; t++) mask.set(batch.mask.subarray(t * B + b0, t * B + b0 + n), t * n);
  }
  return { B: n, T, inputSize: D, x, target, ...(mask ? { mask } : {}) };
}

export function exampleSnapshot(model: Model, batch: Batch, opts: RunOptions): Snapshot {
  const { spec } = model;
  const one = sliceBatch(batch, 0, 1, opts.readout === 'every_step', spec.outputSize, opts.loss === 'mse');
  const r = forward(model, one, { ...opts, initialState: null });
  const T = one.T;
  const H = spec.hiddenSize;
  const top = spec.numLayers - 1;
  let gates: Float32Array | null = null;
  if (spec.cell !== 'rnn') {
    const G = gatesOf(spec.cell) * H;
    gates = new Float32Array(T * G); // (T, G·H) forward direction, time order
    r.caches[top * directionsOf(spec)].forEach((c, t) => gates?.set(c.gates.subarray(0, G), t * G));
  }
  return {
    inputs: Float32Array.from(one.x),
    hiddenStates: Float32Array.from(r.layerOutputs[top]),
    gates,
    outputs: Float32Array.from(r.outputs),
    targets: Float32Array.from(one.target),
    mask: one.mask ? Float32Array.from(one.mask) : null,
  };
}

/**
 * The analysis on at most 8 examples, within about `budgetMs` of float64 work: the fast path (every
 * lag's ‖∏J‖ and the Lyapunov exponents from J_t applied to a few vectors, src/engine/analysis/fast.ts)
 * and as many J_t SVDs as the budget pays for. What it computes is set by the sizes alone
 * (budgetedRequest), not by the weights: weights at 1e±300, NaN or Infinity give 0, Infinity or NaN
 * entries (with finite logs where the numbers are only out of double's range), never a hang, and the
 * fast path's work is bounded by the sizes (test/analysis-scale.test.ts, test/analysis-fast.test.ts).
 */
export function budgetedAnalysis(model: Model, batch: Batch, opts: RunOptions, budgetMs: number): Analysis {
  const { spec } = model;
  const n = analysisExamples(model, batch, opts, budgetMs);
  const few = sliceBatch(batch, 0, n, opts.readout === 'every_step', spec.outputSize, opts.loss === 'mse');
  const req = budgetedRequest(stateSize(spec.cell, spec.hiddenSize), batch.T, budgetMs);
  return analyze(model, few, { ...opts, initialState: null }, req);
}

/** The float64 engine's speed on these passes in TypeScript (scripts/bench-analysis.ts with DENSE=ts, 2-core laptop): what the example count is sized by, whichever kernels then run it (see budgetedRequest). */
const FLOAT64_FLOPS_PER_MS = 1.4e6;

/**
 * How many examples (1 to 8) the analysis runs its passes on: its forward pass and the extra BPTT
 * pass of the final-step gradients cost about 4 forward passes, which must fit in half the budget.
 * A deep, long model (4 bidirectional LSTM layers over 400 steps) gets one example, not eight:
 * eight would hold the worker for many seconds, and the page's watchdog would take it for a hang.
 */
export function analysisExamples(model: Model, batch: Batch, opts: RunOptions, budgetMs: number): number {
  const readSteps = opts.readout === 'every_step' ? batch.T : 1;
  const msPerExample = (4 * forwardFlops(model.spec, 1, batch.T, readSteps)) / FLOAT64_FLOPS_PER_MS;
  return Math.max(1, Math.min(batch.B, 8, Math.floor((0.5 * budgetMs) / msPerExample)));
}
