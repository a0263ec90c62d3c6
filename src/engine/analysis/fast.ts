/**
 * The Jacobian-product norms and the Lyapunov spectrum with J_t applied to a few vectors at a time
 * (./operators.ts), never multiplied into n × n products: O(T·n²·m) instead of O(T·n³). The float64
 * functions of ./products.ts stay the reference these are tested against (test/analysis-fast.test.ts).
 *
 * ‖P_k‖₂, P_k = J_{T−1} ⋯ J_{T−k}, is the largest singular value σ₁(P_k) = max ‖P_kᵀ u‖ over unit
 * u at step T−1. Two facts make every lag cheap:
 *  - P_kᵀ U = J_{T−k}ᵀ (P_{k−1}ᵀ U): one pass down the sequence gives P_kᵀ U for every k at once,
 *    and σ₁ of that n × m block is the Rayleigh–Ritz estimate of ‖P_k‖ from the subspace span U,
 *    a lower bound that is exact up to O(sin² θ_k) when U holds P_k's top left singular vector
 *    within angle θ_k;
 *  - that vector settles as k grows (a factor added on the right of P_k changes what goes in, not
 *    where it comes out), at the rate the top two Lyapunov exponents separate.
 * So lags 1 … 6 get their own block Lanczos on P_k P_kᵀ (warm-started from the lag before, to
 * relative change 1e-9 or 12 blocks); blocks of 4 seeded vectors pushed forward through the last
 * 8, 16, 32, … and all K steps give range(P_k G), which holds the top left singular directions of
 * the longer lags; and one shared pass down the sequence with the union of all these directions
 * gives a Ritz value at every lag; each lag keeps the largest of its lower bounds. Measured against
 * the full path (T = 50, W_hh scaled by 0.5, 1, 3; n up to 256, n = 512 not measured: its
 * reference takes minutes): lags 1–6 to 1e-5, every lag within |Δ ln| < 0.06 (6 %), under 0.02 up
 * to n = 96; the worst, 0.059, a GRU at H = 256 with W_hh × 0.5 at long lags, where the top left
 * singular directions of P_k settle slowest (test/analysis-fast.test.ts checks n ≤ 128). On the
 * panel's log axis 6 % is 0.025 of a decade. The work is a fixed function of T and n (about 2 200
 * products of J_t with a vector at T = 50), whatever the Jacobians hold; logs are carried apart
 * from the renormalized blocks as in ./products.ts. In the worker those products run in float32 on
 * WebAssembly (../dense.ts): the bounds and exponents then move by ~1e-6 relative, far inside the
 * 6 % (test/analysis-wasm.test.ts bounds the difference).
 */
import { applyJ, applyJT, type JacobianOperators } from './operators';
import { gram, orthonormalize, pseudoRandomBlock, renormalize } from './blocks';
import { symmetricEigen } from './symmetricEigen';
import { addMatMul, addMatMulAT } from '../linalg';
import type { LyapunovResult, ProductNorms } from './products';

const LN2 = Math.LN2;

/**
 * The top m Lyapunov exponents of J_{T−1} ⋯ J_0 by the QR method, as ./products.ts's
 * lyapunovSpectrum (same start: the first m unit vectors), at O(n²·m) a step.
 */
export function fastLyapunov(ops: JacobianOperators, m: number): LyapunovResult {
  const { n } = ops;
  let Q = new Float64Array(n * m); // (n, m) orthonormal tangent vectors
  for (let i = 0; i < m; i++) Q[i * m + i] = 1;
  let Z = new Float64Array(n * m); // (n, m) = Ĵ_t Q
  const sums = new Float64Array(m); // (m)
  const running: number[][] = [];
  for (let t = 0; t < ops.J.length; t++) {
    applyJ(ops, t, Q, m, Z);
    const e = renormalize(Z);
    const logR = orthonormalize(Z, n, m);
    const g = ops.exp[t];
    for (let i = 0; i < m; i++) sums[i] += logR[i] + (Number.isFinite(g) ? (g + e) * LN2 : g);
    [Q, Z] = [Z, Q];
    running.push(Array.from(sums, (s) => s / (t + 1)).sort((a, b) => b - a));
  }
  return { exponents: running[running.length - 1] ?? [], running };
}

/** ln σ per column of an n × m block held as W · 2^e: the Ritz values, descending, and their directions (unless not `vectors`). */
function ritz(W: Float64Array, e: number, n: number, m: number, vectors = true): { logSigma: number[]; V: Float64Array } {
  return ritzOfGram(gram(W, n, m), e, m, vectors);
}

