/**
 * The whole sequence: forward through every layer and direction, the readout, the loss, and
 * backpropagation through time (full or truncated) in one pass that returns everything a plot
 * needs: outputs, loss, parameter gradients, their global norm, and ∂L/∂h_t at every step.
 */
import type { Batch, LossKind, Readout } from './batch';
import { cellFor, type StepCache } from './cells';
import { addBias, addColumnSums, addMatMul, addMatMulAT, addMatMulBT, sumOfSquares } from './linalg';
import { lossAndGradient } from './loss';
import { directionsOf, layerInputSize, layerParams, zeroParams, type Model, type Params } from './model';

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
}

/** Time index of processing step p in a direction (0 forward, 1 reverse). */
export function timeOf(p: number, dir: number, T: number): number {
  return dir === 0 ? p : T - 1 - p;
}

/** True where the state entering processing step p is detached (k, 2k, … from the first step). */
export function isDetachedAt(p: number, truncation: number | null): boolean {
  return truncation !== null && p > 0 && p % truncation === 0;
}

function startState(model: Model, opts: RunOptions, l: number, dir: number, B: number): { h: Float64Array; c: Float64Array | null } {
  const { hiddenSize: H } = model.spec;
  const dirs = directionsOf(model.spec);
  const hasC = model.spec.cell === 'lstm';
  if (opts.initialState) {
    const i = l * dirs + dir;
    return { h: opts.initialState.h[i], c: hasC ? (opts.initialState.c as Float64Array[])[i] : null };
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

export function forward(model: Model, batch: Batch, opts: RunOptions): ForwardResult {
  const { spec, params } = model;
  const { B, T } = batch;
  const H = spec.hiddenSize;
  const dirs = directionsOf(spec);
  const Hd = H * dirs;
  const cell = cellFor(spec);
  const layerOutputs: Float64Array[] = [];
  const caches: StepCache[][] = [];
  const finalState: RecurrentState = { h: [], c: spec.cell === 'lstm' ? [] : null };

  let input = batch.x; // (T, B, D_l)
  for (let l = 0; l < spec.numLayers; l++) {
    const D = layerInputSize(spec, l);
    const out = new Float64Array(T * B * Hd); // (T, B, H·dirs)
    for (let dir = 0; dir < dirs; dir++) {
      const p = layerParams(params, l, dir);
      let { h, c } = startState(model, opts, l, dir, B);
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

  // Readout ŷ = W_out h + b_out, at every step or at the last one.
  const W_out = params['readout.weight'].data; // (Y, H·dirs)
  const b_out = params['readout.bias'].data; // (Y)
  const Y = spec.outputSize;
  const top = layerOutputs[spec.numLayers - 1]; // (T, B, H·dirs)
  const readIn = opts.readout === 'every_step' ? top : top.subarray((T - 1) * B * Hd); // (N, H·dirs)
  const N = opts.readout === 'every_step' ? T * B : B;
  const outputs = new Float64Array(N * Y); // (N, Y)
  addMatMulBT(outputs, readIn, W_out, N, Y, Hd);
  addBias(outputs, b_out, N, Y);
  const mask = opts.readout === 'every_step' ? (batch.mask ?? null) : null;
  const { loss, dL_dy } = lossAndGradient(opts.loss, outputs, batch.target, mask, N, Y, B);
  return { outputs, loss, layerOutputs, caches, finalState, dL_dy };
}

/** Forward, loss and BPTT: the one pass a training step and every plot draw from. */
export function lossAndGradients(model: Model, batch: Batch, opts: RunOptions): GradientResult {
  const fwd = forward(model, batch, opts);
  const { spec, params } = model;
  const { B, T } = batch;
  const H = spec.hiddenSize;
  const dirs = directionsOf(spec);
  const Hd = H * dirs;
  const Y = spec.outputSize;
  const cell = cellFor(spec);
  const grads = zeroParams(spec);

  // Readout: gradients of W_out, b_out, and the direct ∂L/∂h of the top layer's output.
  const N = opts.readout === 'every_step' ? T * B : B;
  const top = fwd.layerOutputs[spec.numLayers - 1]; // (T, B, H·dirs)
  const readIn = opts.readout === 'every_step' ? top : top.subarray((T - 1) * B * Hd); // (N, H·dirs)
  addMatMulAT(grads['readout.weight'].data, fwd.dL_dy, readIn, N, Y, Hd);
  addColumnSums(grads['readout.bias'].data, fwd.dL_dy, N, Y);
  let dL_dout: Float64Array = new Float64Array(T * B * Hd); // (T, B, H·dirs) direct gradient into a layer's output
  const dL_dreadIn = opts.readout === 'every_step' ? dL_dout : dL_dout.subarray((T - 1) * B * Hd);
  addMatMul(dL_dreadIn, fwd.dL_dy, params['readout.weight'].data, N, Y, Hd);

  const hiddenGrads = new Float64Array(T * B * Hd); // (T, B, H·dirs)
  for (let l = spec.numLayers - 1; l >= 0; l--) {
    const D = layerInputSize(spec, l);
    const dL_din = new Float64Array(T * B * D); // (T, B, D_l) gradient into this layer's input
    for (let dir = 0; dir < dirs; dir++) {
      const p = layerParams(params, l, dir);
      const g = layerParams(grads, l, dir);
      const steps = fwd.caches[l * dirs + dir];
      let dL_dh_next: Float64Array = new Float64Array(B * H); // (B, H) gradient arriving from the next step
      let dL_dc_next: Float64Array | null = spec.cell === 'lstm' ? new Float64Array(B * H) : null;
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
        for (let i = 0; i < dIn.length; i++) dIn[i] += sg.dL_dx[i];
        if (isDetachedAt(step, opts.truncation)) {
          // The state entering this step was detached: no gradient crosses the chunk boundary.
          dL_dh_next = new Float64Array(B * H);
          if (dL_dc_next) dL_dc_next = new Float64Array(B * H);
        } else {
          dL_dh_next = sg.dL_dh_prev;
          dL_dc_next = sg.dL_dc_prev;
        }
      }
      // What reaches the start state trains the learned initial state (summed over the batch,
      // since h0 is broadcast); a carried stream state is a constant and takes none.
      if (g.h0 && !opts.initialState) addColumnSums(g.h0, dL_dh_next, B, H);
      if (g.c0 && dL_dc_next && !opts.initialState) addColumnSums(g.c0, dL_dc_next, B, H);
    }
    dL_dout = dL_din;
  }

  return { ...fwd, grads, gradNorm: globalNorm(grads), hiddenGrads };
}

/** ‖g‖₂ over every parameter, as torch.nn.utils.clip_grad_norm_ measures it. */
export function globalNorm(grads: Params): number {
  let s = 0;
  for (const t of Object.values(grads)) s += sumOfSquares(t.data);
  return Math.sqrt(s);
}
