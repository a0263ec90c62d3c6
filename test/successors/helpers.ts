/** Shared by the successor tests: their PyTorch cases, small random models, finite differences. */
import { join } from 'node:path';
import type { Batch } from '../../src/engine/batch';
import { Rng } from '../../src/engine/rng';
import { successorForward, type SuccessorRunOptions } from '../../src/engine/successors/block';
import { initSuccessorModel } from '../../src/engine/successors/init';
import { chunksOf } from '../../src/engine/successors/scan';
import { hasStateSize, type SuccessorKind, type SuccessorModel, type SuccessorSpec } from '../../src/engine/successors/spec';
import { caseFiles, SHARED } from '../helpers';

export const SUCCESSOR_CASES_DIR = join(SHARED, 'reference', 'successors');

export function successorCaseFiles(): string[] {
  return caseFiles(SUCCESSOR_CASES_DIR);
}

export function successorSpec(cell: SuccessorKind, extra: Partial<SuccessorSpec> = {}): SuccessorSpec {
  return {
    cell,
    inputSize: 2,
    hiddenSize: 4,
    numLayers: 1,
    outputSize: 3,
    stateSize: hasStateSize(cell) ? 3 : 0,
    numHeads: cell === 'attention' ? 2 : 0,
    bidirectional: false,
    ...extra,
  };
}

/**
 * A seeded model whose every parameter is also jittered, so no gradient hides behind an init's
 * special value (A_log = log n, D = 1, a zero bias). Mamba's Δ starts in [0.05, 0.5] rather than
 * [0.001, 0.1]: with Δ that small, exp(ΔA) barely depends on A and A_log's gradient (~1e-6) sits
 * at the rounding floor of any finite difference.
 */
export function randomSuccessorModel(spec: SuccessorSpec, seed: number): SuccessorModel {
  const rng = new Rng(seed);
  const model = initSuccessorModel(spec, rng, { dtMin: 0.05, dtMax: 0.5 });
  for (const t of Object.values(model.params)) for (let i = 0; i < t.data.length; i++) t.data[i] += 0.1 * rng.normal();
  return model;
}

/** The rows [from, to) of a time-major buffer (T, B, ·). */
function timeSlice(a: Float64Array, from: number, to: number, rowSize: number): Float64Array {
  return a.slice(from * rowSize, to * rowSize);
}

/**
 * The truncated loss as a sum of independent pieces: chunk [from, to) runs from the state the
 * whole sequence reached before it (a constant) and scores only its own steps. Its plain gradient,
 * summed over chunks, is what truncated BPTT must return: an oracle that never detaches anything.
 * Returns, per chunk, the batch and options that give that chunk's loss.
 */
export interface Piece {
  from: number;
  batch: Batch;
  opts: SuccessorRunOptions;
}

export function truncatedPieces(model: SuccessorModel, batch: Batch, opts: SuccessorRunOptions): Piece[] {
  const { B, T, inputSize: D } = batch;
  const Y = model.spec.outputSize;
  const pieces: Piece[] = [];
  for (const [from, to] of chunksOf(T, opts.truncation)) {
    if (opts.readout === 'final_step' && to < T) continue; // only the last step is scored
    const prefix: Batch = { B, T: from, inputSize: D, x: timeSlice(batch.x, 0, from, B * D), target: new Float64Array(from * B * Y) };
    const start = from === 0 ? null : successorForward(model, prefix, { ...opts, readout: 'every_step', loss: 'mse', truncation: null }).finalState;
    const perStep = opts.loss === 'mse' ? B * Y : B;
    const target = opts.readout === 'every_step' ? timeSlice(batch.target, from, to, perStep) : batch.target;
    pieces.push({ from, batch: { B, T: to - from, inputSize: D, x: timeSlice(batch.x, from, to, B * D), target }, opts: { ...opts, truncation: null, initialState: start } });
  }
  return pieces;
}
