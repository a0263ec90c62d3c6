/**
 * Where every buffer of a training step lives in the backend's arena, the same for every backend:
 * laid out once per model (weights, gradients, optimizer moments, transposed weights) and once per
 * batch shape (the activations BPTT keeps, its scratch). Nothing is allocated while a step runs.
 * Pointers are float offsets (Ptr), each aligned to 16 floats; sizes are in floats.
 */
import { directionsOf, gatesOf, layerInputSize, type ModelSpec } from '../engine/model';
import { paramLayout, TENSOR_ALIGN, type TensorSlot } from '../engine/plan';
import type { Ptr } from './kernels';

export class Arena {
  constructor(public top: Ptr) {
    this.top = Arena.align(top);
  }
  static align(floats: number): number {
    return Math.ceil(floats / TENSOR_ALIGN) * TENSOR_ALIGN;
  }
  /** room for `floats` values */
  take(floats: number): Ptr {
    const p = this.top;
    this.top = Arena.align(p + floats);
    return p;
  }
}

/** One layer and direction: pointers into the weights, the gradients and the transposed copies. */
export interface LayerDirSlots {
  l: number;
  dir: number;
  /** this layer's input size */
  D: number;
  W_ih: number;
  W_hh: number;
  b_ih: number;
  b_hh: number;
  h0: number;
  c0: number;
  gW_ih: number;
  gW_hh: number;
  gb_ih: number;
  gb_hh: number;
  gh0: number;
  gc0: number;
  /** (D, G·H) W_ihᵀ, row stride ldT */
  W_ihT: number;
  /** (H, G·H) W_hhᵀ, row stride ldT; 0 where the kernels pack (W_hhT_p replaces it) */
  W_hhT: number;
  /** W_ihᵀ packed for the forward's per-step input products, where the kernels pack (Kernels.packed); else 0 */
  W_ihT_p: number;
  /** W_hhᵀ packed for the forward's products, likewise */
  W_hhT_p: number;
  /** W_hh (G·H, H) packed for the backward's products, likewise */
  W_hh_p: number;
}

export interface ModelLayout {
  spec: ModelSpec;
  G: number;
  H: number;
  dirs: number;
  /** H · dirs */
  Hd: number;
  Y: number;
  /** row stride of the transposed weights (G·H) */
  ldT: number;
  /** floats in the parameter block, padding included (padding stays zero) */
  P: number;
  params: number;
  grads: number;
  moment1: number;
  moment2: number;
  tensors: TensorSlot[];
  layers: LayerDirSlots[];
  W_out: number;
  b_out: number;
  gW_out: number;
  gb_out: number;
  /** (H·dirs, Y) */
  W_outT: number;
  end: number;
}

/** @param packedSize the kernels' packed size of a (K, N) matrix, where they pack (Kernels.packed) */
export function modelLayout(spec: ModelSpec, base: number, packedSize?: (K: number, N: number) => number): ModelLayout {
  const G = gatesOf(spec.cell);
  const H = spec.hiddenSize;
  const dirs = directionsOf(spec);
  const Hd = H * dirs;
  const Y = spec.outputSize;
  const { tensors, P } = paramLayout(spec);
  const arena = new Arena(base);
  const params = arena.take(P);
  const grads = arena.take(P);
  const moment1 = arena.take(P);
  const moment2 = arena.take(P);
  const at = (block: number, name: string): number => {
    const t = tensors.find((s) => s.name === name);
    return t ? block + t.offset : 0;
  };
  const ldT = G * H;
  const layers: LayerDirSlots[] = [];
  for (let l = 0; l < spec.numLayers; l++) {
    for (let dir = 0; dir < dirs; dir++) {
      const sfx = `_l${l}${dir === 0 ? '' : '_reverse'}`;
      const D = layerInputSize(spec, l);
      layers.push({
        l,
        dir,
        D,
        W_ih: at(params, `weight_ih${sfx}`),
        W_hh: at(params, `weight_hh${sfx}`),
        b_ih: at(params, `bias_ih${sfx}`),
        b_hh: at(params, `bias_hh${sfx}`),
        h0: at(params, `h0${sfx}`),
        c0: at(params, `c0${sfx}`),
        gW_ih: at(grads, `weight_ih${sfx}`),
        gW_hh: at(grads, `weight_hh${sfx}`),
        gb_ih: at(grads, `bias_ih${sfx}`),
        gb_hh: at(grads, `bias_hh${sfx}`),
        gh0: at(grads, `h0${sfx}`),
        gc0: at(grads, `c0${sfx}`),
        W_ihT: arena.take(D * ldT),
        W_hhT: packedSize ? 0 : arena.take(H * ldT),
        W_ihT_p: packedSize ? arena.take(packedSize(D, G * H)) : 0,
        W_hhT_p: packedSize ? arena.take(packedSize(H, G * H)) : 0,
        W_hh_p: packedSize ? arena.take(packedSize(G * H, H)) : 0,
      });
    }
  }
  return {
    spec: { ...spec },
    G,
    H,
    dirs,
    Hd,
    Y,
    ldT,
    P,
    params,
    grads,
    moment1,
    moment2,
    tensors,
    layers,
    W_out: at(params, 'readout.weight'),
    b_out: at(params, 'readout.bias'),
    gW_out: at(grads, 'readout.weight'),
    gb_out: at(grads, 'readout.bias'),
    W_outT: arena.take(Hd * Y),
    end: arena.top,
  };
}

