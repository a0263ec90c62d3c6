/**
 * The trade-offs measured on this machine: the time of one training step against the sequence
 * length T for every kind of layer at the run's width, on the run's backend (a fresh instance, so
 * the run's own weights and optimizer are untouched), beside the memory each needs per generated
 * step (engine/costs.ts, closed form); then the linear recurrences trained both ways, as a loop
 * and as a parallel scan, on a backend whose kernels scan (the run's, or else the float64
 * reference). Bounded: past the time budget the remaining rows are skipped and said so; a kind the
 * backend cannot train is skipped with its reason.
 */
import { initAnyModel, type AnyModelSpec, type LayerKind } from '../engine/anyModel';
import type { Batch } from '../engine/batch';
import { costCurves, stateFloatsAt, type CostCurves } from '../engine/costs';
import { Rng } from '../engine/rng';
import type { ScanMode } from '../engine/successors/scan';
import { isRecurrentKind, SUCCESSOR_KINDS, type SuccessorKind } from '../engine/successors/spec';
import type { TaskInfo } from '../engine/tasks';
import type { BackendName, TrainingBackend } from '../kernels/types';
import type { BackendFactory } from './backends';
import { DEFAULT_CONFIG, modelSpecOf, type PlaygroundConfig } from './config';

export const COST_KINDS: readonly LayerKind[] = ['rnn', 'lstm', 'gru', 'lru', 'mamba', 'rwkv', 'mingru', 'attention'];
export const COST_LENGTHS: readonly number[] = [16, 32, 64, 128, 256];
/** The kinds whose recurrence is linear, so it can run as a parallel scan. */
export const SCAN_KINDS: readonly SuccessorKind[] = SUCCESSOR_KINDS.filter(isRecurrentKind);
/** Inputs and outputs of the measured models, as the benchmark's (D = Y = 8). */
const D = 8;
/** Sequences per loop-against-scan step: the scan may run on the float64 reference, ~10× slower than wasm. */
const SCAN_BATCH = 4;
/** The share of the budget the first part (every kind, as the run trains) may use. */
const FIRST_SHARE = 0.5;

export interface CostRow {
  cell: LayerKind;
  T: number;
  /** how the recurrence ran ('loop' for every kind that has none) */
  scan: ScanMode;
  backend: BackendName;
  /** sequences per step */
  B: number;
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
  /** every kind as the run trains: its backend, batch B, recurrences as loops */
  rows: CostRow[];
  /** the linear recurrences as loop and as scan, both on scanBackend */
  scanRows: CostRow[];
  /** where loop and scan were compared (null: not reached) */
  scanBackend: BackendName | null;
  /** what was not measured, and why */
  skipped: string[];
}

/** One layer of `cell` at this width, as the settings would make it (the defaults for the rest). */
export function costSpec(cell: LayerKind, H: number, N: number, heads: number): AnyModelSpec {
  const c = { ...DEFAULT_CONFIG, cell, hiddenSize: H, numLayers: 1, stateSize: N, numHeads: heads, bidirectional: false, nonlinearity: 'tanh' as const, initialState: 'zero' as const };
  return modelSpecOf(c, { inputSize: D, outputSize: D });
}

/** Every kind of layer with a run's settings (its layers, width, state size, heads that divide H, its task's sizes), only the cell changed. */
export function costSpecsOf(c: PlaygroundConfig, info: Pick<TaskInfo, 'inputSize' | 'outputSize'>): AnyModelSpec[] {
  const heads = c.hiddenSize % c.numHeads === 0 ? c.numHeads : 1;
  return COST_KINDS.map((cell) => modelSpecOf({ ...c, cell, numHeads: cell === 'attention' ? heads : c.numHeads }, info));
}

/** The closed-form curves (engine/costs.ts) of every kind at a run's settings, at the measured lengths. */
export function costCurvesOf(c: PlaygroundConfig, info: Pick<TaskInfo, 'inputSize' | 'outputSize'>): CostCurves {
  return costCurves(costSpecsOf(c, info), COST_LENGTHS);
}

