/**
 * The whole sequence: forward through every layer and direction, the readout, the loss, and
 * backpropagation through time (full or truncated) in one pass that returns everything a plot
 * needs: outputs, loss, parameter gradients, their global norm, and ∂L/∂h_t at every step.
 */
import type { ScanMode } from './successors/scan';
import type { Batch, LossKind, Readout } from './batch';
import { cellFor, type StepCache } from './cells';
import { addBias, addColumnSums, addMatMul, addMatMulAT, addMatMulBT, sumOfSquares } from './linalg';
import { lossAndGradient } from './loss';
import { directionsOf, layerInputSize, layerParams, zeroParams, type Model, type ModelSpec, type Params } from './model';

export interface RunOptions {
  loss: LossKind;
  readout: Readout;
  /** Truncated BPTT window k, or null for full BPTT. */
  truncation: number | null;
  /**
   * Stateful mode (streaming): start from this state instead of the zero or learned one. It is a
   * constant here: no gradient flows into it, which is how char-rnn carries state across chunks.
   */
  initialState?: RecurrentState | null;
  /** how a successor block's linear recurrences (lru, mamba, mingru, rwkv's sums) run: step by
   *  step ('loop', the default) or as a parallel scan; the same numbers either way. RNN cells,
   *  whose step is nonlinear in h_{t−1}, have no scan and ignore it. */
  scan?: ScanMode;
}

/** The recurrent state of every layer and direction, index `l · directions + dir`. */
export interface RecurrentState {
  /** each (B, H) */
  h: Float64Array[];
  /** each (B, H); LSTM only */
  c: Float64Array[] | null;
}

export interface ForwardResult {
  /** (T, B, Y) for an every-step readout, (B, Y) for a final-step one */
  outputs: Float64Array;
  loss: number;
  /** per layer, (T, B, H·directions): the hidden states */
  layerOutputs: Float64Array[];
  /** per layer and direction (index l·dirs + dir), per processing step p: what backward needs */
  caches: StepCache[][];
  /** the state after each direction's last step, for the next chunk of a stream */
  finalState: RecurrentState;
  /** (N, Y) ∂L/∂ŷ */
  dL_dy: Float64Array;
}

export interface GradientResult extends ForwardResult {
  grads: Params;
  /** global L2 norm of all parameter gradients, before any clipping */
  gradNorm: number;
  /** (T, B, H·directions) total ∂L/∂h_t of the top layer's output, every later path included */
  hiddenGrads: Float64Array;
  /** (T, B, D) ∂L/∂x_t: how strongly the loss reaches back to each input (truncation included) */
  inputGrads: Float64Array;
}

/** Time index of processing step p in a direction (0 forward, 1 reverse). */
export function timeOf(p: number, dir: number, T: number): number {
  return dir === 0 ? p : T - 1 - p;
}

/** True where the state entering processing step p is detached (k, 2k, … from the first step). */
export function isDetachedAt(p: number, truncation: number | null): boolean {
  return truncation !== null && p > 0 && p % truncation === 0;
}

function startState(model: Model, given: RecurrentState | null | undefined, l: number, dir: number, B: number): { h: Float64Array; c: Float64Array | null } {
  const { hiddenSize: H } = model.spec;
  const dirs = directionsOf(model.spec);
  const hasC = model.spec.cell === 'lstm';
  if (given) {
    const i = l * dirs + dir;
    return { h: given.h[i], c: hasC ? (given.c as Float64Array[])[i] : null };
  }
  const p = layerParams(model.params, l, dir);
  const h = new Float64Array(B * H); // (B, H)
  const c = hasC ? new Float64Array(B * H) : null; // (B, H)
  for (let b = 0; b < B; b++) {
    if (p.h0) h.set(p.h0, b * H);
    if (p.c0 && c) c.set(p.c0, b * H);
  }
  return { h, c };
}

