/**
 * The wasm backend's successor kernels (./assembly: gate.ts and one file per mixer), under the
 * path's MixerKernels names. Every mixer's three exports take the same arguments:
 *   {kind}_work(B, T, H, N, heads)                                   floats of workspace
 *   {kind}_fwd(B, T, H, N, heads, ...tensors, v, c, work)
 *   {kind}_bwd(B, T, H, N, heads, k, ...tensors, ...grads, v, dC, dV, work)
 * with the tensors (and their gradients) in the order of MIXER_TENSORS, truncation as k (0 for
 * none), pointers as byte offsets; `_work` counts in float64, so a size past 2³¹ floats reaches
 * `reserve` (which refuses it in words) rather than wrapping around. A mixer keeps what its
 * backward pass needs in `work`, laid out beside the code that computes its size; the adapter
 * remembers only where each layer's input v lies, which the path keeps intact from a layer's
 * forward pass to its backward pass.
 */
import type { SuccessorKind } from '../../engine/successors/spec';
import type { MixerKernels, Ptr } from '../../train/kernels';

type Work = (B: number, T: number, H: number, N: number, heads: number) => number;
type Pass = (B: number, T: number, H: number, N: number, heads: number, ...rest: number[]) => void;

/** The module's successor exports; pointers are byte offsets, sizes in floats. */
export interface WasmMixerExports {
  gate_fwd(n: number, c: number, s: number, o: number): void;
  gate_bwd(n: number, c: number, s: number, dO: number, dC: number, dS: number): void;
  mingru_work: Work;
  mingru_fwd: Pass;
  mingru_bwd: Pass;
  lru_work: Work;
  lru_fwd: Pass;
  lru_bwd: Pass;
  rwkv_work: Work;
  rwkv_fwd: Pass;
  rwkv_bwd: Pass;
  mamba_work: Work;
  mamba_fwd: Pass;
  mamba_bwd: Pass;
  attention_work: Work;
  attention_fwd: Pass;
  attention_bwd: Pass;
}

/** The kinds the module has mixers for, in the order they were written. */
export const WASM_MIXER_KINDS = ['mingru', 'lru', 'rwkv', 'mamba', 'attention'] as const satisfies readonly SuccessorKind[];
type WasmKind = (typeof WASM_MIXER_KINDS)[number];

/** Each mixer's tensors (after `layers.{l}.mixer.`) in the order its kernels take them: mixerShapes' order. */
const MIXER_TENSORS: Record<WasmKind, readonly string[]> = {
  mingru: ['z_proj.weight', 'z_proj.bias', 'h_proj.weight', 'h_proj.bias'],
  lru: ['nu_log', 'theta_log', 'gamma_log', 'B_re', 'B_im', 'C_re', 'C_im', 'D'],
  rwkv: ['w_log', 'u', 'key.weight', 'value.weight', 'receptance.weight'],
  mamba: ['A_log', 'D', 'dt_proj.weight', 'dt_proj.bias', 'B_proj.weight', 'C_proj.weight'],
  attention: ['q_proj.weight', 'k_proj.weight', 'v_proj.weight', 'o_proj.weight'],
};

export function wasmMixers(k: WasmMixerExports): MixerKernels {
  const B = (p: Ptr): number => p * 4; // float offset → byte pointer
  /** each layer's input v (T, B, H), from its forward pass to its backward pass */
  const inputs = new Map<number, Ptr>();
  const ours = (kind: SuccessorKind): WasmKind => {
    if (!(WASM_MIXER_KINDS as readonly SuccessorKind[]).includes(kind)) throw new Error(`the wasm kernels have no ${kind} mixer`);
    return kind as WasmKind;
  };
  return {
    kinds: WASM_MIXER_KINDS,
    mixerWork: (kind, d) => k[`${ours(kind)}_work`](d.B, d.T, d.H, d.N, d.heads),
    gateForward: (n, c, s, o) => k.gate_fwd(n, B(c), B(s), B(o)),
    gateBackward: (n, c, s, dO, dC, dS) => k.gate_bwd(n, B(c), B(s), B(dO), B(dC), B(dS)),
    mixerForward(layer, kind, d, _truncation, tensors, v, c, work) {
      const names = MIXER_TENSORS[ours(kind)];
      inputs.set(layer, v);
      k[`${kind as WasmKind}_fwd`](d.B, d.T, d.H, d.N, d.heads, ...names.map((name) => B(tensors[name].ptr)), B(v), B(c), B(work));
    },
    mixerBackward(layer, kind, d, truncation, tensors, grads, dC, dV, work) {
      const names = MIXER_TENSORS[ours(kind)];
      const v = inputs.get(layer);
      if (v === undefined) throw new Error(`mixer of layer ${layer}: backward before forward`);
      const ptrs = [...names.map((name) => B(tensors[name].ptr)), ...names.map((name) => B(grads[name].ptr))];
      k[`${kind as WasmKind}_bwd`](d.B, d.T, d.H, d.N, d.heads, truncation ?? 0, ...ptrs, B(v), B(dC), B(dV), B(work));
    },
  };
}
