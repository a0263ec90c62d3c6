import type { LayerParams } from '../model';

/** Sizes of one step: batch B, this layer's input size D, hidden size H. */
export interface StepDims {
  B: number;
  D: number;
  H: number;
}

/** What one forward step keeps for its backward step. */
export interface StepCache {
  /** (B, D) the step's input */
  x: Float64Array;
  /** (B, H) the state it started from */
  h_prev: Float64Array;
  /** (B, H) LSTM only */
  c_prev: Float64Array | null;
  /** (B, H) the new hidden state */
  h: Float64Array;
  /** (B, H) LSTM only */
  c: Float64Array | null;
  /** (B, G·H) gate values after their nonlinearities (RNN: h itself) */
  gates: Float64Array;
  /** (B, H) GRU only: W_hn h_prev + b_hn, which the reset gate multiplies */
  hn: Float64Array | null;
}

export interface StepGrads {
  /** (B, D) */
  dL_dx: Float64Array;
  /** (B, H) */
  dL_dh_prev: Float64Array;
  /** (B, H) LSTM only */
  dL_dc_prev: Float64Array | null;
}

/**
 * One recurrent cell: a forward step and, beside it, the backward step that differentiates it.
 * `backward` adds the parameter gradients into `grads` (same layout as the parameters), or skips
 * them where `grads` is null (the analysis's gradient-norm view needs ∂L/∂h alone).
 */
export interface Cell {
  readonly hasCellState: boolean;
  forward(p: LayerParams, x: Float64Array, h_prev: Float64Array, c_prev: Float64Array | null, dims: StepDims): StepCache;
  backward(
    p: LayerParams,
    grads: LayerParams | null,
    cache: StepCache,
    dL_dh: Float64Array,
    dL_dc: Float64Array | null,
    dims: StepDims,
  ): StepGrads;
}
