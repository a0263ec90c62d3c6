/**
 * The successor model: a stack of the same block around a mixer (Mamba's and RWKV's block shape),
 *   v_t = in_proj(u_t)                        (H)
 *   c_t = mixer(v_1 … v_t)                    (H)   lru, mamba, rwkv, mingru or attention
 *   o_t = c_t ⊙ silu(gate_proj(u_t))          (H)   silu(s) = s·σ(s)
 * with u_t = x_t for layer 0 and the layer below's o_t above it, then the RNN engine's own readout
 * and loss on the top layer's o_t. One pass returns what a case and a plot need: outputs, loss,
 * ∂L/∂θ, their norm, ∂L/∂o_t of the top layer and ∂L/∂x_t.
 */
import type { Batch } from '../batch';
import { globalNorm, readoutAndLoss, readoutBackward, type RunOptions } from '../bptt';
import type { ClipSpec } from '../clip';
import { sigmoid } from '../linalg';
import type { Params } from '../model';
import type { Optimizer } from '../optim';
import { applyUpdate } from '../train';
import { attentionMixer } from './attention';
import { lruMixer } from './lru';
import { mambaMixer } from './mamba';
import { mingruMixer } from './mingru';
import { linear, linearBackward, type Mixer, type MixerPass } from './mixer';
import { rwkvMixer } from './rwkv';
import type { ScanMode } from './scan';
import { blockInputSize, isRecurrentKind, tensorsUnder, zeroSuccessorParams, type SuccessorKind, type SuccessorModel } from './spec';

export const MIXERS: Record<SuccessorKind, Mixer> = { lru: lruMixer, mamba: mambaMixer, rwkv: rwkvMixer, mingru: mingruMixer, attention: attentionMixer };

export interface SuccessorRunOptions extends Pick<RunOptions, 'loss' | 'readout' | 'truncation'> {
  /** how lru, mamba, mingru (and rwkv's sums) run their recurrences; both give the same numbers */
  scan?: ScanMode;
  /** per layer, each mixer's state before step 0: a constant carried from an earlier chunk */
  initialState?: Float64Array[][] | null;
}

/** What one block keeps for its backward pass. */
interface BlockPass {
  /** (T, B, D) the block's input */
  u: Float64Array;
  /** (T, B, H) gate_proj(u_t), before silu */
  s: Float64Array;
  /** (T, B, H) silu(s) */
  gate: Float64Array;
  mixer: MixerPass;
  /** (T, B, H) the block's output o_t */
  o: Float64Array;
}

export interface SuccessorForward {
  layers: BlockPass[];
  /** (T, B, Y) or (B, Y) */
  outputs: Float64Array;
  loss: number;
  /** per layer, the mixer's state after the last step (for the next chunk of a stream) */
  finalState: Float64Array[][];
}

export interface SuccessorGradients extends SuccessorForward {
  grads: Params;
  /** global L2 norm of all parameter gradients, before any clipping */
  gradNorm: number;
  /** (T, B, H) ∂L/∂o_t of the top layer (o_t feeds nothing later, so it is the readout's alone) */
  hiddenGrads: Float64Array;
  /** (T, B, D) ∂L/∂x_t */
  inputGrads: Float64Array;
}

/** silu(s) = s·σ(s) and its derivative σ(s)·(1 + s·(1 − σ(s))). */
function silu(s: number): number {
  return s * sigmoid(s);
}
function siluPrime(s: number): number {
  const sg = sigmoid(s);
  return sg * (1 + s * (1 - sg));
}