/** Per layer and direction, what the forward pass keeps for BPTT. */
export interface LayerDirCache {
  /** (T, B, G·H) pre-activations, then gate values (RNN: h; GRU: W_ih x + b_ih, then r, z, n) */
  gates: number;
  /** (T, B, H) LSTM: c_t */
  c: number;
  /** (T, B, H) LSTM: tanh(c_t) */
  tc: number;
  /** (T, B, H) GRU: W_hn h_{t−1} + b_hn */
  hn: number;
  /** (B, H) the state before the first step */
  h_init: number;
  /** (B, H) LSTM */
  c_init: number;
}

export interface BatchLayout {
  B: number;
  T: number;
  /** (T, B, D) the inputs */
  x: number;
  /** per layer (T, B, H·dirs): the hidden states */
  out: number[];
  /** per layer (T, B, H·dirs): ∂L/∂ of the layer's output; after BPTT the total ∂L/∂h_t */
  dOut: number[];
  /** (T, B, D) ∂L/∂x_t: how strongly the loss reaches back to each input (when asked for) */
  dX: number;
  caches: LayerDirCache[];
  /** (T, B, G·H) ∂L/∂a at every step of one layer and direction (GRU: of W_ih x + b_ih) */
  dA: number;
  /** (T, B, 3H) GRU: ∂L/∂(W_hh h + b_hh) */
  dgh: number;
  /** (B, 3H) GRU: W_hh h_{t−1} + b_hh of the current step */
  gh: number;
  /** (B, H) ∂L/∂h arriving from the next step */
  dnext: number;
  /** (B, H) LSTM: ∂L/∂c arriving from the next step */
  dcnext: number;
  /** (T·B, Y) the readout's outputs (every step; a final-step readout uses the last B rows) */
  outputs: number;
  /** (T·B, Y) ∂L/∂ŷ */
  dL_dy: number;
  /** (T·B, max(Y, 1)) the targets, for backends that upload them (MSE values or class ids) */
  target: number;
  /** (T·B) the per-row loss weight (mask), likewise */
  mask: number;
  end: number;
}

export function batchLayout(m: ModelLayout, B: number, T: number): BatchLayout {
  const { spec, G, H, Hd, Y } = m;
  const TB = T * B;
  const arena = new Arena(m.end);
  const lstm = spec.cell === 'lstm';
  const gru = spec.cell === 'gru';
  const x = arena.take(TB * spec.inputSize);
  const out: number[] = [];
  const dOut: number[] = [];
  for (let l = 0; l < spec.numLayers; l++) {
    out.push(arena.take(TB * Hd));
    dOut.push(arena.take(TB * Hd));
  }
  const caches = m.layers.map(() => ({
    gates: arena.take(TB * G * H),
    c: lstm ? arena.take(TB * H) : 0,
    tc: lstm ? arena.take(TB * H) : 0,
    hn: gru ? arena.take(TB * H) : 0,
    h_init: arena.take(B * H),
    c_init: lstm ? arena.take(B * H) : 0,
  }));
  return {
    B,
    T,
    x,
    out,
    dOut,
    dX: arena.take(TB * spec.inputSize),
    caches,
    dA: arena.take(TB * G * H),
    dgh: gru ? arena.take(TB * G * H) : 0,
    gh: gru ? arena.take(B * G * H) : 0,
    dnext: arena.take(B * H),
    dcnext: lstm ? arena.take(B * H) : 0,
    outputs: arena.take(TB * Y),
    dL_dy: arena.take(TB * Y),
    target: arena.take(TB * Math.max(Y, 1)),
    mask: arena.take(TB),
    end: arena.top,
  };
}
