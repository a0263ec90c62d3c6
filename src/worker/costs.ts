/**
 * The trade-offs measured on this machine: the time of one training step against the sequence
 * length T for every kind of layer at the run's width, on the run's backend (a fresh instance, so
 * the run's own weights and optimizer are untouched), beside the memory each needs per generated
 * step (engine/costs.ts, closed form). Bounded: past the time budget the remaining rows are
 * skipped and said so; a kind the backend cannot train is skipped with its reason.
 */
import { initAnyModel, type AnyModelSpec, type LayerKind } from '../engine/anyModel';
import type { Batch } from '../engine/batch';
import { stateFloatsAt } from '../engine/costs';
import { Rng } from '../engine/rng';
import type { BackendName } from '../kernels/types';
import type { BackendFactory } from './backends';
import { DEFAULT_CONFIG, modelSpecOf } from './config';

export const COST_KINDS: readonly LayerKind[] = ['rnn', 'lstm', 'gru', 'lru', 'mamba', 'rwkv', 'mingru', 'attention'];
export const COST_LENGTHS: readonly number[] = [16, 32, 64, 128, 256];
/** Inputs and outputs of the measured models, as the benchmark's (D = Y = 8). */
const D = 8;

export interface CostRow {
  cell: LayerKind;
  T: number;
  /** median of 3 timed steps after a warm-up, milliseconds */
  msPerStep: number;
  /** floats carried from one generated step to the next at step T (engine/costs.ts) */
  stateFloats: number;
}

export interface CostReport {
  backend: BackendName;
  /** the shape measured: batch, width, state size and heads (one layer) */
  B: number;
  H: number;
  N: number;
  heads: number;
  rows: CostRow[];
  /** what was not measured, and why */
  skipped: string[];
}

/** One layer of `cell` at this width, as the settings would make it (the defaults for the rest). */
export function costSpec(cell: LayerKind, H: number, N: number, heads: number): AnyModelSpec {
  const c = { ...DEFAULT_CONFIG, cell, hiddenSize: H, numLayers: 1, stateSize: N, numHeads: heads, bidirectional: false, nonlinearity: 'tanh' as const, initialState: 'zero' as const };
  return modelSpecOf(c, { inputSize: D, outputSize: D });
}

/** B sequences of T steps of standard normal inputs and targets (MSE at every step). */
function noiseBatch(rng: Rng, B: number, T: number): Batch {
  const x = Float64Array.from({ length: T * B * D }, () => rng.normal()); // (T, B, D)
  const target = Float64Array.from({ length: T * B * D }, () => rng.normal()); // (T, B, D)
  return { x, target, B, T, inputSize: D };
}

export async function measureCosts(
  create: BackendFactory,
  backend: BackendName,
  shape: { B: number; H: number; N: number; heads: number },
  now: () => number,
  budgetMs: number,
): Promise<CostReport> {
  const { B, H, N } = shape;
  const heads = H % shape.heads === 0 ? shape.heads : 1;
  const report: CostReport = { backend, B, H, N, heads, rows: [], skipped: [] };
  const t0 = now();
  const opts = { loss: 'mse' as const, readout: 'every_step' as const, truncation: null, initialState: null, clip: null, optimizer: { name: 'sgd' as const, lr: 1e-3, momentum: 0 } };
  const b = await create(backend);
  try {
    for (const cell of COST_KINDS) {
      const spec = costSpec(cell, H, N, heads);
      try {
        await b.setModel(initAnyModel(spec, { scheme: 'pytorch', gain: 1, spectralRadius: null, forgetBias: null }, new Rng(1)));
      } catch (e) {
        report.skipped.push(`${cell}: ${e instanceof Error ? e.message : String(e)}`);
        continue;
      }
      for (const T of COST_LENGTHS) {
        if (now() - t0 > budgetMs) {
          report.skipped.push(`${cell} at T = ${T}: past the ${budgetMs / 1000} s budget`);
          continue;
        }
        const batch = noiseBatch(new Rng(T), B, T);
        await b.trainStep(batch, opts); // warm-up: sizes the buffers for this T
        const times: number[] = [];
        for (let i = 0; i < 3; i++) {
          const s = now();
          await b.trainStep(batch, opts);
          times.push(now() - s);
        }
        report.rows.push({ cell, T, msPerStep: times.sort((x, y) => x - y)[1], stateFloats: stateFloatsAt(spec, T - 1) });
      }
    }
  } finally {
    b.dispose();
  }
  return report;
}
