/**
 * The gradient-flow analysis of the current model on the current batch, on demand: the numbers
 * behind the Jacobian-spectra and gradient-norm panels, with the time each part took.
 */
import type { Batch } from '../batch';
import { forward, topHiddenGrads, type ForwardResult, type LayersForward, type RunOptions } from '../bptt';
import { directionsOf, layerParams, type Model } from '../model';
import { denseKernels } from '../dense';
import { singularValues } from '../spectra';
import { fastLyapunov, fastProductLogNorms } from './fast';
import { jacobianOperators } from './operators';
import { jacobianProductLogNorms, lyapunovSpectrum, slope, type LyapunovResult } from './products';
import { stateJacobian, stateSize } from './stateJacobian';
import { recurrentWeightSpectra, type BlockSpectrum } from './weights';

export { jacobianProductNorms, jacobianProductLogNorms, lyapunovSpectrum, logSlope, slope, spectralNorm, matMulSquare, type LyapunovResult, type ProductNorms } from './products';
export { stateJacobian, stateSize } from './stateJacobian';
export { recurrentWeightSpectra, GATE_NAMES, type BlockSpectrum } from './weights';
export { fastLyapunov, fastProductLogNorms } from './fast';
export { jacobianOperators } from './operators';

export interface AnalysisRequest {
  /** which layer and direction (default 0, 0), and which batch element (default 0) */
  layer?: number;
  dir?: number;
  b?: number;
  /** at most this many steps get their J_t singular values (evenly spaced, last included); default all */
  maxSingularValueSteps?: number;
  /** the longest lag k of ‖∂s_T/∂s_{T−k}‖ (each costs one n³ product); default T−1 */
  maxLag?: number;
  /** top Lyapunov exponents to track; default min(n, 8) */
  lyapunovCount?: number;
  /**
   * The product norms and Lyapunov exponents with J_t applied to a few vectors (./fast.ts,
   * O(T·n²) instead of O(T·n³)): the exponents as the full path gives them (to rounding), each
   * norm a lower bound within 6 % of it (|Δ ln| < 0.06 up to n = 256; 2 % up to n = 96; see
   * fast.ts; in the worker its J_t products run in float32, which moves them by ~1e-6); the W_hh
   * blocks' eigenvalues without their singular values (which no panel draws).
   * Default false: the full float64 path, the reference.
   */
  fast?: boolean;
}

/**
 * A request that keeps the analysis within about `budgetMs` in the float64 engine, from the
 * TypeScript reference's measured costs (scripts/bench-analysis.ts with DENSE=ts: ~1.4 GFLOP/s, an
 * SVD ≈ 7·n³ flops): the fast path (every lag, O(T·n²)), and as many evenly spaced J_t SVDs as a
 * third of the budget pays for (one at least: the last step). The worker's WebAssembly kernels
 * (./dense.ts) run the same request several times sooner; the request stays what the reference
 * could afford, so the numbers shown do not depend on which kernels computed them.
 */
export function budgetedRequest(n: number, T: number, budgetMs: number): AnalysisRequest {
  const msPerSvd = (7 * n ** 3) / 1.4e6;
  const maxSingularValueSteps = Math.max(1, Math.min(T, Math.floor(budgetMs / 3 / msPerSvd)));
  return { fast: true, maxLag: Math.max(1, T - 1), maxSingularValueSteps };
}

export interface Analysis {
  weights: BlockSpectrum[];
  /** the processing steps p whose J_p singular values are given */
  singularValueSteps: number[];
  /** per entry of singularValueSteps: singular values of J_p, descending */
  stateJacobianSingularValues: number[][];
  /** ‖∂s_{T−1}/∂s_{T−1−k}‖₂ for k = 1 … maxLag (default T−1): 0 past double's underflow, Infinity past its overflow */
  jacobianProductNorms: number[];
  /** ln of each of jacobianProductNorms, finite even where the norm is reported as 0 or Infinity (−Infinity for an exactly zero product) */
  jacobianProductLogNorms: number[];
  /** fitted rate of ln ‖∂s_T/∂s_{T−k}‖ against k, per step (< 0 decays, > 0 grows) */
  productNormRate: number;
  lyapunov: LyapunovResult;
  /** ‖∂ℓ_T/∂h_{T−1−k}‖ over the batch for k = 0 … T−1: the gradient of the last step's loss alone */
  finalLossGradNorms: number[];
  /** milliseconds spent in each part */
  timings: Record<string, number>;
  /** which dense kernels computed the spectra and products (./dense.ts): the same numbers either way */
  kernels: string;
}

/** A clock in ms: performance.now where there is one (workers, Node), Date.now otherwise. */
const now = (): number => (globalThis as { performance?: { now(): number } }).performance?.now() ?? Date.now();

function evenlySpaced(T: number, count: number): number[] {
  if (count >= T) return Array.from({ length: T }, (_, i) => i);
  return Array.from({ length: count }, (_, i) => Math.round(((T - 1) * (i + 1)) / count));
}

/**
 * The per-step state Jacobians J_p of one layer, direction and batch element, in processing order,
 * each (n, n): new buffers, or those of `reuse` when it holds (n, n) ones (grown as far as
 * MAX_REUSED_BYTES allows; the steps past that get new ones).
 */
