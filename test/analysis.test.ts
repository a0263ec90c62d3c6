/**
 * The gradient-flow analysis against closed forms and finite differences. (The PyTorch cases'
 * stateJacobianSingularValues, jacobianProductNorms and eigenvaluesWhh run in reference.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { analyze, finalLossGradNorms, lyapunovSpectrum, recurrentWeightSpectra, spectralNorm, stateJacobian, stateSize } from '../src/engine/analysis';
import type { Batch } from '../src/engine/batch';
import { cellFor } from '../src/engine/cells';
import { initModel } from '../src/engine/init';
import { layerParams } from '../src/engine/model';
import { Rng } from '../src/engine/rng';
import { singularValues } from '../src/engine/spectra';
import { scaledOrthogonalLinearRnn, spec } from './analysisCases';
import { relativeError } from './helpers';
import { randomBatch } from './randomBatch';

describe('closed forms', () => {
  it.each([0.8, 1, 1.15])('linear RNN with W_hh = ρQ (ρ = %f): ‖∂h_T/∂h_{T−k}‖ = ρ^k and every singular value of J_t is ρ', (rho) => {
    const H = 6;
    const T = 12;
    const model = scaledOrthogonalLinearRnn(H, rho, 42);
    const batch = randomBatch(new Rng(1), model.spec, 3, T, 'mse', 'final_step');
    const a = analyze(model, batch, { loss: 'mse', readout: 'final_step', truncation: null });
    a.jacobianProductNorms.forEach((norm, i) => expect(norm / rho ** (i + 1)).toBeCloseTo(1, 12));
    for (const svs of a.stateJacobianSingularValues) for (const s of svs) expect(s).toBeCloseTo(rho, 12);
    // The fitted rate and every Lyapunov exponent are log ρ.
    expect(a.productNormRate).toBeCloseTo(Math.log(rho), 12);
    for (const lambda of a.lyapunov.exponents) expect(lambda).toBeCloseTo(Math.log(rho), 12);
    // The final-step loss's gradient shrinks or grows by exactly ρ per step back.
    a.finalLossGradNorms.forEach((g, k) => expect(g / (a.finalLossGradNorms[0] * rho ** k)).toBeCloseTo(1, 10));
    // Eigenvalues of ρQ all lie on the circle of radius ρ.
    for (const [re, im] of a.weights[0].eigenvalues) expect(Math.hypot(re, im)).toBeCloseTo(rho, 10);
    expect(a.weights[0].spectralRadius).toBeCloseTo(rho, 10);
  });

  it('an identity W_hh has every eigenvalue 1', () => {
    const model = initModel(spec('rnn', 'relu', 7), { scheme: 'identity', gain: 1 }, new Rng(1));
    const [w] = recurrentWeightSpectra(model);
    expect(w.eigenvalues.length).toBe(7);
    for (const [re, im] of w.eigenvalues) {
      expect(re).toBeCloseTo(1, 14);
      expect(im).toBeCloseTo(0, 14);
    }
    for (const s of w.singularValues) expect(s).toBeCloseTo(1, 14);
  });

  it('a rotation has its eigenvalues on the unit circle at its angles', () => {
    const angles = [0.3, 1.1, 2.5];
    const H = 2 * angles.length;
    const model = initModel(spec('rnn', 'tanh', H), { scheme: 'pytorch' }, new Rng(2));
    const W = model.params['weight_hh_l0'].data;
    W.fill(0);
    angles.forEach((theta, k) => {
      const i = 2 * k;
      W[i * H + i] = Math.cos(theta);
      W[i * H + i + 1] = -Math.sin(theta);
      W[(i + 1) * H + i] = Math.sin(theta);
      W[(i + 1) * H + i + 1] = Math.cos(theta);
    });
    const eig = recurrentWeightSpectra(model)[0].eigenvalues;
    for (const [re, im] of eig) expect(Math.hypot(re, im)).toBeCloseTo(1, 12);
    const found = eig.map(([re, im]) => Math.atan2(im, re)).sort((a, b) => a - b);
    const want = angles.flatMap((t) => [t, -t]).sort((a, b) => a - b);
    found.forEach((f, i) => expect(f).toBeCloseTo(want[i], 12));
  });

  it('Lyapunov exponents of a diagonal linear map are log |a_i|', () => {
    const a = [1.2, -0.9, 0.5, 0.1];
    const n = a.length;
    const J = new Float64Array(n * n);
    a.forEach((v, i) => (J[i * n + i] = v));
    const { exponents } = lyapunovSpectrum(Array(20).fill(J), n, 3);
    const want = a.map((v) => Math.log(Math.abs(v))).sort((x, y) => y - x).slice(0, 3);
    exponents.forEach((e, i) => expect(e).toBeCloseTo(want[i], 12));
  });
});

describe('state Jacobians match finite differences', () => {
  it.each([
    ['rnn', 'tanh'],
    ['rnn', 'relu'],
    ['lstm', 'tanh'],
    ['gru', 'tanh'],
  ] as const)('%s %s', (cell, phi) => {
    const H = 4;
    const rng = new Rng(17);
    const model = initModel(spec(cell, phi, H), { scheme: 'orthogonal', gain: 1.2, forgetBias: 0.5 }, rng);
    const p = layerParams(model.params, 0, 0);
    const B = 2;
    const dims = { B, D: 2, H };
    const x = new Float64Array(B * 2).map(() => rng.normal()); // (B, D)
    const h = new Float64Array(B * H).map(() => rng.normal() * 0.5); // (B, H)
    const c = cell === 'lstm' ? new Float64Array(B * H).map(() => rng.normal() * 0.5) : null; // (B, H)
    const f = cellFor(model.spec);
    const n = stateSize(cell, H);
    const b = 1;
    const J = stateJacobian(cell, phi, p.W_hh, f.forward(p, x, h, c, dims), b, H);
    const state = (hh: Float64Array, cc: Float64Array | null) => {
      const s = f.forward(p, x, hh, cc, dims);
      const out = Array.from(s.h.subarray(b * H, (b + 1) * H));
      return s.c ? out.concat(Array.from(s.c.subarray(b * H, (b + 1) * H))) : out;
    };
    const delta = 1e-6;
    const fd = new Float64Array(n * n); // (n, n), column j = ∂s_t/∂s_{t−1, j}
    for (let j = 0; j < n; j++) {
      const bump = (sign: number) => {
        const hh = new Float64Array(h);
        const cc = c ? new Float64Array(c) : null;
        if (j < H) hh[b * H + j] += sign * delta;
        else (cc as Float64Array)[b * H + j - H] += sign * delta;
        return state(hh, cc);
      };
      const up = bump(1);
      const down = bump(-1);
      for (let i = 0; i < n; i++) fd[i * n + j] = (up[i] - down[i]) / (2 * delta);
    }
    expect(relativeError(Array.from(J), Array.from(fd))).toBeLessThan(1e-8);
  });
});

describe('analysis at scale', () => {
  it('power iteration gives the spectral norm of a large matrix to 1e-9', () => {
    const n = 96; // above SVD_MAX_SIZE
    const rng = new Rng(5);
    const A = new Float64Array(n * n).map(() => rng.normal());
    expect(spectralNorm(A, n) / singularValues(A, n, n)[0]).toBeCloseTo(1, 9);
  });

  it('samples steps for the J_t singular values when asked, always ending at the last step', () => {
    const model = initModel(spec('gru', 'tanh', 8), { scheme: 'pytorch' }, new Rng(3));
    const batch: Batch = randomBatch(new Rng(4), model.spec, 2, 30, 'mse', 'every_step');
    const a = analyze(model, batch, { loss: 'mse', readout: 'every_step', truncation: null }, { maxSingularValueSteps: 5 });
    expect(a.singularValueSteps).toEqual([6, 12, 17, 23, 29]);
    expect(a.stateJacobianSingularValues).toHaveLength(5);
    expect(a.jacobianProductNorms).toHaveLength(29);
    expect(Object.keys(a.timings)).toContain('productNorms');
  });

  it('the final-step gradient norms are the hidden gradients of a loss scored at the last step only', () => {
    const model = initModel(spec('lstm', 'tanh', 5), { scheme: 'pytorch' }, new Rng(8));
    const batch = randomBatch(new Rng(9), model.spec, 3, 10, 'cross_entropy', 'every_step');
    const norms = finalLossGradNorms(model, batch, { loss: 'cross_entropy', readout: 'every_step', truncation: null });
    expect(norms).toHaveLength(10);
    // An LSTM with default init forgets: the gradient from the last loss fades going back.
    expect(norms[9]).toBeLessThan(norms[0]);
    expect(norms.every((v) => v > 0 && Number.isFinite(v))).toBe(true);
  });
});