/** B sequences of T steps of standard normal inputs and targets (MSE at every step). */
function noiseBatch(rng: Rng, B: number, T: number): Batch {
  const x = Float64Array.from({ length: T * B * D }, () => rng.normal()); // (T, B, D)
  const target = Float64Array.from({ length: T * B * D }, () => rng.normal()); // (T, B, D)
  return { x, target, B, T, inputSize: D };
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export async function measureCosts(
  create: BackendFactory,
  backend: BackendName,
  shape: { B: number; H: number; N: number; heads: number },
  now: () => number,
  budgetMs: number,
): Promise<CostReport> {
  const { B, H, N } = shape;
  const heads = H % shape.heads === 0 ? shape.heads : 1;
  const report: CostReport = { backend, B, H, N, heads, rows: [], scanRows: [], scanBackend: null, skipped: [] };
  const t0 = now();
  const past = (share: number) => now() - t0 > share * budgetMs;
  const budget = `the ${budgetMs / 1000} s budget`;
  const opts = { loss: 'mse' as const, readout: 'every_step' as const, truncation: null, initialState: null, clip: null, optimizer: { name: 'sgd' as const, lr: 1e-3, momentum: 0 } };
  const setModel = async (b: TrainingBackend, cell: LayerKind): Promise<AnyModelSpec | null> => {
    const spec = costSpec(cell, H, N, heads);
    try {
      await b.setModel(initAnyModel(spec, { scheme: 'pytorch', gain: 1, spectralRadius: null, forgetBias: null }, new Rng(1)));
      return spec;
    } catch (e) {
      report.skipped.push(`${cell}: ${message(e)}`);
      return null;
    }
  };
  const timeRow = async (into: CostRow[], b: TrainingBackend, spec: AnyModelSpec, T: number, batchSize: number, scan: ScanMode) => {
    const batch = noiseBatch(new Rng(T), batchSize, T);
    await b.trainStep(batch, { ...opts, scan }); // warm-up: sizes the buffers for this T
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const s = now();
      await b.trainStep(batch, { ...opts, scan });
      times.push(now() - s);
    }
    into.push({ cell: spec.cell, T, scan, backend: b.name, B: batchSize, msPerStep: times.sort((x, y) => x - y)[1], stateFloats: stateFloatsAt(spec, T - 1) });
  };

  // Every kind, as the run trains (its recurrences as loops).
  const b = await create(backend);
  let scanner: TrainingBackend | null = null;
  try {
    // Length by length, every kind at each, so a budget cut leaves every kind's curve up to the same T.
    const refused = new Set<LayerKind>();
    for (const T of COST_LENGTHS)
      for (const cell of COST_KINDS) {
        if (refused.has(cell)) continue;
        if (past(FIRST_SHARE)) {
          report.skipped.push(`${cell} at T = ${T}: past ${budget}`);
          continue;
        }
        const spec = await setModel(b, cell);
        if (spec) await timeRow(report.rows, b, spec, T, B, 'loop');
        else refused.add(cell);
      }
    // Loop against scan, like with like: both on one backend that scans, fewer sequences per step.
    const scans = (x: TrainingBackend) => SCAN_KINDS.filter((k) => x.scanKinds?.includes(k));
    scanner = scans(b).length === SCAN_KINDS.length ? b : await create('reference');
    report.scanBackend = scanner.name;
    const kinds = scans(scanner);
    if (kinds.length < SCAN_KINDS.length) report.skipped.push(`loop against scan: ${scanner.name} runs ${SCAN_KINDS.filter((k) => !kinds.includes(k)).join(', ')} only as a loop`);
    for (const T of COST_LENGTHS)
      for (const cell of kinds)
        for (const scan of ['loop', 'parallel'] as const) {
          if (past(1)) {
            report.skipped.push(`${cell} by ${scan === 'loop' ? 'loop' : 'scan'} on ${scanner.name} at T = ${T}: past ${budget}`);
            continue;
          }
          const spec = await setModel(scanner, cell);
          if (spec) await timeRow(report.scanRows, scanner, spec, T, SCAN_BATCH, scan);
        }
  } finally {
    if (scanner && scanner !== b) scanner.dispose();
    b.dispose();
  }
  return report;
}
