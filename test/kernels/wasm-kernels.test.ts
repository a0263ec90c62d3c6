/**
 * The wasm kernels one by one against plain float64 loops: both products at every edge of the
 * 4 × 8 register block with strided operands, σ and tanh over the whole line, and the flat loops.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/engine/rng';
import { loadKernels, type WasmKernels } from '../../src/kernels/wasm/loader';
import { ensureWasmBuilt } from './wasm-setup';

let k: WasmKernels;
let top = 0;
beforeAll(async () => {
  ensureWasmBuilt();
  k = await loadKernels();
  k.memory.grow(128);
});

/** A bump allocator over the module's memory, reset per test. */
function alloc(values: ArrayLike<number>): number {
  const p = (top = Math.ceil(Math.max(top, k.heap_base(), 1024) / 16) * 16 + 4); // deliberately not 16-aligned
  new Float32Array(k.memory.buffer).set(values, p >> 2);
  top = p + values.length * 4;
  return p;
}
function read(p: number, n: number): Float64Array {
  return new Float64Array(new Float32Array(k.memory.buffer, p, n));
}
function random(rng: Rng, n: number): Float64Array {
  return new Float64Array(n).map(() => rng.uniformIn(-1, 1));
}
function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

describe('products', () => {
  const sizes = [1, 3, 4, 5, 8, 9, 12, 13, 17];
  it.each(['nn', 'tn'] as const)('gemm_%s at every block edge, with row strides', (form) => {
    const rng = new Rng(form === 'nn' ? 1 : 2);
    for (const M of sizes)
      for (const N of sizes)
        for (const K of [1, 4, 7]) {
          top = 0;
          const [lda, ldb, ldc] = [(form === 'nn' ? K : M) + 3, N + 2, N + 5];
          const A = random(rng, (form === 'nn' ? M : K) * lda);
          const B = random(rng, K * ldb);
          const C = random(rng, M * ldc);
          const want = new Float64Array(C);
          for (let m = 0; m < M; m++)
            for (let n = 0; n < N; n++) {
              let s = 0;
              for (let q = 0; q < K; q++) s += (form === 'nn' ? A[m * lda + q] : A[q * lda + m]) * B[q * ldb + n];
              want[m * ldc + n] += s;
            }
          const pA = alloc(A);
          const pB = alloc(B);
          const pC = alloc(C);
          if (form === 'nn') k.gemm_nn(M, N, K, pA, lda, pB, ldb, pC, ldc);
          else k.gemm_tn(M, N, K, pA, lda, pB, ldb, pC, ldc);
          // padding between rows (n ≥ N) must be left as it was
          expect(maxAbsDiff(read(pC, M * ldc), want), `${M}×${N}×${K}`).toBeLessThan(1e-5);
        }
  });

  it.each(['nn', 'tn'] as const)('gemm_%s across its packing blocks (K > 256 rows, M > 512)', (form) => {
    const rng = new Rng(4);
    for (const [M, N, K] of [[530, 9, 300], [6, 21, 700], [13, 8, 600], [530, 3, 300]]) {
      top = 0;
      const [lda, ldb, ldc] = [(form === 'nn' ? K : M) + 1, N, N + 3];
      const A = random(rng, (form === 'nn' ? M : K) * lda);
      const B = random(rng, K * ldb);
      const want = new Float64Array(M * ldc);
      for (let m = 0; m < M; m++)
        for (let n = 0; n < N; n++)
          for (let q = 0; q < K; q++) want[m * ldc + n] += (form === 'nn' ? A[m * lda + q] : A[q * lda + m]) * B[q * ldb + n];
      const pA = alloc(A);
      const pB = alloc(B);
      const pC = alloc(new Float64Array(M * ldc));
      if (form === 'nn') k.gemm_nn(M, N, K, pA, lda, pB, ldb, pC, ldc);
      else k.gemm_tn(M, N, K, pA, lda, pB, ldb, pC, ldc);
      expect(maxAbsDiff(read(pC, M * ldc), want), `${M}×${N}×${K}`).toBeLessThan(1e-4);
    }
  });
});