/** ritz from the block's Gram matrix G (m, m) = Wᵀ W. */
function ritzOfGram(G: Float64Array, e: number, m: number, vectors: boolean): { logSigma: number[]; V: Float64Array } {
  const { values, V } = symmetricEigen(G, m, vectors);
  return { logSigma: values.map((l) => (l > 0 ? 0.5 * Math.log(l) + e * LN2 : Number.isNaN(l) || Number.isNaN(e) ? NaN : -Infinity)), V };
}

/**
 * W ← P_kᵀ U pushed down k steps (renormalized after each); returns the block and its log₂ scale,
 * and shows `each` the block P_jᵀ U · 2^{−e_j} after every step j on the way.
 */
function pushDown(ops: JacobianOperators, U: Float64Array, k: number, m: number, each?: (j: number, W: Float64Array, e: number) => void): { W: Float64Array; e: number } {
  const T = ops.J.length;
  let W = Float64Array.from(U); // (n, m)
  let Z = new Float64Array(W.length); // (n, m)
  let e = 0;
  for (let j = 1; j <= k; j++) {
    applyJT(ops, T - j, W, m, Z);
    e += ops.exp[T - j] + renormalize(Z);
    [W, Z] = [Z, W];
    each?.(j, W, e);
  }
  return { W, e };
}

/** X ← P_k X (J_{T−k} first), renormalized after each step (the scale is not needed: X is orthogonalized next). */
function pushUp(ops: JacobianOperators, X: Float64Array, k: number, m: number): Float64Array {
  const T = ops.J.length;
  let W = Float64Array.from(X); // (n, m)
  let Z = new Float64Array(W.length); // (n, m)
  for (let j = k; j >= 1; j--) {
    applyJ(ops, T - j, W, m, Z);
    renormalize(Z);
    [W, Z] = [Z, W];
  }
  return W;
}

/**
 * pushUp of several blocks X_b (n, q) at once, X_b ← P_{k_b} X_b with lags k_b: at each step every
 * block that has started goes through J_t in one product (one pass over J_t instead of one per
 * block), and each is renormalized on its own. The same numbers as a pushUp per block: every
 * column of a product is summed alone, and each block is scaled by its own power of two.
 */
function pushUpTogether(ops: JacobianOperators, blocks: Float64Array[], lags: number[], q: number): Float64Array[] {
  const { n } = ops;
  const T = ops.J.length;
  const out = blocks.map((X) => Float64Array.from(X)); // each (n, q)
  const longest = Math.max(0, ...lags);
  for (let j = longest; j >= 1; j--) {
    const live = out.filter((_, b) => lags[b] >= j);
    const w = live.length * q;
    const X = new Float64Array(n * w); // (n, w) the live blocks side by side
    live.forEach((B, c) => {
      for (let i = 0; i < n; i++) for (let a = 0; a < q; a++) X[i * w + c * q + a] = B[i * q + a];
    });
    const Z = new Float64Array(n * w); // (n, w)
    applyJ(ops, T - j, X, w, Z);
    live.forEach((B, c) => {
      for (let i = 0; i < n; i++) for (let a = 0; a < q; a++) B[i * q + a] = Z[i * w + c * q + a];
      renormalize(B);
    });
  }
  return out;
}

/** Blocks of the Krylov basis allowed per lag; each costs 2k·m products of J_t with a vector. */
const KRYLOV_BLOCKS = 12;
/** A Krylov lag stops once a block moves ln σ₁ by less than this. */
const KRYLOV_TOLERANCE = 1e-9;
/** A new Krylov direction shorter than this after projection is dropped: below it, Gram–Schmidt no longer keeps the basis orthonormal to 1e-8, and a Ritz value from a skewed basis could overshoot. */
const KRYLOV_DEPENDENT = 1e-8;

/**
 * X (n, m) minus its projections on the orthonormal blocks, all of them at once, twice (classical
 * Gram–Schmidt needs the second pass): two products with the basis side by side (n, cols), which
 * the plugged-in dense kernels run once the basis is wide. A column left with less than
 * KRYLOV_DEPENDENT of its length is rounding, not a new direction, and is set to zero
 * (renormalizing it would blow the rounding up into a vector that is not orthogonal to the basis,
 * and the Ritz value would overshoot).
 */
