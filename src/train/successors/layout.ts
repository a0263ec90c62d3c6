/**
 * Where a successor model's buffers live in the arena (see ../layout.ts for the RNN's): the
 * parameter block in state_dict order with its gradients and optimizer moments, the transposed
 * projections the forward products read, and per batch shape every block's activations.
 */
import { paramLayoutOf, type TensorSlot } from '../../engine/plan';
import type { MixerDims } from '../../engine/successors/mixer';
import { blockInputSize, successorParamShapes, type SuccessorSpec } from '../../engine/successors/spec';
import type { MixerKernels, Ptr, TensorPtrs } from '../kernels';
import { Arena } from '../layout';
import type { ParamBlockLayout } from '../pathBase';

/** One block's pointers: its projections, their gradients and transposes, its mixer's tensors. */
export interface BlockSlots {
  /** this block's input size */
  D: number;
  W_in: Ptr;
  b_in: Ptr;
  W_g: Ptr;
  b_g: Ptr;
  gW_in: Ptr;
  gb_in: Ptr;
  gW_g: Ptr;
  gb_g: Ptr;
  /** (D, H) in_proj.weightᵀ */
  W_inT: Ptr;
  /** (D, H) gate_proj.weightᵀ */
  W_gT: Ptr;
  mixer: TensorPtrs;
  mixerGrads: TensorPtrs;
}

export interface SuccessorModelLayout extends ParamBlockLayout {
  spec: SuccessorSpec;
  H: number;
  Y: number;
  blocks: BlockSlots[];
  W_out: Ptr;
  b_out: Ptr;
  gW_out: Ptr;
  gb_out: Ptr;
  /** (H, Y) readout.weightᵀ */
  W_outT: Ptr;
}

export function successorModelLayout(spec: SuccessorSpec, base: Ptr): SuccessorModelLayout {
  const H = spec.hiddenSize;
  const Y = spec.outputSize;
  const { tensors, P } = paramLayoutOf(successorParamShapes(spec));
  const arena = new Arena(base);
  const params = arena.take(P);
  const grads = arena.take(P);
  const moment1 = arena.take(P);
  const moment2 = arena.take(P);
  const slot = (name: string): TensorSlot => {
    const t = tensors.find((s) => s.name === name);
    if (!t) throw new Error(`no tensor ${name}`);
    return t;
  };
  const under = (block: Ptr, prefix: string): TensorPtrs =>
    Object.fromEntries(tensors.filter((t) => t.name.startsWith(prefix)).map((t) => [t.name.slice(prefix.length), { ptr: block + t.offset, size: t.size }]));
  const blocks: BlockSlots[] = [];
  for (let l = 0; l < spec.numLayers; l++) {
    const D = blockInputSize(spec, l);
    const at = (block: Ptr, name: string) => block + slot(`layers.${l}.${name}`).offset;
    blocks.push({
      D,
      W_in: at(params, 'in_proj.weight'),
      b_in: at(params, 'in_proj.bias'),
      W_g: at(params, 'gate_proj.weight'),
      b_g: at(params, 'gate_proj.bias'),
      gW_in: at(grads, 'in_proj.weight'),
      gb_in: at(grads, 'in_proj.bias'),
      gW_g: at(grads, 'gate_proj.weight'),
      gb_g: at(grads, 'gate_proj.bias'),
      W_inT: arena.take(D * H),
      W_gT: arena.take(D * H),
      mixer: under(params, `layers.${l}.mixer.`),
      mixerGrads: under(grads, `layers.${l}.mixer.`),
    });
  }
  return {
    spec: { ...spec },
    H,
    Y,
    P,
    params,
    grads,
    moment1,
    moment2,
    tensors,
    blocks,
    W_out: params + slot('readout.weight').offset,
    b_out: params + slot('readout.bias').offset,
    gW_out: grads + slot('readout.weight').offset,
    gb_out: grads + slot('readout.bias').offset,
    W_outT: arena.take(H * Y),
    end: arena.top,
  };
}

/** One block's activations over a batch, each (T, B, H) unless said. */
export interface BlockBuffers {
  /** in_proj(u) */
  v: Ptr;
  /** gate_proj(u), before silu */
  s: Ptr;
  /** the mixer's output */
  c: Ptr;
  /** the block's output c ⊙ silu(s) */
  o: Ptr;
  /** ∂L/∂o; the top block's is the readout's ∂L/∂o_t */
  dO: Ptr;
  /** the mixer's workspace (mixerWork floats) */
  work: Ptr;
}

export interface SuccessorBatchLayout {
  B: number;
  T: number;
  dims: MixerDims;
  /** (T, B, D) the inputs */
  x: Ptr;
  /** (T, B, D) ∂L/∂x_t, when asked for */
  dX: Ptr;
  blocks: BlockBuffers[];
  /** (T, B, H) scratch of the backward pass: ∂L/∂c, ∂L/∂s, ∂L/∂v of the block at hand */
  dC: Ptr;
  dS: Ptr;
  dV: Ptr;
  /** (T·B, Y) */
  outputs: Ptr;
  dL_dy: Ptr;
  /** (T·B, max(Y, 1)) and (T·B): targets and mask, for backends that upload them */
  target: Ptr;
  mask: Ptr;
  end: Ptr;
}

export function successorBatchLayout(m: SuccessorModelLayout, mixers: MixerKernels, B: number, T: number): SuccessorBatchLayout {
  const { spec, H, Y } = m;
  const TB = T * B;
  const dims: MixerDims = { B, T, H, N: spec.stateSize, heads: spec.numHeads };
  const arena = new Arena(m.end);
  const x = arena.take(TB * spec.inputSize);
  const dX = arena.take(TB * spec.inputSize);
  const blocks = m.blocks.map(() => ({
    v: arena.take(TB * H),
    s: arena.take(TB * H),
    c: arena.take(TB * H),
    o: arena.take(TB * H),
    dO: arena.take(TB * H),
    work: arena.take(mixers.mixerWork(spec.cell, dims)),
  }));
  return {
    B,
    T,
    dims,
    x,
    dX,
    blocks,
    dC: arena.take(TB * H),
    dS: arena.take(TB * H),
    dV: arena.take(TB * H),
    outputs: arena.take(TB * Y),
    dL_dy: arena.take(TB * Y),
    target: arena.take(TB * Math.max(Y, 1)),
    mask: arena.take(TB),
    end: arena.top,
  };
}