describe('products on a B packed ahead', () => {
  it('gemm_nn_packed equals gemm_nn bit for bit, at every block edge and across packing blocks; pack_bt packs Wᵀ the same', () => {
    const rng = new Rng(5);
    const shapes: [number, number, number][] = [];
    for (const M of [1, 4, 5, 16, 17]) for (const N of [1, 7, 8, 9, 21]) for (const K of [1, 7]) shapes.push([M, N, K]);
    shapes.push([6, 21, 700], [13, 8, 600], [33, 100, 257], [32, 1024, 256]);
    for (const [M, N, K] of shapes) {
      top = 0;
      const [lda, ldb, ldc] = [K + 3, N + 2, N + 5];
      const A = random(rng, M * lda);
      const B = random(rng, K * ldb);
      const C = random(rng, M * ldc);
      const pA = alloc(A);
      const pB = alloc(B);
      const pPlain = alloc(C);
      const pPacked = alloc(C);
      const pP = alloc(new Float64Array(k.packed_size(K, N)).fill(NaN)); // every float of it is written
      expect(k.packed_size(K, N)).toBe(K * Math.ceil(N / 8) * 8);
      k.pack_b(pP, pB, ldb, K, N);
      expect(read(pP, k.packed_size(K, N)).some(Number.isNaN), `${M}×${N}×${K}: packed fully`).toBe(false);
      k.gemm_nn(M, N, K, pA, lda, pB, ldb, pPlain, ldc);
      k.gemm_nn_packed(M, N, K, pA, lda, pP, pPacked, ldc);
      expect(Array.from(read(pPacked, M * ldc)), `${M}×${N}×${K}`).toEqual(Array.from(read(pPlain, M * ldc)));
      // the same panels packed from W = Bᵀ (N, K), row stride K + 1
      const ldw = K + 1;
      const W = new Float64Array(N * ldw);
      for (let n = 0; n < N; n++) for (let q = 0; q < K; q++) W[n * ldw + q] = B[q * ldb + n];
      const pT = alloc(new Float64Array(k.packed_size(K, N)).fill(NaN));
      k.pack_bt(pT, alloc(W), ldw, K, N);
      expect(Array.from(read(pT, k.packed_size(K, N))), `${M}×${N}×${K}: pack_bt`).toEqual(Array.from(read(pP, k.packed_size(K, N))));
    }
  });
});

describe("a step's pre-activations in one pass", () => {
  it('gemm_affine_packed: C ← b1 (+ b2) + A1·B1 + A2·B2 at every block edge, across packing blocks, with either product empty', () => {
    const rng = new Rng(6);
    const cases: [number, number, number, number, boolean][] = []; // M, N, K1, K2, b2
    for (const M of [1, 3, 4, 5, 16]) for (const N of [1, 7, 8, 9, 20]) cases.push([M, N, 8, 13, M % 2 === 1]);
    cases.push([16, 1024, 8, 256, true], [7, 24, 0, 9, false], [6, 17, 5, 0, true], [3, 8, 0, 0, true]);
    cases.push([9, 19, 300, 530, false], [5, 16, 256, 257, true], [4, 9, 600, 0, false], [2, 12, 0, 700, true]);
    for (const [M, N, K1, K2, two] of cases) {
      top = 0;
      const [lda1, lda2, ldc] = [K1 + 2, K2 + 3, N + 5];
      const A1 = random(rng, M * lda1);
      const A2 = random(rng, M * lda2);
      const B1 = random(rng, K1 * N);
      const B2 = random(rng, K2 * N);
      const b1 = random(rng, N);
      const b2 = two ? random(rng, N) : new Float64Array(N);
      const C = random(rng, M * ldc); // the padding past N must stay as it is
      const want = new Float64Array(C);
      for (let m = 0; m < M; m++)
        for (let n = 0; n < N; n++) {
          let s = b1[n] + b2[n];
          for (let q = 0; q < K1; q++) s += A1[m * lda1 + q] * B1[q * N + n];
          for (let q = 0; q < K2; q++) s += A2[m * lda2 + q] * B2[q * N + n];
          want[m * ldc + n] = s;
        }
      const pack = (Bm: Float64Array, K: number): number => {
        const P = alloc(new Float64Array(k.packed_size(K, N)));
        k.pack_b(P, alloc(Bm), N, K, N);
        return P;
      };
      const [P1, P2] = [pack(B1, K1), pack(B2, K2)];
      const pC = alloc(C);
      k.gemm_affine_packed(M, N, alloc(b1), two ? alloc(b2) : 0, K1, alloc(A1), lda1, P1, K2, alloc(A2), lda2, P2, pC, ldc);
      const tol = 1e-6 * (4 + K1 + K2);
      expect(maxAbsDiff(read(pC, M * ldc), want), `${M}×${N}, K ${K1} + ${K2}`).toBeLessThan(tol);
    }
  });
});