function projectOutBlocks(X: Float64Array, basis: Float64Array[], n: number, m: number): void {
  if (basis.length === 0) return;
  const before = columnNorms(X, n, m);
  const cols = basis.length * m;
  const B = new Float64Array(n * cols); // (n, cols) the blocks side by side
  basis.forEach((Bq, q) => {
    for (let i = 0; i < n; i++) for (let a = 0; a < m; a++) B[i * cols + q * m + a] = Bq[i * m + a];
  });
  for (let pass = 0; pass < 2; pass++) {
    const C = new Float64Array(cols * m); // (cols, m) = Bᵀ X
    addMatMulAT(C, B, X, n, cols, m);
    for (let i = 0; i < C.length; i++) C[i] = -C[i];
    addMatMul(X, B, C, n, cols, m); // X −= B · (Bᵀ X)
  }
  const after = columnNorms(X, n, m);
  for (let c = 0; c < m; c++) if (!(after[c] > KRYLOV_DEPENDENT * before[c])) for (let i = 0; i < n; i++) X[i * m + c] = 0;
}

/** ‖column c‖₂ of X (n, m), for each c (NaN stays NaN). */
function columnNorms(X: Float64Array, n: number, m: number): number[] {
  const s = new Array<number>(m).fill(0);
  for (let i = 0; i < n; i++) for (let c = 0; c < m; c++) s[c] += X[i * m + c] ** 2;
  return s.map(Math.sqrt);
}

/**
 * ln ‖P_k‖₂ by block Lanczos on P_k P_kᵀ with full reorthogonalization (Rayleigh–Ritz on the
 * Krylov space of U, far faster than subspace iteration where the top singular values cluster, as
 * LSTM's do). Stops at relative change 1e-12 in σ₁ or after KRYLOV_BLOCKS blocks; U (n, m) becomes
 * the top m Ritz directions. The Ritz value is a lower bound that only grows with the basis.
 */
function krylovNorm(ops: JacobianOperators, U: Float64Array, k: number, m: number, keep = m): { logNorm: number; top: Float64Array } {
  const { n } = ops;
  const basis: Float64Array[] = []; // blocks (n, m), orthonormal together (a dropped column is zero)
  const images: { W: Float64Array; e: number }[] = []; // P_kᵀ of each block, W · 2^e
  let X: Float64Array = Float64Array.from(U); // (n, m) the next block
  let best = -Infinity;
  let lastGram: Float64Array = new Float64Array(0); // (cols, cols) the Gram matrix of the images at the last block
  for (let b = 0; b < KRYLOV_BLOCKS; b++) {
    projectOutBlocks(X, basis, n, m);
    renormalize(X);
    orthonormalize(X, n, m, true, KRYLOV_DEPENDENT);
    basis.push(X);
    images.push(pushDown(ops, X, k, m));
    const eMax = Math.max(...images.map((im) => im.e));
    const cols = basis.length * m;
    const C = new Float64Array(n * cols); // (n, cols) every image at the common scale 2^eMax
    images.forEach((im, q) => {
      const f = !Number.isFinite(eMax) ? 1 : im.e - eMax < -1074 ? 0 : 2 ** (im.e - eMax); // a block 2^1074 below the largest adds nothing
      for (let i = 0; i < n; i++) for (let a = 0; a < m; a++) C[i * cols + q * m + a] = im.W[i * m + a] * f;
    });
    lastGram = gram(C, n, cols);
    const logSigma = ritzOfGram(lastGram, eMax, cols, false).logSigma[0];
    if (Number.isNaN(logSigma)) return { logNorm: NaN, top: U };
    const done = logSigma - best <= KRYLOV_TOLERANCE || logSigma === -Infinity;
    best = Math.max(best, logSigma);
    if (done) break;
    X = pushUp(ops, images[images.length - 1].W, k, m); // P_k P_kᵀ applied to the newest block
  }
  // The top Ritz directions, basis · top: U gets m of them, `kept` (n, q) the first q ≤ keep.
  const cols = basis.length * m;
  const top = ritzOfGram(lastGram, 0, cols, true).V; // (cols, cols): the last basis's Ritz vectors, once (the values above needed none)
  const q = Math.min(keep, cols);
  const kept = new Float64Array(n * q); // (n, q)
  basis.forEach((B, p) => {
    for (let i = 0; i < n; i++)
      for (let a = 0; a < m; a++) {
        const v = B[i * m + a];
        if (v !== 0) for (let c = 0; c < q; c++) kept[i * q + c] += v * top[(p * m + a) * cols + c];
      }
  });
  orthonormalize(kept, n, q, true);
  for (let i = 0; i < n; i++) for (let c = 0; c < m; c++) U[i * m + c] = c < q ? kept[i * q + c] : 0;
  orthonormalize(U, n, m);
  return { logNorm: best, top: kept };
}