/** The recurrent layers alone, without readout: what an encoder needs. */
export interface LayersForward {
  /** per layer, (T, B, H·directions) */
  layerOutputs: Float64Array[];
  /** per layer and direction (l·dirs + dir), per processing step */
  caches: StepCache[][];
  finalState: RecurrentState;
}

/**
 * Runs every layer and direction over x (T, B, D). Each layer's output [h→_t ; h←_t] is the next
 * layer's input. `initialState` replaces the zero or learned start state when given.
 */
export function runLayers(model: Model, x: Float64Array, B: number, T: number, initialState?: RecurrentState | null): LayersForward {
  const { spec, params } = model;
  const H = spec.hiddenSize;
  const dirs = directionsOf(spec);
  const Hd = H * dirs;
  const cell = cellFor(spec);
  const layerOutputs: Float64Array[] = [];
  const caches: StepCache[][] = [];
  const finalState: RecurrentState = { h: [], c: spec.cell === 'lstm' ? [] : null };
  let input = x; // (T, B, D_l)
  for (let l = 0; l < spec.numLayers; l++) {
    const D = layerInputSize(spec, l);
    const out = new Float64Array(T * B * Hd); // (T, B, H·dirs)
    for (let dir = 0; dir < dirs; dir++) {
      const p = layerParams(params, l, dir);
      let { h, c } = startState(model, initialState, l, dir, B);
      const steps: StepCache[] = [];
      for (let step = 0; step < T; step++) {
        const t = timeOf(step, dir, T);
        const x_t = input.subarray(t * B * D, (t + 1) * B * D); // (B, D)
        const cache = cell.forward(p, x_t, h, c, { B, D, H });
        steps.push(cache);
        h = cache.h;
        c = cache.c;
        for (let b = 0; b < B; b++) out.set(h.subarray(b * H, (b + 1) * H), (t * B + b) * Hd + dir * H);
      }
      caches.push(steps);
      finalState.h.push(h);
      if (finalState.c && c) finalState.c.push(c);
    }
    layerOutputs.push(out);
    input = out;
  }
  return { layerOutputs, caches, finalState };
}

/** What the readout reads of a model (an RNN's or a successor's): its widths and `readout.*`. */
export interface ReadoutModel {
  spec: Pick<ModelSpec, 'hiddenSize' | 'bidirectional' | 'outputSize'>;
  params: Params;
}

/** Readout ŷ = W_out h + b_out at every step or at the last one, then the loss and ∂L/∂ŷ. */
export function readoutAndLoss(model: ReadoutModel, top: Float64Array, batch: Batch, opts: Pick<RunOptions, 'loss' | 'readout'>) {
  const { spec, params } = model;
  const { B, T } = batch;
  const Hd = spec.hiddenSize * directionsOf(spec);
  const Y = spec.outputSize;
  const readIn = opts.readout === 'every_step' ? top : top.subarray((T - 1) * B * Hd); // (N, H·dirs)
  const N = opts.readout === 'every_step' ? T * B : B;
  const outputs = new Float64Array(N * Y); // (N, Y)
  addMatMulBT(outputs, readIn, params['readout.weight'].data, N, Y, Hd);
  addBias(outputs, params['readout.bias'].data, N, Y);
  const mask = opts.readout === 'every_step' ? (batch.mask ?? null) : null;
  const { loss, dL_dy } = lossAndGradient(opts.loss, outputs, batch.target, mask, N, Y, B);
  return { outputs, loss, dL_dy, readIn, N };
}

export function forward(model: Model, batch: Batch, opts: RunOptions): ForwardResult {
  const layers = runLayers(model, batch.x, batch.B, batch.T, opts.initialState);
  const { outputs, loss, dL_dy } = readoutAndLoss(model, layers.layerOutputs[model.spec.numLayers - 1], batch, opts);
  return { ...layers, outputs, loss, dL_dy };
}

export interface LayersBackward {
  /** (T, B, H·directions) total ∂L/∂h_t of the top layer's output */
  hiddenGrads: Float64Array;
  /** (T, B, D) ∂L/∂x: what flows into the inputs (a decoder's inputs, say) */
  dL_dx: Float64Array;
  /** the gradient that reached each layer and direction's start state */
  dL_dinitial: RecurrentState;
}