/** Every block over x (T, B, D) in turn. */
export function runBlocks(model: SuccessorModel, x: Float64Array, B: number, T: number, opts: SuccessorRunOptions): BlockPass[] {
  const { spec, params } = model;
  const H = spec.hiddenSize;
  const dims = { B, T, H, N: spec.stateSize, heads: spec.numHeads };
  const mixerOpts = { truncation: isRecurrentKind(spec.cell) ? opts.truncation : null, scan: opts.scan ?? 'loop' };
  const passes: BlockPass[] = [];
  let u = x; // (T, B, D_l)
  for (let l = 0; l < spec.numLayers; l++) {
    const D = blockInputSize(spec, l);
    const p = tensorsUnder(params, `layers.${l}.`);
    const v = linear(u, p['in_proj.weight'], p['in_proj.bias'], T * B, H, D); // (T, B, H)
    const s = linear(u, p['gate_proj.weight'], p['gate_proj.bias'], T * B, H, D); // (T, B, H)
    const gate = s.map(silu); // (T, B, H)
    const mixer = MIXERS[spec.cell](tensorsUnder(params, `layers.${l}.mixer.`), v, dims, { ...mixerOpts, initialState: opts.initialState?.[l] ?? null });
    const o = mixer.c.map((c, i) => c * gate[i]); // (T, B, H)
    passes.push({ u, s, gate, mixer, o });
    u = o;
  }
  return passes;
}

export function successorForward(model: SuccessorModel, batch: Batch, opts: SuccessorRunOptions): SuccessorForward & { dL_dy: Float64Array; readIn: Float64Array; N: number } {
  const layers = runBlocks(model, batch.x, batch.B, batch.T, opts);
  const top = layers[layers.length - 1].o; // (T, B, H)
  const r = readoutAndLoss(model, top, batch, opts);
  return { ...r, layers, finalState: layers.map((pass) => pass.mixer.finalState) };
}

/** Forward, loss and backpropagation through every block: the one pass a training step needs. */
export function successorLossAndGradients(model: SuccessorModel, batch: Batch, opts: SuccessorRunOptions): SuccessorGradients {
  const { spec, params } = model;
  const { B, T } = batch;
  const H = spec.hiddenSize;
  const fwd = successorForward(model, batch, opts);
  const grads = zeroSuccessorParams(spec);
  const hiddenGrads = readoutBackward(model, grads, fwd.dL_dy, fwd.readIn, fwd.N, T, B, opts.readout); // (T, B, H)
  let dL_do = hiddenGrads; // (T, B, H) into this block's output
  for (let l = spec.numLayers - 1; l >= 0; l--) {
    const D = blockInputSize(spec, l);
    const { u, s, gate, mixer } = fwd.layers[l];
    const p = tensorsUnder(params, `layers.${l}.`);
    const g = tensorsUnder(grads, `layers.${l}.`);
    // o = c ⊙ silu(s): ∂L/∂c = ∂L/∂o ⊙ silu(s), ∂L/∂s = ∂L/∂o ⊙ c ⊙ silu'(s)
    const dL_dc = dL_do.map((d, i) => d * gate[i]); // (T, B, H)
    const dL_ds = dL_do.map((d, i) => d * mixer.c[i] * siluPrime(s[i])); // (T, B, H)
    const dL_dv = mixer.backward(dL_dc, tensorsUnder(grads, `layers.${l}.mixer.`)); // (T, B, H)
    const dL_du = new Float64Array(T * B * D); // (T, B, D)
    linearBackward(dL_dv, u, p['in_proj.weight'], g['in_proj.weight'], g['in_proj.bias'], dL_du, T * B, H, D);
    linearBackward(dL_ds, u, p['gate_proj.weight'], g['gate_proj.weight'], g['gate_proj.bias'], dL_du, T * B, H, D);
    dL_do = dL_du;
  }
  return { layers: fwd.layers, outputs: fwd.outputs, loss: fwd.loss, finalState: fwd.finalState, grads, gradNorm: globalNorm(grads), hiddenGrads, inputGrads: dL_do };
}

/** One training step as the RNN's `trainStep`: the pass, then the engine's clipping and update. */
export function successorTrainStep(model: SuccessorModel, optimizer: Optimizer, batch: Batch, opts: SuccessorRunOptions & { clip: ClipSpec }) {
  const result = successorLossAndGradients(model, batch, opts);
  return { ...result, ...applyUpdate(model, optimizer, result.loss, result.gradNorm, result.grads, opts.clip) };
}
