/**
 * The analysis's dense routines: our Golub–Kahan singular values against ml-matrix's SVD (an
 * independent implementation, JAMA's) and closed forms, and the WebAssembly build of the
 * eigenvalues and the bidiagonalization against the TypeScript reference, bit for bit, alone and
 * inside a whole analysis.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import { analyze, jacobianOperators } from '../src/engine/analysis';
import { lossAndGradients } from '../src/engine/bptt';
import { applyJ, applyJT } from '../src/engine/analysis/operators';
import { typescriptDense, useDenseKernels, type DenseKernels } from '../src/engine/dense';
import { hessenbergEigenvalues } from '../src/engine/hqr';
import { addMatMul, addMatMulAT, addMatMulBT } from '../src/engine/linalg';
import { initModel } from '../src/engine/init';
import type { CellKind, ModelSpec } from '../src/engine/model';
import { Rng } from '../src/engine/rng';
import { eigenvalues, singularValues } from '../src/engine/spectra';
import { loadWasmDense } from '../src/kernels/wasm/dense';
import { ensureWasmBuilt } from './kernels/wasm-setup';
import { seededOrthogonal } from './analysisCases';

const gaussian = (len: number, rng: Rng) => new Float64Array(len).map(() => rng.normal());

/** ml-matrix's singular values of A (rows, cols), descending. */
function jamaSingularValues(A: Float64Array, rows: number, cols: number): number[] {
  const M = new Matrix(rows, cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) M.set(i, j, A[i * cols + j]);
  const svd = new SingularValueDecomposition(M, { computeLeftSingularVectors: false, computeRightSingularVectors: false, autoTranspose: true });
  return Array.from(svd.diagonal).sort((a, b) => b - a);
}

describe('singular values by our Golub–Kahan SVD', () => {
  const rng = new Rng(11);
  it.each([
    [1, 1],
    [2, 2],
    [5, 5],
    [7, 3],
    [3, 7],
    [40, 40],
    [96, 64],
    [130, 130],
  ])('%i × %i Gaussian: ml-matrix to 1e-13 of σ₁', (rows, cols) => {
    const A = gaussian(rows * cols, rng);
    const ours = singularValues(A, rows, cols);
    const ref = jamaSingularValues(A, rows, cols);
    expect(ours).toHaveLength(Math.min(rows, cols));
    for (let i = 0; i < ours.length; i++) expect(Math.abs(ours[i] - ref[i])).toBeLessThan(1e-13 * ref[0]);
  });

  it('graded columns (2^−j): every value, even the smallest near 1e-19, to 1e-10 relative', () => {
    const n = 64;
    const A = gaussian(n * n, rng).map((a, i) => a * 2 ** -(i % n));
    const ours = singularValues(A, n, n);
    const ref = jamaSingularValues(A, n, n);
    for (let i = 0; i < n; i++) expect(Math.abs(ours[i] / ref[i] - 1)).toBeLessThan(1e-10);
    expect(ours[n - 1]).toBeLessThan(1e-15);
  });

  it('closed forms: Q·diag(σ)·Q′ gives σ; a rank-2 matrix gives n − 2 zeros', () => {
    const n = 48;
    const Q = seededOrthogonal(n, new Rng(3));
    const P = seededOrthogonal(n, new Rng(4));
    const sigma = Array.from({ length: n }, (_, i) => 3 * 0.8 ** i); // descending, 3 … 6e-5
    const A = new Float64Array(n * n); // (n, n) = Q diag(σ) P
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) A[i * n + j] += Q[i * n + k] * sigma[k] * P[k * n + j];
    const ours = singularValues(A, n, n);
    for (let i = 0; i < n; i++) expect(Math.abs(ours[i] - sigma[i])).toBeLessThan(1e-13 * 3);
    const u = gaussian(n, rng);
    const v = gaussian(n, rng);
    const w = gaussian(n, rng);
    const z = gaussian(n, rng);
    const R = new Float64Array(n * n).map((_, i) => u[Math.floor(i / n)] * v[i % n] + w[Math.floor(i / n)] * z[i % n]);
    const rank2 = singularValues(R, n, n);
    expect(rank2[1]).toBeGreaterThan(1);
    for (let i = 2; i < n; i++) expect(rank2[i]).toBeLessThan(1e-13 * rank2[0]);
  });
});

