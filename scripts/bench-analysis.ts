/**
 * What the gradient-flow analysis costs: `npm run bench:analysis` prints, per cell and hidden size
 * at T = 50, B = 32, the milliseconds of each part (median of a few runs), in full and in the
 * budgeted form the worker uses (budgetedRequest at 500 ms: sampled steps, bounded lags).
 */
import { analyze, budgetedRequest, stateSize, type AnalysisRequest } from '../src/engine/analysis';
import type { Batch } from '../src/engine/batch';
import { initModel } from '../src/engine/init';
import type { CellKind, ModelSpec } from '../src/engine/model';
import { Rng } from '../src/engine/rng';

const T = 50;
const B = 32;
const sizes = (process.argv[2] ?? '64,256').split(',').map(Number);
const cells = (process.argv[3] ?? 'rnn,lstm,gru').split(',') as CellKind[];
const runs = 3;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

console.log(`analysis cost, T = ${T}, B = ${B}, ms (median of ${runs})`);
for (const cell of cells) {
  for (const H of sizes) {
    const spec: ModelSpec = { cell, nonlinearity: 'tanh', inputSize: 8, hiddenSize: H, numLayers: 1, bidirectional: false, outputSize: 8, initialState: 'zero' };
    const rng = new Rng(1);
    const model = initModel(spec, { scheme: 'pytorch' }, rng);
    const batch: Batch = { B, T, inputSize: 8, x: new Float64Array(T * B * 8).map(() => rng.normal()), target: new Float64Array(T * B * 8).map(() => rng.normal()) };
    for (const [label, req] of [
      ['full', {}],
      ['500ms', budgetedRequest(stateSize(cell, H), T, 500)],
    ] as [string, AnalysisRequest][]) {
      const samples: Record<string, number[]> = {};
      for (let r = 0; r < runs; r++) {
        const t0 = performance.now();
        const a = analyze(model, batch, { loss: 'mse', readout: 'every_step', truncation: null }, req);
        (samples.total ??= []).push(performance.now() - t0);
        for (const [k, v] of Object.entries(a.timings)) (samples[k] ??= []).push(v);
      }
      const parts = Object.entries(samples)
        .map(([k, v]) => `${k} ${median(v).toFixed(0)}`)
        .join(', ');
      const shape = label === 'full' ? '' : ` (lags ≤ ${req.maxLag}, ${req.maxSingularValueSteps} J_t SVDs)`;
      console.log(`${cell.padEnd(4)} H=${String(H).padEnd(3)} ${label.padEnd(6)} ${parts}${shape}`);
    }
  }
}