/**
 * BPTT through the recurrent layers, top to bottom, adding the parameter gradients into `grads`
 * (none where it is null), down to `lowestLayer` (default 0: all of them).
 * @param dL_dtop (T, B, H·dirs) the direct gradient into the top layer's output (from a readout)
 * @param dL_dfinal gradient arriving at each direction's final state from outside (an encoder's
 *   final state feeds a decoder), or null
 * @param trainStart whether what reaches the start state trains the learned h0/c0; false when the
 *   start state was given (a carried stream state is a constant, a decoder's comes from its encoder)
 */
export function backpropLayers(
  model: Model,
  fwd: LayersForward,
  dL_dtop: Float64Array,
  grads: Params | null,
  B: number,
  T: number,
  truncation: number | null,
  dL_dfinal: RecurrentState | null,
  trainStart: boolean,
  lowestLayer = 0,
): LayersBackward {
  const { spec, params } = model;
  const H = spec.hiddenSize;
  const dirs = directionsOf(spec);
  const Hd = H * dirs;
  const cell = cellFor(spec);
  const hiddenGrads = new Float64Array(T * B * Hd); // (T, B, H·dirs)
  const dL_dinitial: RecurrentState = { h: [], c: spec.cell === 'lstm' ? [] : null };
  let dL_dout = dL_dtop; // (T, B, H·dirs) direct gradient into this layer's output
  for (let l = spec.numLayers - 1; l >= lowestLayer; l--) {
    const D = layerInputSize(spec, l);
    const dL_din = new Float64Array(T * B * D); // (T, B, D_l) gradient into this layer's input
    for (let dir = 0; dir < dirs; dir++) {
      const i = l * dirs + dir;
      const p = layerParams(params, l, dir);
      const g = grads ? layerParams(grads, l, dir) : null;
      const steps = fwd.caches[i];
      // Gradient arriving from the next step: zero after the last one, unless a consumer of the
      // final state sends some back.
      let dL_dh_next: Float64Array = dL_dfinal ? new Float64Array(dL_dfinal.h[i]) : new Float64Array(B * H); // (B, H)
      let dL_dc_next: Float64Array | null = spec.cell === 'lstm' ? (dL_dfinal?.c ? new Float64Array(dL_dfinal.c[i]) : new Float64Array(B * H)) : null;
      for (let step = T - 1; step >= 0; step--) {
        const t = timeOf(step, dir, T);
        const dL_dh = new Float64Array(B * H); // (B, H) total ∂L/∂h_t
        for (let b = 0; b < B; b++) {
          const o = (t * B + b) * Hd + dir * H;
          for (let j = 0; j < H; j++) dL_dh[b * H + j] = dL_dout[o + j] + dL_dh_next[b * H + j];
        }
        if (l === spec.numLayers - 1) {
          for (let b = 0; b < B; b++) hiddenGrads.set(dL_dh.subarray(b * H, (b + 1) * H), (t * B + b) * Hd + dir * H);
        }
        const sg = cell.backward(p, g, steps[step], dL_dh, dL_dc_next, { B, D, H });
        const dIn = dL_din.subarray(t * B * D, (t + 1) * B * D);
        for (let k = 0; k < dIn.length; k++) dIn[k] += sg.dL_dx[k];
        if (isDetachedAt(step, truncation)) {
          // The state entering this step was detached: no gradient crosses the chunk boundary.
          dL_dh_next = new Float64Array(B * H);
          if (dL_dc_next) dL_dc_next = new Float64Array(B * H);
        } else {
          dL_dh_next = sg.dL_dh_prev;
          dL_dc_next = sg.dL_dc_prev;
        }
      }
      dL_dinitial.h[i] = dL_dh_next; // by index: layers run top to bottom here
      if (dL_dinitial.c && dL_dc_next) dL_dinitial.c[i] = dL_dc_next;
      // The learned initial state is broadcast over the batch, so its gradient is the batch sum.
      if (trainStart && g?.h0) addColumnSums(g.h0, dL_dh_next, B, H);
      if (trainStart && g?.c0 && dL_dc_next) addColumnSums(g.c0, dL_dc_next, B, H);
    }
    dL_dout = dL_din;
  }
  return { hiddenGrads, dL_dx: dL_dout, dL_dinitial };
}