export function stateJacobians(model: Model, fwd: ForwardResult, layer: number, dir: number, b: number, reuse?: Float64Array[]): Float64Array[] {
  const { spec } = model;
  const W_hh = layerParams(model.params, layer, dir).W_hh;
  const steps = fwd.caches[layer * directionsOf(spec) + dir];
  const n = stateSize(spec.cell, spec.hiddenSize);
  if (reuse && reuse.length > 0 && reuse[0].length !== n * n) reuse.length = 0;
  return steps.map((cache, t) => {
    if (reuse && t >= reuse.length && (t + 1) * n * n * 8 <= MAX_REUSED_BYTES) reuse.push(new Float64Array(n * n)); // (n, n)
    return stateJacobian(spec.cell, spec.nonlinearity, W_hh, cache, b, spec.hiddenSize, reuse?.[t]);
  });
}

/**
 * The fast path's Jacobian buffers, kept from one analysis to the next: T fresh (n, n) buffers cost
 * more than filling them (100 MB for LSTM at H = 256, each page faulted in and zeroed by the OS:
 * ~0.4 s of CPU against ~20 ms for the same writes to memory already held). Nothing returned by
 * analyze points into them; the worker runs one analysis at a time.
 */
const jacobianBuffers: Float64Array[] = [];
/** What the kept buffers may hold: 50 steps of LSTM's 512 × 512 J_t (a 400-step sequence gets fresh ones past that). */
const MAX_REUSED_BYTES = 128 * 2 ** 20;

/**
 * Where the fast path writes J_t: in the dense kernels' own memory when they keep some (the wasm
 * kernels then build them there from their copy of W_hh and read them in place), else the kept
 * TypeScript buffers.
 */
function jacobianStore(T: number, n: number, W_hh: Float64Array, lstm: boolean): Float64Array[] {
  const count = Math.min(T, Math.floor(MAX_REUSED_BYTES / (n * n * 8)));
  return denseKernels().jacobianBuffers?.(count, n, W_hh, lstm) ?? jacobianBuffers;
}

/**
 * The gradient of the last step's loss term alone with respect to every top-layer state, from the
 * forward pass `layers` already run over this batch (with opts.initialState) when given.
 */
export function finalLossGradNorms(model: Model, batch: Batch, opts: RunOptions, layers?: LayersForward): number[] {
  const { B, T } = batch;
  let scored = batch;
  if (opts.readout !== 'final_step') {
    const mask = new Float64Array(T * B); // (T, B): only the last step is scored
    for (let b = 0; b < B; b++) mask[(T - 1) * B + b] = batch.mask ? batch.mask[(T - 1) * B + b] : 1;
    scored = { ...batch, mask };
  }
  const hiddenGrads = topHiddenGrads(model, layers ?? forward(model, batch, opts), scored, opts); // (T, B, H·dirs)
  const Hd = hiddenGrads.length / (T * B);
  return Array.from({ length: T }, (_, k) => {
    const t = T - 1 - k;
    return scaledNorm(hiddenGrads.subarray(t * B * Hd, (t + 1) * B * Hd));
  });
}

/** ‖v‖₂ summed as (v/max|v|)², so entries near 1e-200 or 1e+200 do not square out of double's range. */
function scaledNorm(v: Float64Array): number {
  let max = 0;
  for (let i = 0; i < v.length; i++) max = Math.max(max, Math.abs(v[i])); // NaN propagates
  if (max === 0 || !Number.isFinite(max)) return max;
  let s = 0;
  for (let i = 0; i < v.length; i++) s += (v[i] / max) ** 2;
  return max * Math.sqrt(s);
}

export function analyze(model: Model, batch: Batch, opts: RunOptions, req: AnalysisRequest = {}, fwd?: ForwardResult): Analysis {
  const { layer = 0, dir = 0, b = 0 } = req;
  const timings: Record<string, number> = {};
  let t0 = now();
  const lap = (name: string) => {
    const t1 = now();
    timings[name] = t1 - t0;
    t0 = t1;
  };
  const weights = recurrentWeightSpectra(model, layer, dir, !req.fast);
  lap('weights');
  const pass = fwd ?? forward(model, batch, opts);
  const n = stateSize(model.spec.cell, model.spec.hiddenSize);
  const Js = stateJacobians(model, pass, layer, dir, b, req.fast ? jacobianStore(batch.T, n, layerParams(model.params, layer, dir).W_hh, model.spec.cell === 'lstm') : undefined);
  lap('jacobians');
  const singularValueSteps = evenlySpaced(batch.T, req.maxSingularValueSteps ?? batch.T);
  const svs = singularValueSteps.map((p) => singularValues(Js[p], n, n));
  lap('singularValues');
  const lyapunovCount = Math.min(n, req.lyapunovCount ?? 8);
  let products;
  let lyapunov;
  if (req.fast) {
    const ops = jacobianOperators(Js, n, model.spec.cell === 'lstm', true); // Js are not read again
    products = fastProductLogNorms(ops, req.maxLag);
    lap('productNorms');
    lyapunov = fastLyapunov(ops, lyapunovCount);
  } else {
    products = jacobianProductLogNorms(Js, n, req.maxLag);
    lap('productNorms');
    lyapunov = lyapunovSpectrum(Js, n, lyapunovCount);
  }
  lap('lyapunov');
  const finalNorms = finalLossGradNorms(model, batch, opts, pass);
  lap('finalLossGradNorms');
  return {
    weights,
    singularValueSteps,
    stateJacobianSingularValues: svs,
    jacobianProductNorms: products.norms,
    jacobianProductLogNorms: products.logNorms,
    productNormRate: slope(products.logNorms.map((_, i) => i + 1), products.logNorms),
    lyapunov,
    finalLossGradNorms: finalNorms,
    timings,
    kernels: denseKernels().name,
  };
}