describe('the WebAssembly dense kernels compute the reference numbers bit for bit', () => {
  let wasm: DenseKernels;
  beforeAll(async () => {
    ensureWasmBuilt();
    wasm = await loadWasmDense();
  }, 120_000);
  afterEach(() => useDenseKernels(null));
  const same = (a: ArrayLike<number>, b: ArrayLike<number>) => {
    expect(a.length).toBe(b.length);
    for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) expect([i, a[i]]).toEqual([i, b[i]]);
  };

  it.each([1, 2, 3, 5, 17, 64, 129])('eigenvalues, n = %i (Gaussian, and a sparse graded one)', (n) => {
    const rng = new Rng(100 + n);
    const G = gaussian(n * n, rng);
    const graded = G.map((g, i) => (i % 3 === 0 ? 0 : g * 2 ** -((i % n) * 4)));
    for (const A of [G, graded]) {
      const ref = hessenbergEigenvalues(A, n);
      const got = wasm.hessenbergEigenvalues(A, n);
      same(got.flat(), ref.flat());
    }
  });

  it.each([
    [1, 1],
    [6, 6],
    [33, 20],
    [128, 128],
  ])('singular values (bidiagonalization and bidiagonal QR), %i × %i', (rows, cols) => {
    const A = gaussian(rows * cols, new Rng(rows * 7 + cols));
    const graded = A.map((a, i) => a * 2 ** -((i % cols) * 3));
    for (const X of [A, graded]) {
      const M1 = Float64Array.from(X);
      const M2 = Float64Array.from(X);
      same(wasm.singularValues(M2, rows, cols), typescriptDense.singularValues(M1, rows, cols));
      same(M2, M1);
    }
  });

  it.each([
    [7, false, 1],
    [16, false, 4],
    [20, true, 3],
    [64, true, 8],
  ])('J_t and J_tᵀ on blocks, n = %i (LSTM form: %s), m = %i, from the arena: float64 to float32 rounding', (n, lstm, m) => {
    const rng = new Rng(n + m);
    const Js = Array.from({ length: 3 }, () => gaussian(n * n, rng));
    const arena = wasm.jacobianBuffers?.(3, n, undefined, lstm);
    expect(arena).toHaveLength(3);
    arena!.forEach((buf, t) => buf.set(Js[t]));
    const Q = gaussian(n * m, rng);
    const ref = jacobianOperators(Js, n, lstm);
    const ours = jacobianOperators(arena!, n, lstm, true);
    expect(ours.exp).toEqual(ref.exp);
    const dense = ref.dense;
    for (let t = 0; t < 3; t++) {
      const A = ref.J[t]!;
      const Z1 = new Float64Array(n * m);
      const Z2 = new Float64Array(n * m);
      applyJ(ref, t, Q, m, Z1);
      applyJT(ref, t, Q, m, Z2);
      const Z3 = new Float64Array(n * m);
      const Z4 = new Float64Array(n * m);
      expect(wasm.applyJ?.(ours.J[t]!, n, dense, Q, m, Z3)).toBe(true);
      expect(wasm.applyJT?.(ours.J[t]!, n, dense, Q, m, Z4)).toBe(true);
      // A float32 dot product of d terms is within (d + 2)·2^−24 · Σ|a·q| of the exact one (the
      // +2: rounding a and q to float32); the float64 reference is exact to far less.
      const lstmCol = (i: number) => (dense < n ? dense + (i % dense) : -1);
      for (let i = 0; i < n; i++)
        for (let c = 0; c < m; c++) {
          let absJ = 0;
          let absJT = 0;
          for (let k = 0; k < n; k++) {
            if (k < dense || k === lstmCol(i)) absJ += Math.abs(A[i * n + k] * Q[k * m + c]);
            if (i < dense || i === lstmCol(k)) absJT += Math.abs(A[k * n + i] * Q[k * m + c]);
          }
          expect(Math.abs(Z3[i * m + c] - Z1[i * m + c])).toBeLessThanOrEqual((dense + 4) * 2 ** -24 * absJ);
          expect(Math.abs(Z4[i * m + c] - Z2[i * m + c])).toBeLessThanOrEqual((n + 4) * 2 ** -24 * absJT);
        }
      // A buffer outside the arena is left to the caller.
      expect(wasm.applyJ?.(ref.J[t]!, n, dense, Q, m, Z3)).toBe(false);
    }
  });

  it('J_t in the arena: the largest |entry| as TypeScript finds it, and operators that rescale only the extreme ones', () => {
    const n = 9;
    const G = gaussian(n * n, new Rng(2));
    const cases = [G.map((g) => g * 2 ** -37), G.map((g) => g * 2 ** 300), new Float64Array(n * n), G.map((g, i) => (i === 5 ? NaN : g)), G.map((g, i) => (i === 7 ? -Infinity : g)), G.map((g, i) => (i === 3 ? NaN : i === 7 ? Infinity : g))];
    const arena = wasm.jacobianBuffers?.(cases.length, n);
    cases.forEach((A, t) => arena![t].set(A));
    const expected = cases.map((A) => (A.some(Number.isNaN) ? NaN : Math.max(...Array.from(A, Math.abs))));
    cases.forEach((_, t) => expect(wasm.maxAbs?.(arena![t])).toBe(expected[t]));
    expect(wasm.maxAbs?.(Float64Array.from(G))).toBeNull(); // not the arena's: the caller's
    const ref = jacobianOperators(cases, n, false);
    useDenseKernels(wasm);
    const ours = jacobianOperators(arena!, n, false, true);
    expect(ours.exp).toEqual(ref.exp);
    expect(ours.exp[0]).toBe(0);
    expect(ours.exp[1]).toBeGreaterThan(64); // 2^300 · a Gaussian's largest entry
    expect(ours.exp[2]).toBe(-Infinity);
    expect(ours.J[0]).toBe(arena![0]); // a moderate J_t is used where it is
    expect(ours.J[1]).toBe(arena![1]); // an extreme one is rescaled in place
    same(ours.J[1]!, ref.J[1]!);
    expect(Math.max(...Array.from(ours.J[1]!, Math.abs))).toBeGreaterThanOrEqual(1);
    expect(ours.J.slice(2)).toEqual([null, null, null, null]);
  });

  it.each([
    [1, 1, 1],
    [3, 5, 7],
    [32, 96, 64],
    [7, 33, 130],
  ])('the engine products (M, N, K) = (%i, %i, %i), with zero entries in dA as BPTT has them', (M, N, K) => {
    const rng = new Rng(M * 100 + N + K);
    const sparse = (len: number) => gaussian(len, rng).map((v, i) => (i % 5 === 0 ? 0 : v));
    for (const [kind, cLen, aLen, bLen] of [['bt', M * N, M * K, N * K], ['acc', M * K, M * N, N * K], ['at', N * K, M * N, M * K]] as const) {
      const C = gaussian(cLen, rng);
      const A = sparse(aLen);
      const B = gaussian(bLen, rng);
      const ref = Float64Array.from(C);
      (kind === 'bt' ? addMatMulBT : kind === 'acc' ? addMatMul : addMatMulAT)(ref, A, B, M, N, K);
      const got = Float64Array.from(C);
      expect(wasm.matMul?.(kind, got, A, B, M, N, K)).toBe(true);
      same(got, ref);
    }
  });

  it('plugged in, the float64 engine’s loss, gradients and hidden gradients are the same numbers (products above the threshold)', () => {
    for (const cell of ['rnn', 'lstm', 'gru'] as CellKind[]) {
      const spec: ModelSpec = { cell, nonlinearity: 'tanh', inputSize: 5, hiddenSize: 48, numLayers: 2, bidirectional: true, outputSize: 3, initialState: 'zero' };
      const rng = new Rng(12);
      const model = initModel(spec, { scheme: 'pytorch' }, rng);
      const T = 6;
      const batch = { B: 8, T, inputSize: 5, x: gaussian(T * 8 * 5, rng), target: gaussian(T * 8 * 3, rng) };
      const opts = { loss: 'mse', readout: 'every_step', truncation: null } as const;
      useDenseKernels(null);
      const ref = lossAndGradients(model, batch, opts);
      useDenseKernels(wasm);
      const got = lossAndGradients(model, batch, opts);
      expect(got.loss).toBe(ref.loss);
      same(got.hiddenGrads, ref.hiddenGrads);
      for (const [name, t] of Object.entries(ref.grads)) same(got.grads[name].data, t.data);
    }
  });

  it('plugged in, spectra and whole analyses (J_t built in the arena) are the same numbers, the fast products to float32 rounding (RNN tanh and ReLU, LSTM, GRU)', () => {
    const A = gaussian(40 * 40, new Rng(9));
    const refEig = eigenvalues(A, 40);
    const refSv = singularValues(A, 40, 40);
    useDenseKernels(wasm);
    same(eigenvalues(A, 40).flat(), refEig.flat());
    same(singularValues(A, 40, 40), refSv);
    for (const [cell, nonlinearity] of [['rnn', 'tanh'], ['rnn', 'relu'], ['lstm', 'tanh'], ['gru', 'tanh']] as [CellKind, 'tanh' | 'relu'][]) {
      const spec: ModelSpec = { cell, nonlinearity, inputSize: 3, hiddenSize: 12, numLayers: 1, bidirectional: false, outputSize: 2, initialState: 'zero' };
      const rng = new Rng(5);
      const model = initModel(spec, { scheme: 'pytorch' }, rng);
      const T = 9;
      const batch = { B: 2, T, inputSize: 3, x: gaussian(T * 2 * 3, rng), target: gaussian(T * 2 * 2, rng) };
      const opts = { loss: 'mse', readout: 'every_step', truncation: null } as const;
      for (const fast of [false, true]) {
        useDenseKernels(typescriptDense);
        const ref = analyze(model, batch, opts, { fast });
        useDenseKernels(wasm);
        const got = analyze(model, batch, opts, { fast });
        expect([ref.kernels, got.kernels]).toEqual(['TypeScript, float64', 'WebAssembly SIMD, float64 (J_t products float32)']);
        // Bit for bit, except the fast path's J_t products, which run in float32: its norms and
        // exponents move by ~1e-7 (the panel's estimates are good to 6 %, fast.ts).
        const fp32 = fast ? (['jacobianProductNorms', 'jacobianProductLogNorms', 'productNormRate', 'lyapunov'] as const) : [];
        const strip = (a: typeof ref) => ({ ...a, timings: null, kernels: null, ...Object.fromEntries(fp32.map((k) => [k, null])) });
        expect(strip(got)).toEqual(strip(ref));
        if (!fast) continue;
        const close = (a: number, b: number) => Object.is(a, b) || Math.abs(a - b) < 1e-5 * Math.max(1, Math.abs(b)); // ±Infinity (a dead ReLU unit) must match exactly
        got.jacobianProductLogNorms.forEach((l, i) => expect([i, l, close(l, ref.jacobianProductLogNorms[i])]).toEqual([i, l, true]));
        got.lyapunov.exponents.forEach((l, i) => expect([i, l, close(l, ref.lyapunov.exponents[i])]).toEqual([i, l, true]));
        expect(close(got.productNormRate, ref.productNormRate)).toBe(true);
      }
    }
  });
});
