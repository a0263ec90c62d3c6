/**
 * The successor blocks' kernels in JavaScript: the SiLU gate, and each mixer as the float64 engine
 * defines it (src/engine/successors), run on copies of the arena's values. A mixer keeps its pass
 * (what its backward needs) by layer on this side, so it needs no arena workspace. Computes in
 * doubles and stores into whichever arena it is given (float64 reference, float32 gpu.js).
 * The recurrent kinds run as the engine's loop or, asked for `scan: 'parallel'`, its Hillis–Steele
 * scan (engine/successors/scan.ts); the backward pass runs the way its forward did.
 */
import { sigmoid } from '../../engine/linalg';
import { MIXERS } from '../../engine/successors/block';
import type { MixerPass, MixerTensors } from '../../engine/successors/mixer';
import { isRecurrentKind, SUCCESSOR_KINDS } from '../../engine/successors/spec';
import type { MixerKernels, TensorPtrs } from '../../train/kernels';
import type { FloatArena } from './arena';

export function jsMixers(arena: () => FloatArena): MixerKernels {
  /** the last forward pass of each layer, for its backward */
  const passes = new Map<number, MixerPass>();
  const copy = (ptr: number, n: number) => Float64Array.from(arena().subarray(ptr, ptr + n));
  const tensorsOf = (t: TensorPtrs): MixerTensors => Object.fromEntries(Object.entries(t).map(([name, { ptr, size }]) => [name, copy(ptr, size)]));
  return {
    kinds: SUCCESSOR_KINDS,
    scanKinds: SUCCESSOR_KINDS.filter(isRecurrentKind),
    mixerWork: () => 0,
    gateForward(n, c, s, o) {
      const a = arena();
      for (let i = 0; i < n; i++) {
        const si = a[s + i];
        a[o + i] = a[c + i] * si * sigmoid(si);
      }
    },
    gateBackward(n, c, s, dO, dC, dS) {
      const a = arena();
      for (let i = 0; i < n; i++) {
        const si = a[s + i];
        const sg = sigmoid(si);
        const d = a[dO + i];
        a[dC + i] = d * si * sg; // ∂o/∂c = silu(s)
        a[dS + i] = d * a[c + i] * sg * (1 + si * (1 - sg)); // silu'(s) = σ(s)(1 + s(1 − σ(s)))
      }
    },
    mixerForward(layer, kind, dims, truncation, tensors, v, c, _work, scan = 'loop') {
      const n = dims.T * dims.B * dims.H;
      const pass = MIXERS[kind](tensorsOf(tensors), copy(v, n), dims, { truncation, scan, initialState: null });
      passes.set(layer, pass);
      arena().set(pass.c, c);
    },
    mixerBackward(layer, _kind, dims, _truncation, _tensors, grads, dC, dV, _work) {
      const pass = passes.get(layer);
      if (!pass) throw new Error(`mixer of layer ${layer}: backward before forward`);
      const n = dims.T * dims.B * dims.H;
      const g: MixerTensors = Object.fromEntries(Object.entries(grads).map(([name, { size }]) => [name, new Float64Array(size)]));
      const dL_dv = pass.backward(copy(dC, n), g);
      const a = arena();
      a.set(dL_dv, dV);
      for (const [name, { ptr, size }] of Object.entries(grads)) for (let i = 0; i < size; i++) a[ptr + i] += g[name][i];
    },
  };
}
