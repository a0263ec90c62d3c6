/**
 * Models and cases whose gradient-flow analysis has a closed form at any scale: a linear RNN with
 * W_hh = ρQ, Q a seeded Haar-random orthogonal matrix. Then J_t = W_hh at every step, so every
 * singular value of J_t is ρ and ‖J_{T−1} ⋯ J_{T−k}‖₂ = ‖ρ^k Q^k‖₂ = ρ^k, whose log is k·ln ρ:
 * at ρ = 1e-40 the norm leaves double's range past k ≈ 8, at ρ = 1e+40 past k ≈ 7 (issue 9:
 * ml-matrix's SVD never returned on the subnormal product).
 *
 * From a terminal, the case for the engine's CLI (H, T, ρ, seed; defaults 32, 12, 1e-40, 1):
 *   npx tsx test/analysisCases.ts 32 12 1e-40 > /tmp/case.json && npm run --silent engine -- /tmp/case.json
 */
import { pathToFileURL } from 'node:url';
import { initModel } from '../src/engine/init';
import type { CellKind, Model, ModelSpec, Nonlinearity } from '../src/engine/model';
import { CASE_FORMAT } from '../src/engine/referenceCase';
import { saveModel } from '../src/engine/modelFile';
import { Rng } from '../src/engine/rng';
import { orthogonalFactor } from '../src/engine/spectra';

export const spec = (cell: CellKind, phi: Nonlinearity, H: number, extra: Partial<ModelSpec> = {}): ModelSpec => ({
  cell,
  nonlinearity: phi,
  inputSize: 2,
  hiddenSize: H,
  numLayers: 1,
  bidirectional: false,
  outputSize: 2,
  initialState: 'zero',
  ...extra,
});

/** A seeded Haar-random orthogonal (H, H) matrix. */
export function seededOrthogonal(H: number, rng: Rng): Float64Array {
  return orthogonalFactor(new Float64Array(H * H).map(() => rng.normal()), H);
}

/** A linear RNN whose W_hh is ρ·Q with Q a seeded Haar-random orthogonal matrix. */
export function scaledOrthogonalLinearRnn(H: number, rho: number, seed: number): Model {
  const rng = new Rng(seed);
  const model = initModel(spec('rnn', 'linear', H), { scheme: 'pytorch' }, rng);
  const Q = seededOrthogonal(H, rng);
  model.params['weight_hh_l0'].data.set(Q.map((q) => rho * q));
  return model;
}

/** ‖(ρQ)^k‖₂ = ρ^k and its log k·ln ρ for k = 1 … T−1, as double holds them (ρ^k → 0 or Infinity out of range). */
export function closedFormProductNorms(rho: number, T: number): { norms: number[]; logNorms: number[] } {
  const logNorms = Array.from({ length: T - 1 }, (_, i) => (i + 1) * Math.log(rho));
  return { norms: logNorms.map(Math.exp), logNorms };
}

/**
 * The issue-9 case in the rnn-playground/case@1 format: the linear RNN above, B = 1, MSE at every
 * step, with `expected` holding the closed forms (what PyTorch's float64 also gives, up to rounding).
 */
export function scaledOrthogonalCase(H = 32, T = 12, rho = 1e-40, seed = 1): Record<string, unknown> {
  const model = scaledOrthogonalLinearRnn(H, rho, seed);
  const rng = new Rng(seed + 1);
  const { norms, logNorms } = closedFormProductNorms(rho, T);
  return {
    format: CASE_FORMAT,
    name: `linear_rnn_orthogonal_times_${rho}`,
    model: saveModel(model),
    batch: {
      inputs: [Array.from({ length: T }, () => Array.from({ length: model.spec.inputSize }, () => rng.normal()))],
      targets: [Array.from({ length: T }, () => Array.from({ length: model.spec.outputSize }, () => rng.normal()))],
    },
    loss: 'mse',
    readout: 'every_step',
    truncation: null,
    training: null,
    expected: {
      stateJacobianSingularValues: Array.from({ length: T }, () => new Array<number>(H).fill(rho)),
      jacobianProductNorms: norms,
      jacobianProductLogNorms: logNorms,
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [H, T, rho, seed] = process.argv.slice(2).map(Number);
  process.stdout.write(`${JSON.stringify(scaledOrthogonalCase(H || 32, T || 12, rho || 1e-40, seed || 1))}\n`);
}
