/** The papers' initializations, checked by their statistics and closed forms. */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/engine/rng';
import { initSuccessorModel, inverseSoftplus, LRU_RING, MAMBA_DT } from '../../src/engine/successors/init';
import { softplus } from '../../src/engine/successors/mamba';
import { successorParamShapes, tensorsUnder, type SuccessorSpec } from '../../src/engine/successors/spec';
import { initAnyModel } from '../../src/engine/anyModel';
import { initSpecOf, modelSpecOf } from '../../src/settings/specs';
import { DEFAULT_CONFIG, type PlaygroundConfig } from '../../src/settings/table';
import { successorSpec } from './helpers';

const mean = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0) / a.length;

/** The Kolmogorov–Smirnov distance between a sample and U[lo, hi]: the largest gap between the
 *  sample's distribution function and the straight line. */
function ksUniform(sample: readonly number[], lo: number, hi: number): number {
  const sorted = [...sample].sort((x, y) => x - y);
  const n = sorted.length;
  let d = 0;
  sorted.forEach((v, i) => {
    const F = (v - lo) / (hi - lo);
    d = Math.max(d, Math.abs(F - i / n), Math.abs(F - (i + 1) / n));
  });
  return d;
}
/** KS critical value at α = 0.001 for n draws (Smirnov's asymptotic c(α) = √(−½ ln(α/2)) ≈ 1.95). */
const ksCritical = (n: number) => Math.sqrt(-0.5 * Math.log(0.001 / 2)) / Math.sqrt(n);

describe('LRU ring initialization (Orvieto et al. 2023)', () => {
  const spec: SuccessorSpec = successorSpec('lru', { hiddenSize: 16, stateSize: 4000 });
  const m = tensorsUnder(initSuccessorModel(spec, new Rng(1)).params, 'layers.0.mixer.');
  const modulus = Array.from(m.nu_log, (nl) => Math.exp(-Math.exp(nl))); // |λ|
  const theta = Array.from(m.theta_log, Math.exp);

  it('puts every |λ| on the ring [r_min, r_max], uniform by area: |λ|² uniform', () => {
    for (const r of modulus) {
      expect(r).toBeGreaterThanOrEqual(LRU_RING.r_min);
      expect(r).toBeLessThanOrEqual(LRU_RING.r_max);
    }
    const sq = modulus.map((r) => r * r);
    const lo = LRU_RING.r_min ** 2;
    const hi = LRU_RING.r_max ** 2;
    const standardError = (hi - lo) / Math.sqrt(12 * sq.length);
    expect(Math.abs(mean(sq) - (lo + hi) / 2)).toBeLessThan(4 * standardError);
    // a quarter of the area lies below the first quartile of |λ|²
    expect(sq.filter((s) => s < lo + (hi - lo) / 4).length / sq.length).toBeCloseTo(0.25, 1);
  });

  it('draws phases in (0, θ_max] and sets γ = √(1 − |λ|²)', () => {
    for (const t of theta) {
      expect(t).toBeGreaterThan(0);
      expect(t).toBeLessThanOrEqual(LRU_RING.maxPhase);
    }
    expect(Math.abs(mean(theta) - LRU_RING.maxPhase / 2)).toBeLessThan((4 * LRU_RING.maxPhase) / Math.sqrt(12 * theta.length));
    m.gamma_log.forEach((g, k) => expect(Math.exp(g)).toBeCloseTo(Math.sqrt(1 - modulus[k] ** 2), 12));
  });

  it('|λ|² passes a Kolmogorov–Smirnov test for U[r_min², r_max²] (seed 1, α = 0.001), and θ one for U[0, θ_max]', () => {
    const sq = modulus.map((r) => r * r);
    expect(ksUniform(sq, LRU_RING.r_min ** 2, LRU_RING.r_max ** 2)).toBeLessThan(ksCritical(sq.length));
    expect(ksUniform(theta, 0, LRU_RING.maxPhase)).toBeLessThan(ksCritical(theta.length));
    // the test can fail: |λ| itself uniform on [r_min, r_max] (uniform by radius, not by area) is far off
    expect(ksUniform(modulus, LRU_RING.r_min, LRU_RING.r_max)).toBeGreaterThan(3 * ksCritical(modulus.length)); // a gap of 0.106 at |λ| ≈ 0.7
  });

  it('takes another ring when asked', () => {
    const other = tensorsUnder(initSuccessorModel(successorSpec('lru', { stateSize: 200 }), new Rng(2), { r_min: 0.9, r_max: 0.999, maxPhase: Math.PI / 10 }).params, 'layers.0.mixer.');
    for (const nl of other.nu_log) expect(Math.exp(-Math.exp(nl))).toBeGreaterThanOrEqual(0.9);
    for (const tl of other.theta_log) expect(Math.exp(tl)).toBeLessThanOrEqual(Math.PI / 10);
  });
});

