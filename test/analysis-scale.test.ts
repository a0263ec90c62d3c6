/**
 * The gradient-flow analysis past double's range (issue 9, the freeze): closed forms where the true
 * Jacobian product under- or overflows, exact scale-equivariance, and weights at 1e±300, NaN,
 * Infinity and zero in every cell. A hang fails by vitest's per-test timeout; no test reads a clock.
 */
import { describe, expect, it } from 'vitest';
import { analyze, budgetedRequest, stateSize, type Analysis } from '../src/engine/analysis';
import type { RunOptions } from '../src/engine/bptt';
import { initModel } from '../src/engine/init';
import { cloneModel, type Model } from '../src/engine/model';
import { Rng } from '../src/engine/rng';
import { budgetedAnalysis } from '../src/worker/view';
import { closedFormProductNorms, scaledOrthogonalLinearRnn, spec } from './analysisCases';
import { randomBatch } from './randomBatch';

const opts: RunOptions = { loss: 'mse', readout: 'every_step', truncation: null };
const T = 12;
const relErr = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe.each([32, 96])('linear RNN with W_hh = ρQ, H = %i, T = 12: ‖J^k‖₂ = ρ^k, ln = k ln ρ', (H) => {
  it.each([1e-40, 0.9, 1e40])('ρ = %s', (rho) => {
    const model = scaledOrthogonalLinearRnn(H, rho, 1);
    const a = analyze(model, randomBatch(new Rng(2), model.spec, 2, T, 'mse', 'every_step'), opts);
    const want = closedFormProductNorms(rho, T);
    expect(a.jacobianProductLogNorms).toHaveLength(T - 1);
    a.jacobianProductLogNorms.forEach((l, i) => expect(relErr(l, want.logNorms[i]), `k = ${i + 1}`).toBeLessThan(1e-12));
    a.jacobianProductNorms.forEach((v, i) => {
      const w = want.norms[i];
      if (w === 0 || w === Infinity) expect(v, `k = ${i + 1}`).toBe(w);
      else if (w < 2 ** -1022) expect(Math.abs(v - w), `k = ${i + 1}`).toBeLessThanOrEqual(2 * Number.MIN_VALUE); // subnormal
      else expect(relErr(v, w), `k = ${i + 1}`).toBeLessThan(1e-12);
    });
    if (rho === 1e-40) {
      expect(a.jacobianProductNorms[7]).toBeGreaterThan(0); // k = 8: 1e-320, subnormal but there
      expect(a.jacobianProductNorms.slice(8)).toEqual([0, 0, 0]); // k ≥ 9: below double
    }
    if (rho === 1e40) {
      expect(Number.isFinite(a.jacobianProductNorms[6])).toBe(true); // k = 7: 1e280
      expect(a.jacobianProductNorms.slice(7)).toEqual([Infinity, Infinity, Infinity, Infinity]);
    }
    for (const svs of a.stateJacobianSingularValues) for (const s of svs) expect(relErr(s, rho)).toBeLessThan(1e-12);
    expect(relErr(a.productNormRate, Math.log(rho))).toBeLessThan(1e-12);
    for (const lambda of a.lyapunov.exponents) expect(relErr(lambda, Math.log(rho))).toBeLessThan(1e-12);
    for (const [re, im] of a.weights[0].eigenvalues) expect(relErr(Math.hypot(re, im), rho)).toBeLessThan(1e-10);
  });
});

describe('scaling W_hh by 2^±1000 shifts every log by ∓1000·ln 2 per step, and nothing else', () => {
  // A linear RNN's J_t is W_hh itself, so J_t(cW) = c·J_t(W) exactly and ‖(cW)^k‖ = c^k ‖W^k‖:
  // the unscaled run, in double's range, is the oracle (and is itself checked against PyTorch).
  const base = initModel(spec('rnn', 'linear', 20), { scheme: 'pytorch' }, new Rng(11));
  const batch = randomBatch(new Rng(12), base.spec, 2, T, 'mse', 'every_step');
  const ref = analyze(base, batch, opts);
  it.each([-1000, 1000])('c = 2^%i', (e) => {
    const model = cloneModel(base);
    const W = model.params['weight_hh_l0'].data;
    for (let i = 0; i < W.length; i++) W[i] *= 2 ** e;
    const a = analyze(model, batch, opts);
    a.jacobianProductLogNorms.forEach((l, i) => expect(l - (i + 1) * e * Math.LN2).toBeCloseTo(ref.jacobianProductLogNorms[i], 11));
    expect(a.stateJacobianSingularValues).toEqual(ref.stateJacobianSingularValues.map((svs) => svs.map((s) => s * 2 ** e)));
    a.lyapunov.exponents.forEach((l, i) => expect(l - e * Math.LN2).toBeCloseTo(ref.lyapunov.exponents[i], 11));
    expect(a.productNormRate - e * Math.LN2).toBeCloseTo(ref.productNormRate, 11);
    expect(a.jacobianProductNorms[0]).toBe(ref.jacobianProductNorms[0] * 2 ** e); // k = 1: still in range, bit for bit
    expect(a.jacobianProductNorms.slice(1).every((v) => v === (e < 0 ? 0 : Infinity))).toBe(true); // 2^±1000k, k ≥ 2, leaves double
  });
});

