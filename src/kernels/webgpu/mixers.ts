/**
 * The WebGPU backend's successor kernels (./kernels: gate.ts and one file per mixer) under the
 * path's MixerKernels names, recorded like every other kernel. A mixer keeps what its backward pass
 * needs in `work` (laid out in its file, beside the code that sizes it); the adapter remembers only
 * where each layer's input v lies, which the path keeps intact from a layer's forward pass to its
 * backward pass. A kind without WGSL kernels is not in `kinds`, so the backend refuses it in words
 * and the worker moves on to wasm.
 */
import type { MixerDims } from '../../engine/successors/mixer';
import type { SuccessorKind } from '../../engine/successors/spec';
import type { MixerKernels, Ptr, TensorPtrs } from '../../train/kernels';
import { attentionBackward, attentionForward, attentionWork } from './kernels/attention';
import { gateBackward, gateForward } from './kernels/gate';
import { lruBackward, lruForward, lruWork } from './kernels/lru';
import { mambaBackward, mambaForward, mambaWork } from './kernels/mamba';
import { mingruBackward, mingruForward, mingruWork } from './kernels/mingru';
import { rwkvBackward, rwkvForward, rwkvWork } from './kernels/rwkv';
import type { Recorder } from './recorder';

interface Mixer {
  /** the tensors (after `layers.{l}.mixer.`) in the order the kernels take them */
  tensors: readonly string[];
  work(d: MixerDims): number;
  forward(rec: Recorder, d: MixerDims, tensors: Ptr[], v: Ptr, c: Ptr, work: Ptr): void;
  backward(rec: Recorder, d: MixerDims, k: number, tensors: Ptr[], grads: Ptr[], v: Ptr, dC: Ptr, dV: Ptr, work: Ptr): void;
}

/** The kinds with WGSL kernels, in the order they were written. */
const MIXERS: Partial<Record<SuccessorKind, Mixer>> = {
  mingru: { tensors: ['z_proj.weight', 'z_proj.bias', 'h_proj.weight', 'h_proj.bias'], work: mingruWork, forward: mingruForward, backward: mingruBackward },
  lru: {
    tensors: ['nu_log', 'theta_log', 'gamma_log', 'B_re', 'B_im', 'C_re', 'C_im', 'D'],
    work: lruWork,
    forward: lruForward,
    backward: lruBackward,
  },
  rwkv: { tensors: ['w_log', 'u', 'key.weight', 'value.weight', 'receptance.weight'], work: rwkvWork, forward: rwkvForward, backward: rwkvBackward },
  mamba: {
    tensors: ['A_log', 'D', 'dt_proj.weight', 'dt_proj.bias', 'B_proj.weight', 'C_proj.weight'],
    work: mambaWork,
    forward: mambaForward,
    backward: mambaBackward,
  },
  attention: {
    tensors: ['q_proj.weight', 'k_proj.weight', 'v_proj.weight', 'o_proj.weight'],
    work: attentionWork,
    forward: attentionForward,
    backward: attentionBackward,
  },
};

export const WEBGPU_MIXER_KINDS = Object.keys(MIXERS) as SuccessorKind[];

export function webgpuMixers(rec: Recorder): MixerKernels {
  /** each layer's input v (T, B, H), from its forward pass to its backward pass */
  const inputs = new Map<number, Ptr>();
  const ours = (kind: SuccessorKind): Mixer => {
    const m = MIXERS[kind];
    if (!m) throw new Error(`the webgpu kernels have no ${kind} mixer`);
    return m;
  };
  const ptrs = (m: Mixer, t: TensorPtrs): Ptr[] => m.tensors.map((name) => t[name].ptr);
  return {
    kinds: WEBGPU_MIXER_KINDS,
    mixerWork: (kind, d) => ours(kind).work(d),
    gateForward: (n, c, s, o) => gateForward(rec, n, c, s, o),
    gateBackward: (n, c, s, dO, dC, dS) => gateBackward(rec, n, c, s, dO, dC, dS),
    mixerForward(layer, kind, d, _truncation, tensors, v, c, work) {
      const m = ours(kind);
      inputs.set(layer, v);
      m.forward(rec, d, ptrs(m, tensors), v, c, work);
    },
    mixerBackward(layer, kind, d, truncation, tensors, grads, dC, dV, work) {
      const m = ours(kind);
      const v = inputs.get(layer);
      if (v === undefined) throw new Error(`mixer of layer ${layer}: backward before forward`);
      m.backward(rec, d, truncation ?? 0, ptrs(m, tensors), ptrs(m, grads), v, dC, dV, work);
    },
  };
}