describe("the ring from the settings (r_min, r_max, θ_max / π: links rmin, rmax, phase)", () => {
  const info = { inputSize: 3, outputSize: 2 };
  const mixerOf = (c: PlaygroundConfig, seed: number) => tensorsUnder(initAnyModel(modelSpecOf(c, info), initSpecOf(c), new Rng(seed)).params, 'layers.0.mixer.');

  it('draws every λ on the chosen ring, every phase in (0, θ_max], γ = √(1 − |λ|²), |λ|² uniform by KS', () => {
    const c: PlaygroundConfig = { ...DEFAULT_CONFIG, cell: 'lru', stateSize: 64, numLayers: 1, ringMin: 0.9, ringMax: 0.999, ringPhase: 0.1 };
    const sq: number[] = [];
    for (let seed = 1; seed <= 40; seed++) {
      const m = mixerOf(c, seed);
      m.nu_log.forEach((nl, k) => {
        const r = Math.exp(-Math.exp(nl));
        expect(r).toBeGreaterThanOrEqual(0.9);
        expect(r).toBeLessThanOrEqual(0.999);
        expect(Math.exp(m.theta_log[k])).toBeGreaterThan(0);
        expect(Math.exp(m.theta_log[k])).toBeLessThanOrEqual(0.1 * Math.PI * (1 + 1e-15));
        expect(Math.exp(m.gamma_log[k])).toBeCloseTo(Math.sqrt(1 - r * r), 12);
        sq.push(r * r);
      });
    }
    expect(sq.length).toBe(2560);
    expect(ksUniform(sq, 0.81, 0.999 ** 2)).toBeLessThan(ksCritical(sq.length));
  });

  it('the defaults are the engine\'s own ring, bit for bit (the reference cases and lessons are unchanged)', () => {
    expect([DEFAULT_CONFIG.ringMin, DEFAULT_CONFIG.ringMax, DEFAULT_CONFIG.ringPhase * Math.PI]).toEqual([LRU_RING.r_min, LRU_RING.r_max, LRU_RING.maxPhase]);
    const c: PlaygroundConfig = { ...DEFAULT_CONFIG, cell: 'lru', numLayers: 2 };
    const fromSettings = initAnyModel(modelSpecOf(c, info), initSpecOf(c), new Rng(9)).params;
    const plain = initSuccessorModel(modelSpecOf(c, info) as SuccessorSpec, new Rng(9)).params;
    for (const name of Object.keys(plain)) expect(Array.from(fromSettings[name].data), name).toEqual(Array.from(plain[name].data));
    // and only the LRU reads it: Mamba's init ignores the ring
    const mamba: PlaygroundConfig = { ...DEFAULT_CONFIG, cell: 'mamba' };
    expect(initSpecOf({ ...mamba, ringMin: 0.9, ringMax: 0.999 }).successor).toEqual({});
  });
});

describe('Mamba initialization (Gu & Dao 2023)', () => {
  const spec = successorSpec('mamba', { hiddenSize: 2000, stateSize: 5, inputSize: 3 });
  const m = tensorsUnder(initSuccessorModel(spec, new Rng(3)).params, 'layers.0.mixer.');

  it('S4D-real: A = −(1, 2, …, N) in every channel, D = 1', () => {
    for (let h = 0; h < spec.hiddenSize; h++) for (let n = 0; n < 5; n++) expect(-Math.exp(m.A_log[h * 5 + n])).toBeCloseTo(-(n + 1), 12);
    expect(Array.from(m.D).every((d) => d === 1)).toBe(true);
  });

  it('Δ = softplus(dt_proj.bias) log-uniform in [0.001, 0.1]', () => {
    const dt = Array.from(m['dt_proj.bias'], softplus);
    for (const d of dt) {
      expect(d).toBeGreaterThanOrEqual(MAMBA_DT.dtMin * (1 - 1e-12));
      expect(d).toBeLessThanOrEqual(MAMBA_DT.dtMax * (1 + 1e-12));
    }
    // log-uniform: log10 Δ uniform on [−3, −1], mean −2
    expect(mean(dt.map(Math.log10))).toBeCloseTo(-2, 1);
    expect(dt.filter((d) => d < 0.01).length / dt.length).toBeCloseTo(0.5, 1);
  });

  it('inverts softplus exactly', () => {
    for (const y of [1e-4, 0.001, 0.05, 0.1, 3]) expect(softplus(inverseSoftplus(y))).toBeCloseTo(y, 14);
  });
});

describe('RWKV-4 per-channel decays', () => {
  it('run from slow (w_log = −5) to fast (w_log = 3) across channels, sharper in higher layers', () => {
    const spec = successorSpec('rwkv', { hiddenSize: 8, numLayers: 3 });
    const params = initSuccessorModel(spec, new Rng(4)).params;
    for (let l = 0; l < 3; l++) {
      const w_log = Array.from(tensorsUnder(params, `layers.${l}.mixer.`).w_log);
      expect(w_log[0]).toBe(-5);
      expect(w_log[7]).toBeCloseTo(3, 12);
      for (let h = 1; h < 8; h++) expect(w_log[h]).toBeGreaterThan(w_log[h - 1]);
      expect(w_log[3]).toBeCloseTo(-5 + 8 * (3 / 7) ** (0.7 + 1.3 * (l / 2)), 12);
    }
    const u = Array.from(tensorsUnder(params, 'layers.0.mixer.').u);
    expect(u.slice(0, 3).map((v) => v - Math.log(0.3))).toEqual([0, 0.5, -0.5].map((z) => expect.closeTo(z, 12)));
  });
});

describe('every kind', () => {
  it.each(['lru', 'mamba', 'rwkv', 'mingru', 'attention'] as const)('%s: the same seed gives the same weights, bit for bit, all finite', (cell) => {
    const spec = successorSpec(cell, { numLayers: 2 });
    const a = initSuccessorModel(spec, new Rng(7)).params;
    const b = initSuccessorModel(spec, new Rng(7)).params;
    expect(Object.keys(a)).toEqual(successorParamShapes(spec).map(([n]) => n));
    for (const name of Object.keys(a)) {
      expect(Array.from(a[name].data)).toEqual(Array.from(b[name].data));
      expect(a[name].data.every(Number.isFinite)).toBe(true);
    }
    // torch.nn.Linear's default bound 1/√fan_in on the block's projections
    const bound = 1 / Math.sqrt(spec.inputSize);
    for (const v of a['layers.0.in_proj.weight'].data) expect(Math.abs(v)).toBeLessThanOrEqual(bound);
  });
});