/** Every parameter set from `fill` (given its PyTorch-default value). */
function withParams(model: Model, fill: (v: number, name: string, i: number) => number): Model {
  const m = cloneModel(model);
  for (const [name, p] of Object.entries(m.params)) p.data.forEach((v, i) => (p.data[i] = fill(v, name, i)));
  return m;
}

const WEIGHTS: [string, (v: number, name: string, i: number) => number][] = [
  ['× 1e-300', (v) => v * 1e-300],
  ['× 1e+300', (v) => v * 1e300],
  ['= 0', () => 0],
  ['= NaN', () => NaN],
  ['= Infinity', () => Infinity],
  ['with one NaN in W_hh', (v, name, i) => (name === 'weight_hh_l0' && i === 5 ? NaN : v)],
];
const CELLS = [
  ['rnn', 'tanh'],
  ['rnn', 'relu'],
  ['rnn', 'linear'],
  ['lstm', 'tanh'],
  ['gru', 'tanh'],
] as const;

/** Shapes as requested, every value a number; for finite weights no NaN anywhere J_t enters. */
function checkDefined(a: Analysis, n: number, lags: number, svSteps: number, finiteWeights: boolean): void {
  expect(a.jacobianProductNorms).toHaveLength(lags);
  expect(a.jacobianProductLogNorms).toHaveLength(lags);
  expect(a.stateJacobianSingularValues).toHaveLength(svSteps);
  for (const svs of a.stateJacobianSingularValues) expect(svs).toHaveLength(n);
  expect(a.lyapunov.exponents).toHaveLength(Math.min(n, 8));
  expect(a.finalLossGradNorms).toHaveLength(T);
  const all = [
    ...a.jacobianProductNorms,
    ...a.jacobianProductLogNorms,
    ...a.stateJacobianSingularValues.flat(),
    ...a.lyapunov.exponents,
    ...a.finalLossGradNorms,
    ...a.weights.flatMap((w) => [...w.eigenvalues.flat(), w.spectralRadius, ...w.singularValues]),
  ];
  expect(all.every((v) => typeof v === 'number')).toBe(true);
  if (!finiteWeights) return;
  for (const w of a.weights) expect([...w.eigenvalues.flat(), w.spectralRadius, ...w.singularValues].every(Number.isFinite)).toBe(true);
  expect(a.stateJacobianSingularValues.flat().every(Number.isFinite)).toBe(true);
  expect(a.jacobianProductLogNorms.every((l) => !Number.isNaN(l) && l !== Infinity)).toBe(true);
  expect(a.lyapunov.exponents.every((l) => !Number.isNaN(l) && l !== Infinity)).toBe(true);
  // Each norm is e^(its log) wherever that lies in double's normal range.
  a.jacobianProductNorms.forEach((v, i) => {
    const e = Math.exp(a.jacobianProductLogNorms[i]);
    if (e > 2 ** -1022 && e < Infinity) expect(relErr(v, e)).toBeLessThan(1e-12);
    if (a.jacobianProductLogNorms[i] < -746) expect(v).toBe(0);
    if (a.jacobianProductLogNorms[i] > 710) expect(v).toBe(Infinity);
  });
}

describe.each(CELLS)('%s %s: the analysis returns, defined, whatever the weights hold', (cell, phi) => {
  const H = 8;
  const base = initModel(spec(cell, phi, H), { scheme: 'pytorch' }, new Rng(21));
  const batch = randomBatch(new Rng(22), base.spec, 10, T, 'mse', 'every_step');
  const n = stateSize(cell, H);
  it.each(WEIGHTS)('weights %s', (label, fill) => {
    const model = withParams(base, fill);
    const finite = !label.includes('NaN') && !label.includes('Infinity');
    checkDefined(analyze(model, batch, opts), n, T - 1, T, finite);
    const req = budgetedRequest(n, T, 500);
    checkDefined(budgetedAnalysis(model, batch, opts, 500), n, req.maxLag ?? T - 1, req.maxSingularValueSteps ?? T, finite);
    if (label === '= NaN' || label === '= Infinity') for (const w of budgetedAnalysis(model, batch, opts, 500).weights) expect(w.spectralRadius).toBeNaN();
    if (label === '= 0') for (const w of analyze(model, batch, opts).weights) expect(w.singularValues.every((s) => s === 0)).toBe(true);
  });
});