/** Forward, loss and BPTT: the one pass a training step and every plot draw from. */
export function lossAndGradients(model: Model, batch: Batch, opts: RunOptions): GradientResult {
  const { spec } = model;
  const { B, T } = batch;
  const layers = runLayers(model, batch.x, B, T, opts.initialState);
  const top = layers.layerOutputs[spec.numLayers - 1]; // (T, B, H·dirs)
  const { outputs, loss, dL_dy, readIn, N } = readoutAndLoss(model, top, batch, opts);
  const grads = zeroParams(spec);
  const dL_dtop = readoutBackward(model, grads, dL_dy, readIn, N, T, B, opts.readout); // (T, B, H·dirs)
  const back = backpropLayers(model, layers, dL_dtop, grads, B, T, opts.truncation, null, !opts.initialState);
  return { ...layers, outputs, loss, dL_dy, grads, gradNorm: globalNorm(grads), hiddenGrads: back.hiddenGrads, inputGrads: back.dL_dx };
}

/**
 * The total ∂L/∂h_t of the top layer's output, (T, B, H·dirs), from a forward pass already run over
 * this batch (its `layers`): the same numbers as lossAndGradients's hiddenGrads, without a second
 * forward pass, without any parameter gradient of the recurrent layers and without the layers below
 * the top, which the top layer's ∂L/∂h_t does not depend on.
 */
export function topHiddenGrads(model: Model, layers: LayersForward, batch: Batch, opts: RunOptions): Float64Array {
  const { spec } = model;
  const { B, T } = batch;
  const top = layers.layerOutputs[spec.numLayers - 1]; // (T, B, H·dirs)
  const { dL_dy, readIn, N } = readoutAndLoss(model, top, batch, opts);
  const dL_dtop = readoutBackward(model, null, dL_dy, readIn, N, T, B, opts.readout);
  return backpropLayers(model, layers, dL_dtop, null, B, T, opts.truncation, null, false, spec.numLayers - 1).hiddenGrads;
}

/**
 * The readout's backward: adds the gradients of W_out and b_out into `grads` (unless null) and returns the direct
 * ∂L/∂h of the top layer's output, (T, B, H·dirs), zero at the steps a final-step readout skips.
 * @param dL_dy (N, Y) @param readIn (N, H·dirs) what the readout read
 */
export function readoutBackward(model: ReadoutModel, grads: Params | null, dL_dy: Float64Array, readIn: Float64Array, N: number, T: number, B: number, readout: Readout): Float64Array {
  const Hd = model.spec.hiddenSize * directionsOf(model.spec);
  const Y = model.spec.outputSize;
  if (grads) {
    addMatMulAT(grads['readout.weight'].data, dL_dy, readIn, N, Y, Hd);
    addColumnSums(grads['readout.bias'].data, dL_dy, N, Y);
  }
  const dL_dtop = new Float64Array(T * B * Hd); // (T, B, H·dirs)
  const dL_dreadIn = readout === 'every_step' ? dL_dtop : dL_dtop.subarray((T - 1) * B * Hd);
  addMatMul(dL_dreadIn, dL_dy, model.params['readout.weight'].data, N, Y, Hd);
  return dL_dtop;
}

/** ‖g‖₂ over every parameter, as torch.nn.utils.clip_grad_norm_ measures it. */
export function globalNorm(grads: Params): number {
  let s = 0;
  for (const t of Object.values(grads)) s += sumOfSquares(t.data);
  return Math.sqrt(s);
}
