/**
 * The wasm backend's successor kernels (./assembly: gate.ts and one file per mixer), under the
 * path's MixerKernels names. Each mixer keeps what its backward pass needs in the arena workspace
 * `work`, whose size its module export `*_work` gives (one formula, beside the code that lays it
 * out); the adapter remembers only where each layer's input v lies, which the path keeps intact
 * from a layer's forward pass to its backward pass. Truncation travels as k, 0 for none.
 */
import type { MixerDims } from '../../engine/successors/mixer';
import type { SuccessorKind } from '../../engine/successors/spec';
import type { MixerKernels, Ptr, TensorPtrs } from '../../train/kernels';

/** The module's successor exports; pointers are byte offsets, sizes in floats. */
export interface WasmMixerExports {
  gate_fwd(n: number, c: number, s: number, o: number): void;
  gate_bwd(n: number, c: number, s: number, dO: number, dC: number, dS: number): void;
  mingru_work(B: number, T: number, H: number): number;
  mingru_fwd(B: number, T: number, H: number, Wz: number, bz: number, Wh: number, bh: number, v: number, c: number, work: number): void;
  mingru_bwd(
    B: number, T: number, H: number, k: number, Wz: number, Wh: number, gWz: number, gbz: number, gWh: number, gbh: number,
    v: number, dC: number, dV: number, work: number,
  ): void;
  lru_work(B: number, T: number, H: number, N: number): number;
  lru_fwd(B: number, T: number, H: number, N: number, ...tensorsThenVCWork: number[]): void;
  lru_bwd(B: number, T: number, H: number, N: number, k: number, ...tensorsGradsThenVDCDVWork: number[]): void;
}

/** each mixer's tensors in the order its kernels take them (mixerShapes' order) */
const LRU = ['nu_log', 'theta_log', 'gamma_log', 'B_re', 'B_im', 'C_re', 'C_im', 'D'];

/** the kinds the module has mixers for, in the order they were written */
export const WASM_MIXER_KINDS: readonly SuccessorKind[] = ['mingru', 'lru'];

export function wasmMixers(k: WasmMixerExports): MixerKernels {
  const B = (p: Ptr): number => p * 4; // float offset → byte pointer
  /** each layer's input v (T, B, H), from its forward pass to its backward pass */
  const inputs = new Map<number, Ptr>();
  const refuse = (kind: SuccessorKind): never => {
    throw new Error(`the wasm kernels have no ${kind} mixer`);
  };
  return {
    kinds: WASM_MIXER_KINDS,
    mixerWork(kind: SuccessorKind, { B: Bn, T, H, N }: MixerDims): number {
      switch (kind) {
        case 'mingru':
          return k.mingru_work(Bn, T, H);
        case 'lru':
          return k.lru_work(Bn, T, H, N);
        default:
          return 0;
      }
    },
    gateForward: (n, c, s, o) => k.gate_fwd(n, B(c), B(s), B(o)),
    gateBackward: (n, c, s, dO, dC, dS) => k.gate_bwd(n, B(c), B(s), B(dO), B(dC), B(dS)),
    mixerForward(layer, kind, { B: Bn, T, H, N }, _truncation, p: TensorPtrs, v, c, work) {
      inputs.set(layer, v);
      const t = (name: string) => B(p[name].ptr);
      switch (kind) {
        case 'lru':
          return k.lru_fwd(Bn, T, H, N, ...LRU.map(t), B(v), B(c), B(work));
        case 'mingru':
          return k.mingru_fwd(Bn, T, H, t('z_proj.weight'), t('z_proj.bias'), t('h_proj.weight'), t('h_proj.bias'), B(v), B(c), B(work));
        default:
          return refuse(kind);
      }
    },
    mixerBackward(layer, kind, { B: Bn, T, H, N }, truncation, p, g, dC, dV, work) {
      const v = inputs.get(layer);
      if (v === undefined) throw new Error(`mixer of layer ${layer}: backward before forward`);
      const t = (name: string) => B(p[name].ptr);
      const d = (name: string) => B(g[name].ptr);
      const kt = truncation ?? 0;
      const tail = [B(v), B(dC), B(dV), B(work)];
      switch (kind) {
        case 'lru':
          return k.lru_bwd(Bn, T, H, N, kt, ...LRU.map(t), ...LRU.map(d), ...tail);
        case 'mingru':
          return k.mingru_bwd(
            Bn, T, H, kt, t('z_proj.weight'), t('h_proj.weight'), d('z_proj.weight'), d('z_proj.bias'), d('h_proj.weight'), d('h_proj.bias'),
            B(v), B(dC), B(dV), B(work),
          );
        default:
          return refuse(kind);
      }
    },
  };
}
