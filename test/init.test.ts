/** Initializations, each against its definition. */
import { describe, expect, it } from 'vitest';
import { initModel, rescaleSpectralRadius } from '../src/engine/init';
import type { ModelSpec } from '../src/engine/model';
import { Rng } from '../src/engine/rng';
import { singularValues, spectralRadius } from '../src/engine/spectra';

const rnn = (H: number, cell: ModelSpec['cell'] = 'rnn'): ModelSpec => ({
  cell,
  nonlinearity: 'tanh',
  inputSize: 3,
  hiddenSize: H,
  numLayers: 1,
  bidirectional: false,
  outputSize: 2,
  initialState: 'zero',
});
const maxAbs = (a: Float64Array) => a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);

describe('initializations', () => {
  it('pytorch: every recurrent weight in U(−1/√H, 1/√H), and filling that range', () => {
    const m = initModel(rnn(16, 'gru'), { scheme: 'pytorch' }, new Rng(1));
    for (const name of ['weight_ih_l0', 'weight_hh_l0', 'bias_ih_l0', 'bias_hh_l0']) {
      expect(maxAbs(m.params[name].data)).toBeLessThanOrEqual(0.25);
      expect(maxAbs(m.params[name].data)).toBeGreaterThan(0.2);
    }
  });

  it('orthogonal: each gate block of W_hh is gain · Q with QᵀQ = I', () => {
    const H = 12;
    const m = initModel(rnn(H, 'lstm'), { scheme: 'orthogonal', gain: 1.5 }, new Rng(2));
    const W = m.params['weight_hh_l0'].data;
    for (let g = 0; g < 4; g++) {
      const sv = singularValues(W.subarray(g * H * H, (g + 1) * H * H), H, H);
      for (const s of sv) expect(s).toBeCloseTo(1.5, 12);
    }
  });

  it('identity: W_hh = scale · I and zero biases (IRNN)', () => {
    const m = initModel({ ...rnn(5), nonlinearity: 'relu' }, { scheme: 'identity', gain: 1 }, new Rng(3));
    const W = m.params['weight_hh_l0'].data;
    for (let i = 0; i < 5; i++) for (let j = 0; j < 5; j++) expect(W[i * 5 + j]).toBe(i === j ? 1 : 0);
    expect(maxAbs(m.params['bias_hh_l0'].data)).toBe(0);
  });

  it('gaussian: the spectral radius is exactly ρ', () => {
    for (const rho of [0.5, 0.9, 1.3]) {
      const m = initModel(rnn(32), { scheme: 'gaussian', gain: rho }, new Rng(4));
      expect(spectralRadius(m.params['weight_hh_l0'].data, 32)).toBeCloseTo(rho, 10);
    }
  });

  it('any W_hh can be rescaled to a target spectral radius', () => {
    const m = initModel(rnn(20), { scheme: 'pytorch', spectralRadius: 2 }, new Rng(5));
    expect(spectralRadius(m.params['weight_hh_l0'].data, 20)).toBeCloseTo(2, 10);
    const W = new Float64Array([0, 2, -0.5, 0]); // rotation-like, eigenvalues ±i
    rescaleSpectralRadius(W, 2, 0.5);
    expect(spectralRadius(W, 2)).toBeCloseTo(0.5, 12);
  });

  it('xavier: U(±√(6/(fan_in + fan_out))) per gate block', () => {
    const m = initModel(rnn(64), { scheme: 'xavier' }, new Rng(6));
    const bound = Math.sqrt(6 / 128);
    expect(maxAbs(m.params['weight_hh_l0'].data)).toBeLessThanOrEqual(bound);
    expect(maxAbs(m.params['weight_hh_l0'].data)).toBeGreaterThan(0.95 * bound);
  });

  it('LSTM forget-gate bias sits in the second gate block', () => {
    const H = 6;
    const m = initModel(rnn(H, 'lstm'), { scheme: 'xavier', forgetBias: 1 }, new Rng(7));
    const b_ih = m.params['bias_ih_l0'].data;
    expect(Array.from(b_ih.subarray(H, 2 * H))).toEqual(Array(H).fill(1));
    expect(maxAbs(b_ih.subarray(0, H))).toBe(0);
  });
});

describe('determinism', () => {
  const spec: ModelSpec = { ...rnn(8, 'gru'), numLayers: 2, bidirectional: true };
  it.each(['pytorch', 'orthogonal', 'gaussian'] as const)('one seed gives bit-identical weights (%s)', (scheme) => {
    const a = initModel(spec, { scheme }, new Rng(123));
    const b = initModel(spec, { scheme }, new Rng(123));
    for (const name of Object.keys(a.params)) expect(Array.from(a.params[name].data)).toEqual(Array.from(b.params[name].data));
  });
  it('two seeds give different weights', () => {
    const a = initModel(spec, { scheme: 'pytorch' }, new Rng(1));
    const b = initModel(spec, { scheme: 'pytorch' }, new Rng(2));
    expect(Array.from(a.params['weight_hh_l1'].data)).not.toEqual(Array.from(b.params['weight_hh_l1'].data));
  });
  it('the generator is pinned: a seed gives the same numbers on every platform and version', () => {
    const rng = new Rng(2026);
    // The first draws for seed 2026, computed independently by a 12-line Python sfc32 + splitmix32
    // (the published algorithms). A change here would silently change every shared link's run.
    expect([rng.nextUint32(), rng.nextUint32(), rng.nextUint32()]).toEqual([1588752412, 429169908, 3489657510]);
    const u = Array.from({ length: 20000 }, () => rng.uniform());
    const mean = u.reduce((a, b) => a + b, 0) / u.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.01); // 4σ of the mean of 20 000 uniforms
    const z = Array.from({ length: 20000 }, () => rng.normal());
    const v = z.reduce((a, b) => a + b * b, 0) / z.length;
    expect(Math.abs(v - 1)).toBeLessThan(0.05);
  });
});
