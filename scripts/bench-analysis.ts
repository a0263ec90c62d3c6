/**
 * What the gradient-flow analysis costs: `npm run bench:analysis -- 64,256 rnn,lstm,gru` prints,
 * per cell and hidden size at T = 50, B = 32, the milliseconds of each part (median of RUNS runs,
 * default 3): `full`, the float64 reference path on the whole batch (every lag by n³ products,
 * every J_t SVD), and `worker`, what the worker runs (budgetedAnalysis at its 300 ms budget: the
 * fast path on a few examples, sampled J_t SVDs). MODES=worker skips the slow reference. `wall`
 * and `cpu` are the whole analysis in wall-clock and in this process's CPU time (the GC's threads
 * included); the parts are wall-clock, or CPU time with CLOCK=cpu. The eigenvalues and SVDs run on
 * WebAssembly as in the worker (src/kernels/wasm/dense.ts); DENSE=ts runs the TypeScript reference.
 */
import { analyze, stateSize, budgetedRequest } from '../src/engine/analysis';
import { analysisExamples, budgetedAnalysis } from '../src/worker/view';
import type { Batch } from '../src/engine/batch';
import { initModel } from '../src/engine/init';
import type { CellKind, ModelSpec } from '../src/engine/model';
import { Rng } from '../src/engine/rng';
import { useDenseKernels } from '../src/engine/dense';
import { loadWasmDense } from '../src/kernels/wasm/dense';

const T = 50;
const B = 32;
const sizes = (process.argv[2] ?? '64,256').split(',').map(Number);
const cells = (process.argv[3] ?? 'rnn,lstm,gru').split(',') as CellKind[];
const runs = Number(process.env.RUNS ?? 3);
const modes = (process.env.MODES ?? 'full,worker').split(',');
const WORKER_BUDGET_MS = 300; // src/worker/trainer.ts's ANALYSIS_BUDGET_MS
const opts = { loss: 'mse', readout: 'every_step', truncation: null } as const;
// CLOCK=cpu: every part timed in this process's CPU time (analyze reads performance.now), which a
// machine shared with other jobs inflates far less than wall-clock time.
const wall = performance.now.bind(performance);
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
if (process.env.CLOCK === 'cpu') performance.now = cpuMs;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

if (process.env.DENSE !== 'ts') useDenseKernels(await loadWasmDense());
console.log(`analysis cost, T = ${T}, B = ${B}, ms (median of ${runs}); parts in ${process.env.CLOCK === 'cpu' ? 'CPU' : 'wall-clock'} time`);
for (const cell of cells) {
  for (const H of sizes) {
    const spec: ModelSpec = { cell, nonlinearity: 'tanh', inputSize: 8, hiddenSize: H, numLayers: 1, bidirectional: false, outputSize: 8, initialState: 'zero' };
    const rng = new Rng(1);
    const model = initModel(spec, { scheme: 'pytorch' }, rng);
    const batch: Batch = { B, T, inputSize: 8, x: new Float64Array(T * B * 8).map(() => rng.normal()), target: new Float64Array(T * B * 8).map(() => rng.normal()) };
    for (const label of modes) {
      const samples: Record<string, number[]> = {};
      for (let r = 0; r < runs; r++) {
        const t0 = wall();
        const c0 = cpuMs();
        const a = label === 'full' ? analyze(model, batch, opts) : budgetedAnalysis(model, batch, opts, WORKER_BUDGET_MS);
        (samples.wall ??= []).push(wall() - t0);
        (samples.cpu ??= []).push(cpuMs() - c0);
        for (const [k, v] of Object.entries(a.timings)) (samples[k] ??= []).push(v);
      }
      const parts = Object.entries(samples)
        .map(([k, v]) => `${k} ${median(v).toFixed(0)}`)
        .join(', ');
      const req = budgetedRequest(stateSize(cell, H), T, WORKER_BUDGET_MS);
      const shape = label === 'full' ? '' : ` (${analysisExamples(model, batch, opts, WORKER_BUDGET_MS)} examples, lags 1 … ${req.maxLag}, ${req.maxSingularValueSteps} J_t SVDs${req.fast ? ', fast path' : ''})`;
      console.log(`${cell.padEnd(4)} H=${String(H).padEnd(3)} ${label.padEnd(6)} ${parts}${shape}`);
    }
  }
}
