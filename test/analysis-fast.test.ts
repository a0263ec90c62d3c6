/**
 * The fast analysis (src/engine/analysis/fast.ts: J_t applied to a few vectors, never multiplied
 * into n × n products) against the float64 full path, its reference: the Lyapunov exponents to
 * rounding; each product norm a lower bound within 2 % (|Δ ln| < 0.02; 5 % at H = 128), the
 * short lags to 1e-5;
 * closed forms for W_hh = ρQ at any scale; defined results and bounded work whatever the weights
 * hold (work counted in products of J_t with a vector, never in time).
 */
import { describe, expect, it } from 'vitest';
import { analyze, stateJacobians, stateSize, jacobianOperators, fastLyapunov, fastProductLogNorms, jacobianProductLogNorms, lyapunovSpectrum } from '../src/engine/analysis';
import { work } from '../src/engine/analysis/operators';
import { forward, type RunOptions } from '../src/engine/bptt';
import { initModel } from '../src/engine/init';
import { cloneModel, type Model } from '../src/engine/model';
import { Rng } from '../src/engine/rng';
import { closedFormProductNorms, scaledOrthogonalLinearRnn, spec } from './analysisCases';
import { randomBatch } from './randomBatch';

const opts: RunOptions = { loss: 'mse', readout: 'every_step', truncation: null };
const relErr = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

/** The Jacobians of batch element 0 of a seeded model with W_hh scaled by `scale`. */
function jacobiansOf(cell: 'rnn' | 'gru' | 'lstm', phi: 'tanh' | 'relu', H: number, T: number, scale: number, seed: number) {
  const model = initModel(spec(cell, phi, H), { scheme: 'pytorch' }, new Rng(seed));
  model.params['weight_hh_l0'].data.forEach((v, i, a) => (a[i] = v * scale));
  const batch = randomBatch(new Rng(seed + 1), model.spec, 1, T, 'mse', 'every_step');
  const Js = stateJacobians(model, forward(model, batch, opts), 0, 0, 0);
  return { Js, n: stateSize(cell, H) };
}

describe.each([
  ['rnn', 'tanh', 40, 0.02],
  ['rnn', 'relu', 24, 0.02],
  ['gru', 'tanh', 40, 0.02],
  ['lstm', 'tanh', 24, 0.02],
  ['rnn', 'tanh', 128, 0.05],
] as const)('%s %s H = %i, T = 40: fast against the full float64 path, every lag within |Δ ln| < %s', (cell, phi, H, tolerance) => {
  it.each([0.5, 1, 3])('W_hh × %s', (scale) => {
    const T = 40;
    const { Js, n } = jacobiansOf(cell, phi, H, T, scale, 31);
    const ref = jacobianProductLogNorms(Js, n);
    const refLy = lyapunovSpectrum(Js, n, 8);
    const ops = jacobianOperators(Js, n, cell === 'lstm');
    const fast = fastProductLogNorms(ops);
    expect(fast.logNorms).toHaveLength(T - 1);
    fast.logNorms.forEach((l, i) => {
      const want = ref.logNorms[i];
      expect(l, `k = ${i + 1}: a lower bound`).toBeLessThanOrEqual(want + 1e-9 * Math.max(1, Math.abs(want)));
      expect(want - l, `k = ${i + 1}: close`).toBeLessThan(tolerance);
      if (i < 6) expect(want - l, `k = ${i + 1}: its own Krylov iteration`).toBeLessThan(1e-5);
      expect(relErr(fast.norms[i], Math.exp(l))).toBeLessThan(1e-12);
    });
    const ly = fastLyapunov(ops, 8);
    ly.exponents.forEach((l, i) => expect(Math.abs(l - refLy.exponents[i]), `λ_${i + 1}`).toBeLessThan(1e-10));
    ly.running.forEach((row, t) => row.forEach((l, i) => expect(Math.abs(l - refLy.running[t][i])).toBeLessThan(1e-10)));
  });
});

describe('states smaller than the blocks (n ≤ 6): the blocks span the whole space, so the norms are exact', () => {
  it.each([
    ['rnn', 1],
    ['rnn', 3],
    ['gru', 2],
    ['lstm', 1],
    ['lstm', 3],
  ] as const)('%s H = %i', (cell, H) => {
    for (const T of [1, 2, 5]) {
      const { Js, n } = jacobiansOf(cell, 'tanh', H, T, 1, 51);
      const ref = jacobianProductLogNorms(Js, n);
      const fast = fastProductLogNorms(jacobianOperators(Js, n, cell === 'lstm'));
      expect(fast.logNorms).toHaveLength(T - 1);
      fast.logNorms.forEach((l, i) => expect(Math.abs(l - ref.logNorms[i]), `T = ${T}, k = ${i + 1}`).toBeLessThan(1e-12));
    }
  });
});

describe.each([32, 96])('linear RNN with W_hh = ρQ, H = %i: fast gives ‖J^k‖₂ = ρ^k and λ = ln ρ', (H) => {
  it.each([1e-40, 0.9, 1e40])('ρ = %s', (rho) => {
    const T = 12;
    const model = scaledOrthogonalLinearRnn(H, rho, 1);
    const a = analyze(model, randomBatch(new Rng(2), model.spec, 2, T, 'mse', 'every_step'), opts, { fast: true });
    const want = closedFormProductNorms(rho, T);
    a.jacobianProductLogNorms.forEach((l, i) => expect(relErr(l, want.logNorms[i]), `k = ${i + 1}`).toBeLessThan(1e-12));
    a.jacobianProductNorms.forEach((v, i) => {
      const w = want.norms[i];
      if (w === 0 || w === Infinity) expect(v, `k = ${i + 1}`).toBe(w);
      else if (w < 2 ** -1022) expect(Math.abs(v - w), `k = ${i + 1}`).toBeLessThanOrEqual(2 * Number.MIN_VALUE);
      else expect(relErr(v, w), `k = ${i + 1}`).toBeLessThan(1e-12);
    });
    for (const lambda of a.lyapunov.exponents) expect(relErr(lambda, Math.log(rho))).toBeLessThan(1e-12);
  });
});

