/**
 * Buffer layout math shared by the GPU backends (WebGPU and gpu.js): where each state_dict entry
 * sits in one flat float32 parameter vector θ, how a batch is packed, and how the flat results
 * read back are turned into the engine's float64 layouts. Pure functions, no GPU: unit-tested.
 *
 * Letters as in the engine: B batch, T steps, D layer input, H hidden, G gates, Y outputs,
 * L layers, dirs directions (1 or 2), N readout rows (T·B every step, B final step).
 */
import type { Batch } from '../../engine/batch';
import type { RecurrentState } from '../../engine/bptt';
import { directionsOf, gatesOf, layerInputSize, paramShapes, sizeOf, type ModelSpec, type Params } from '../../engine/model';

export interface ParamEntry {
  name: string;
  shape: number[];
  /** index of the first value in θ */
  offset: number;
  size: number;
}

export interface ParamLayout {
  entries: ParamEntry[];
  /** P: length of θ */
  total: number;
  /** per layer·dirs + dir: offset of weight_ih; weight_hh, bias_ih, bias_hh follow it in order */
  layerBase: number[];
  /** per layer·dirs + dir: offset of h0 (c0 follows it for LSTM), or -1 without a learned state */
  initOffset: number[];
  readoutWeight: number;
  readoutBias: number;
}

export function paramLayout(spec: ModelSpec): ParamLayout {
  const entries: ParamEntry[] = [];
  let offset = 0;
  for (const [name, shape] of paramShapes(spec)) {
    const size = sizeOf(shape);
    entries.push({ name, shape, offset, size });
    offset += size;
  }
  const at = (name: string): number => entries.find((e) => e.name === name)?.offset ?? -1;
  const layerBase: number[] = [];
  const initOffset: number[] = [];
  for (let l = 0; l < spec.numLayers; l++) {
    for (let dir = 0; dir < directionsOf(spec); dir++) {
      const sfx = `_l${l}${dir === 0 ? '' : '_reverse'}`;
      layerBase.push(at(`weight_ih${sfx}`));
      initOffset.push(at(`h0${sfx}`));
    }
  }
  return { entries, total: offset, layerBase, initOffset, readoutWeight: at('readout.weight'), readoutBias: at('readout.bias') };
}

/** Sizes of the recurrent part, the numbers every kernel is parameterised by. */
export interface Dims {
  B: number;
  T: number;
  H: number;
  G: number;
  L: number;
  dirs: number;
  /** H·dirs: width of a layer's output */
  Hd: number;
  Y: number;
  /** readout rows: T·B for every step, B for the final step */
  N: number;
}

export function dimsOf(spec: ModelSpec, B: number, T: number, finalStepOnly: boolean): Dims {
  const dirs = directionsOf(spec);
  return {
    B,
    T,
    H: spec.hiddenSize,
    G: gatesOf(spec.cell),
    L: spec.numLayers,
    dirs,
    Hd: spec.hiddenSize * dirs,
    Y: spec.outputSize,
    N: finalStepOnly ? B : T * B,
  };
}

/** D of layer l. */
export function inputSizeOf(spec: ModelSpec, l: number): number {
  return layerInputSize(spec, l);
}

/** θ as float32, in state_dict order. */
export function flattenParams(params: Params, layout: ParamLayout): Float32Array<ArrayBuffer> {
  const theta = new Float32Array(layout.total); // (P)
  for (const e of layout.entries) {
    const t = params[e.name];
    if (!t || t.data.length !== e.size) throw new Error(`parameter ${e.name} is missing or has the wrong size`);
    theta.set(t.data, e.offset);
  }
  return theta;
}

/** θ back to float64 tensors by name. */
export function unflattenParams(theta: ArrayLike<number>, layout: ParamLayout): Params {
  const out: Params = {};
  for (const e of layout.entries) {
    const data = new Float64Array(e.size);
    for (let i = 0; i < e.size; i++) data[i] = theta[e.offset + i];
    out[e.name] = { shape: [...e.shape], data };
  }
  return out;
}

export interface PackedBatch {
  /** (T, B, D) */
  x: Float32Array<ArrayBuffer>;
  /** MSE (N, Y) real targets; cross-entropy (N) class ids */
  target: Float32Array<ArrayBuffer>;
  /** (N) weight of each scored row: the mask for every-step readouts, else ones */
  weight: Float32Array<ArrayBuffer>;
}

export function packBatch(batch: Batch, everyStep: boolean, N: number): PackedBatch {
  const weight = new Float32Array(N).fill(1); // (N)
  if (everyStep && batch.mask) weight.set(batch.mask);
  return { x: Float32Array.from(batch.x), target: Float32Array.from(batch.target), weight };
}

/** The initial state (L·dirs, 2, B, H) the kernels read: h then c for each layer and direction. */
export function packInitialState(state: RecurrentState, d: Dims): Float32Array<ArrayBuffer> {
  const BH = d.B * d.H;
  const init = new Float32Array(d.L * d.dirs * 2 * BH); // (L·dirs, 2, B, H)
  for (let i = 0; i < d.L * d.dirs; i++) {
    init.set(state.h[i], 2 * i * BH);
    if (state.c) init.set(state.c[i], (2 * i + 1) * BH);
  }
  return init;
}

/** The final state buffer (L·dirs, 2, B, H) read back, as the engine's RecurrentState. */
export function unpackFinalState(final: Float32Array, d: Dims, hasC: boolean): RecurrentState {
  const BH = d.B * d.H;
  const state: RecurrentState = { h: [], c: hasC ? [] : null };
  for (let i = 0; i < d.L * d.dirs; i++) {
    state.h.push(Float64Array.from(final.subarray(2 * i * BH, (2 * i + 1) * BH)));
    if (state.c) state.c.push(Float64Array.from(final.subarray((2 * i + 1) * BH, (2 * i + 2) * BH)));
  }
  return state;
}

/** Loss, pre-clip norm and clipping outcome from the GPU's reduction [loss, Σg², Σclamp(g)², max|g|]. */
export function clipOutcome(
  stats: ArrayLike<number>,
  clip: { kind: 'norm' | 'value'; max: number } | null,
): { loss: number; normBefore: number; normAfter: number; clipped: boolean; finite: boolean } {
  const loss = stats[0];
  const normBefore = Math.sqrt(stats[1]);
  const finite = Number.isFinite(loss) && Number.isFinite(normBefore);
  if (!finite || clip === null) return { loss, normBefore, normAfter: normBefore, clipped: false, finite };
  if (clip.kind === 'norm') {
    const scale = clip.max / (normBefore + 1e-6);
    return scale < 1 ? { loss, normBefore, normAfter: normBefore * scale, clipped: true, finite } : { loss, normBefore, normAfter: normBefore, clipped: false, finite };
  }
  const clipped = stats[3] > clip.max;
  return { loss, normBefore, normAfter: clipped ? Math.sqrt(stats[2]) : normBefore, clipped, finite };
}

/** Float32 → Float64 copy. */
export function widen(a: ArrayLike<number>): Float64Array {
  return Float64Array.from(a as ArrayLike<number>);
}