export interface FastProductOptions {
  /** vectors per Krylov block (default 2) */
  blockSize?: number;
  /** lags k ≤ this get their own Krylov iteration (default 6) */
  exactLags?: number;
  /** Ritz directions the last Krylov lag hands to the shared pass (default 2 · blockSize) */
  keep?: number;
  /** width of each forward-evolved block (default 4) */
  startWidth?: number;
  /** the shortest lag a forward-evolved block starts at (default exactLags + 2: the lags just past the Krylov ones are where the shared subspace is weakest), then doubling up to maxLag */
  firstStart?: number;
}

/**
 * ln ‖J_{T−1} ⋯ J_{T−k}‖₂ for k = 1 … maxLag and the norms themselves (0 past double's underflow,
 * Infinity past its overflow), as jacobianProductLogNorms gives them, each a lower bound (see the
 * header for how close). A non-finite J_t makes every lag that includes it NaN; a zero one,
 * −Infinity (a zero norm).
 */
export function fastProductLogNorms(ops: JacobianOperators, maxLag = ops.J.length - 1, options: FastProductOptions = {}): ProductNorms {
  const { n } = ops;
  const T = ops.J.length;
  const K = Math.max(0, Math.min(maxLag, T - 1));
  const m = Math.min(n, options.blockSize ?? 2);
  const keep = options.keep ?? 2 * m;
  const exact = Math.min(K, options.exactLags ?? 6);
  const logNorms = new Array<number>(K).fill(-Infinity);
  if (K === 0) return { norms: [], logNorms: [] };
  const U = pseudoRandomBlock(n, m, 1); // (n, m) orthonormal, at step T−1
  const directions: Float64Array[] = []; // (n, q) blocks for the shared pass
  for (let k = 1; k <= exact; k++) {
    const r = krylovNorm(ops, U, k, m, keep);
    logNorms[k - 1] = r.logNorm;
    if (k === exact) directions.push(r.top);
  }
  // Forward-evolved blocks: range(P_k G) for G a seeded block of q, started at lags E + 2, 2(E + 2), …, K.
  const q = Math.min(n, options.startWidth ?? 4);
  const lags: number[] = [];
  for (let k = options.firstStart ?? exact + 2; q > 0; k *= 2) {
    const lag = Math.min(k, K);
    if (lag <= exact) break;
    lags.push(lag);
    if (lag === K) break;
  }
  for (const X of pushUpTogether(ops, lags.map((lag) => pseudoRandomBlock(n, q, lag + 1)), lags, q)) {
    orthonormalize(X, n, q, true);
    directions.push(X);
  }
  // One shared pass with every kept direction: a Ritz lower bound for every lag.
  const widths = directions.map((d) => d.length / n);
  const w = Math.min(n, widths.reduce((a, b) => a + b, 0));
  const W = new Float64Array(n * w); // (n, w)
  for (let i = 0, off = 0; i < directions.length; off += widths[i], i++) for (let r = 0; r < n; r++) for (let c = 0; c < widths[i] && off + c < w; c++) W[r * w + off + c] = directions[i][r * widths[i] + c];
  // A direction that passed a non-finite J_t is NaN: a unit vector stands in (any start is a lower bound).
  for (let c = 0; c < w; c++) {
    let bad = false;
    for (let r = 0; r < n && !bad; r++) bad = Number.isNaN(W[r * w + c]);
    if (bad) for (let r = 0; r < n; r++) W[r * w + c] = r === c ? 1 : 0;
  }
  orthonormalize(W, n, w, true);
  pushDown(ops, W, K, w, (k, Wk, e) => {
    const l = ritz(Wk, e, n, w, false).logSigma[0];
    const prev = logNorms[k - 1];
    logNorms[k - 1] = Number.isNaN(l) || Number.isNaN(prev) ? NaN : Math.max(prev, l);
  });
  // A zero J_t zeroes every lag that includes it (its exponent is −Infinity): say so exactly.
  for (let k = 1; k <= K; k++) if (ops.exp[T - k] === -Infinity && !Number.isNaN(logNorms[k - 1])) for (let j = k; j <= K; j++) if (!Number.isNaN(logNorms[j - 1])) logNorms[j - 1] = -Infinity;
  return { norms: logNorms.map(expOfLog), logNorms };
}

/** e^l as double holds it: 0 below its range, Infinity above, the exact power-of-two split between. */
function expOfLog(l: number): number {
  if (Number.isNaN(l)) return NaN;
  if (l === -Infinity) return 0;
  const e = Math.floor(l / LN2);
  const half = Math.trunc(e / 2);
  return Math.exp(l - e * LN2) * 2 ** half * 2 ** (e - half);
}