describe('analyze with fast: the same eigenvalues and J_t spectra as the full path, no W_hh singular values', () => {
  it.each(['rnn', 'gru', 'lstm'] as const)('%s H = 80', (cell) => {
    const model = initModel(spec(cell, 'tanh', 80), { scheme: 'pytorch' }, new Rng(61));
    const batch = randomBatch(new Rng(62), model.spec, 2, 6, 'mse', 'every_step');
    const fast = analyze(model, batch, opts, { fast: true, maxSingularValueSteps: 2 });
    const full = analyze(model, batch, opts, { maxSingularValueSteps: 2 });
    expect(fast.weights).toEqual(full.weights.map((w) => ({ ...w, singularValues: [] })));
    expect(fast.stateJacobianSingularValues).toEqual(full.stateJacobianSingularValues);
    expect(fast.finalLossGradNorms).toEqual(full.finalLossGradNorms);
  });
});

/** An upper bound on fast.ts's products of J_t with a vector, from its structure alone. */
function workBound(T: number, n: number): number {
  const K = T - 1;
  const krylov = 12 * 2 * 2 * (1 + 2 + 3 + 4 + 5 + 6); // ≤ 12 blocks of 2, down and up, lags 1 … 6
  const starts = Math.ceil(Math.log2(K)) + 1;
  const forwardBlocks = 4 * 3 * K; // lags 8, 16, …, K: under 3K steps of 4 vectors
  const shared = K * Math.min(n, 4 + 4 * starts);
  return krylov + forwardBlocks + shared + T * Math.min(n, 8);
}

describe('whatever the weights hold: defined, bounded work', () => {
  const base = initModel(spec('lstm', 'tanh', 12), { scheme: 'pytorch' }, new Rng(41));
  const T = 20;
  const batch = randomBatch(new Rng(42), base.spec, 2, T, 'mse', 'every_step');
  const n = stateSize('lstm', 12);
  const fills: [string, (v: number, name: string, i: number) => number][] = [
    ['× 1e-300', (v) => v * 1e-300],
    ['× 1e+300', (v) => v * 1e300],
    ['× 2^-1070 (subnormal)', (v) => v * 2 ** -1070],
    ['= 0', () => 0],
    ['= NaN', () => NaN],
    ['= Infinity', () => Infinity],
    ['with one NaN in W_hh', (v, name, i) => (name === 'weight_hh_l0' && i === 5 ? NaN : v)],
  ];
  it.each(fills)('weights %s', (label, fill) => {
    const model: Model = cloneModel(base);
    for (const [name, p] of Object.entries(model.params)) p.data.forEach((v, i) => (p.data[i] = fill(v, name, i)));
    work.vectors = 0;
    const a = analyze(model, batch, opts, { fast: true });
    expect(work.vectors).toBeLessThanOrEqual(workBound(T, n));
    expect(a.jacobianProductLogNorms).toHaveLength(T - 1);
    expect(a.lyapunov.exponents).toHaveLength(8);
    const values = [...a.jacobianProductNorms, ...a.jacobianProductLogNorms, ...a.lyapunov.exponents];
    expect(values.every((v) => typeof v === 'number')).toBe(true);
    if (!label.includes('NaN') && !label.includes('Infinity')) {
      // Same answers as the full path, where that one is defined: the scale moves exponents only.
      const ref = analyze(model, batch, opts);
      a.jacobianProductLogNorms.forEach((l, i) => {
        const want = ref.jacobianProductLogNorms[i];
        if (want === -Infinity) expect(l).toBe(-Infinity);
        else expect(want - l).toBeLessThan(0.02);
      });
      a.lyapunov.exponents.forEach((l, i) => {
        const want = ref.lyapunov.exponents[i];
        if (Number.isFinite(want)) expect(Math.abs(l - want)).toBeLessThan(1e-8 * Math.max(1, Math.abs(want)));
        else expect(l).toBe(want);
      });
    }
  });
});

describe('the fast path reuses its Jacobian buffers from one analysis to the next', () => {
  it('an earlier result is untouched by a later analysis, and a repeat gives the same numbers', () => {
    const one = initModel(spec('lstm', 'tanh', 10), { scheme: 'pytorch' }, new Rng(71));
    const two = initModel(spec('lstm', 'tanh', 10), { scheme: 'pytorch' }, new Rng(72));
    const batch = randomBatch(new Rng(73), one.spec, 2, 9, 'mse', 'every_step');
    const a = analyze(one, batch, opts, { fast: true });
    const before = JSON.stringify({ ...a, timings: null });
    const b = analyze(two, batch, opts, { fast: true });
    expect(JSON.stringify({ ...a, timings: null })).toBe(before);
    expect(JSON.stringify({ ...b, timings: null })).not.toBe(before);
    expect(JSON.stringify({ ...analyze(one, batch, opts, { fast: true }), timings: null })).toBe(before);
  });
});