describe('elementwise', () => {
  const xs = new Float64Array(4001).map((_, i) => (i - 2000) / 40); // −50 … 50
  const extremes = [0, -0, 1e-8, -1e-8, 1e-3, 0.6249, 0.6251, -0.63, 9, -9, 20, 88, 89, -100, 1e4, -1e4, 3e38, -3e38];
  const all = Float64Array.from([...xs, ...extremes, 1e-30]); // length not a multiple of 4: the tail runs too

  it('tanh within a few float32 ulps, relative near 0, and saturating without NaN', () => {
    top = 0;
    const a = alloc(all);
    const h = alloc(new Float64Array(all.length));
    k.rnn_fwd(0, 1, all.length, a, h, all.length);
    const got = read(h, all.length);
    for (let i = 0; i < all.length; i++) {
      const want = Math.tanh(Math.fround(all[i]));
      expect(Math.abs(got[i] - want), `tanh(${all[i]})`).toBeLessThanOrEqual(4e-7 * Math.abs(want) + 1e-45);
    }
  });

  it('σ (the LSTM input gate) within a few float32 ulps, 1 at the right end, no denormals at the left', () => {
    top = 0;
    const n = all.length;
    const gates = new Float64Array(4 * n);
    gates.set(all, 0);
    const g = alloc(gates);
    const zeros = new Float64Array(n);
    const cprev = alloc(zeros);
    const c = alloc(zeros);
    const tc = alloc(zeros);
    const h = alloc(zeros);
    k.lstm_fwd(1, n, g, cprev, c, tc, h, n);
    const got = read(g, n);
    for (let i = 0; i < n; i++) {
      const x = Math.fround(all[i]);
      const want = 1 / (1 + Math.exp(-x));
      expect(Math.abs(got[i] - want), `σ(${x})`).toBeLessThanOrEqual(4e-7 * want + 2e-38);
      // never a denormal: at the far left σ stops at about 1.6e-38, just above the smallest normal float
      expect(got[i], `σ(${x})`).toBeGreaterThanOrEqual(2 ** -126);
    }
  });

  it('NaN stays NaN', () => {
    top = 0;
    const a = alloc([NaN, 1, NaN, -1, NaN]);
    const h = alloc([0, 0, 0, 0, 0]);
    k.rnn_fwd(0, 1, 5, a, h, 5);
    expect(Array.from(read(h, 5)).map(Number.isNaN)).toEqual([true, false, true, false, true]);
  });
});

describe('flat loops', () => {
  it('column sums, transpose, Σ x², scale, clamp', () => {
    const rng = new Rng(3);
    for (const [M, N] of [[7, 37], [33, 5], [1, 16], [64, 36], [13, 22]]) {
      top = 0;
      const A = random(rng, M * (N + 1));
      const dst = random(rng, N);
      const want = new Float64Array(dst);
      for (let m = 0; m < M; m++) for (let n = 0; n < N; n++) want[n] += A[m * (N + 1) + n];
      const pd = alloc(dst);
      k.col_sums(pd, alloc(A), M, N, N + 1);
      expect(maxAbsDiff(read(pd, N), want)).toBeLessThan(1e-5);

      const S = random(rng, M * N);
      const pt = alloc(new Float64Array(N * (M + 3)));
      k.transpose(pt, M + 3, alloc(S), M, N);
      const T = read(pt, N * (M + 3));
      for (let m = 0; m < M; m++) for (let n = 0; n < N; n++) expect(T[n * (M + 3) + m]).toBe(Math.fround(S[m * N + n]));
    }
    top = 0;
    const x = random(rng, 1003);
    const px = alloc(x);
    expect(k.sumsq(px, 1003)).toBeCloseTo(x.reduce((s, v) => s + Math.fround(v) ** 2, 0), 4);
    k.scale(px, 1003, 0.5);
    expect(maxAbsDiff(read(px, 1003), x.map((v) => v / 2))).toBeLessThan(1e-7);
    expect(k.clamp(px, 1003, 0.25)).toBe(x.filter((v) => Math.abs(v / 2) > 0.25).length);
    expect(Math.max(...read(px, 1003).map(Math.abs))).toBe(0.25);
  });
});
