/**
 * The wasm backend's kernels: the SIMD functions of ./assembly (float32, in the module's linear
 * memory), under the one training path's names. The arena is the module's memory above its
 * `heap_base`; a Ptr (float offset) is a byte pointer / 4. The loss and the update's decisions run
 * in JavaScript on views of that memory (a few scalars per step); their loops are SIMD kernels.
 */
import { lossAndGradientInto } from '../../engine/loss';
import { CLIP_KIND, normClipScale, OPTIMIZER_KIND } from '../../engine/plan';
import { SLOT, SLOTS, type Kernels, type Ptr } from '../../train/kernels';
import type { WasmKernels } from './loader';
import { wasmMixers } from './mixers';

const PAGE = 65536;

export function wasmKernels(k: WasmKernels): Kernels {
  let view = new Float32Array(k.memory.buffer);
  /** float32 view of the whole memory, renewed after the memory grew (which detaches the old one) */
  const f = (): Float32Array => {
    if (view.buffer !== k.memory.buffer) view = new Float32Array(k.memory.buffer);
    return view;
  };
  const scalars = new Float64Array(SLOTS);
  const B = (p: Ptr): number => p * 4; // float offset → byte pointer
  return {
    precision: 'float32',
    base: Math.ceil(Math.max(k.heap_base(), 1024) / 64) * 16,
    reserve(floats) {
      const have = k.memory.buffer.byteLength / PAGE;
      const need = Math.ceil((floats * 4) / PAGE);
      if (need <= have) return;
      try {
        k.memory.grow(need - have);
      } catch {
        throw new Error(`wasm backend: this model and batch need ${Math.ceil((floats * 4) / 2 ** 20)} MiB, more memory than WebAssembly gives here`);
      }
    },
    write: (dst, src) => f().set(src, dst),
    zero: (dst, n) => void f().fill(0, dst, dst + n),
    read: (src, n) => new Float64Array(f().subarray(src, src + n)),
    view: (src, n) => f().subarray(src, src + n),
    scalars: () => scalars,
    flush: async () => {}, // every call ran at once
    gemmNN: (M, N, K, A, lda, Bm, ldb, C, ldc) => k.gemm_nn(M, N, K, B(A), lda, B(Bm), ldb, B(C), ldc),
    gemmTN: (M, N, K, A, lda, Bm, ldb, C, ldc) => k.gemm_tn(M, N, K, B(A), lda, B(Bm), ldb, B(C), ldc),
    packed: {
      size: (K, N) => k.packed_size(K, N),
      pack: (dst, Bm, ldb, K, N) => k.pack_b(B(dst), B(Bm), ldb, K, N),
      packTransposed: (dst, W, ldw, K, N) => k.pack_bt(B(dst), B(W), ldw, K, N),
      gemmNN: (M, N, K, A, lda, P, C, ldc) => k.gemm_nn_packed(M, N, K, B(A), lda, B(P), B(C), ldc),
      affine: (M, N, b1, b2, K1, A1, lda1, P1, K2, A2, lda2, P2, C, ldc) =>
        k.gemm_affine_packed(M, N, B(b1), B(b2), K1, B(A1), lda1, B(P1), K2, B(A2), lda2, B(P2), B(C), ldc),
    },
    transpose: (dst, ldd, src, R, C) => k.transpose(B(dst), ldd, B(src), R, C),
    fillRows: (C, M, N, ldc, b1, b2) => k.fill_rows(B(C), M, N, ldc, B(b1), B(b2)),
    colSums: (dst, A, M, N, lda) => k.col_sums(B(dst), B(A), M, N, lda),
    sumsq: (x, n, slot) => void (scalars[slot] = k.sumsq(B(x), n)),
    stepNorms(x, n, T) {
      // SIMD, in float64 like the host's loop: ~10× faster than it at 50 × 32 × 256
      const per = n / T; // floats per step
      const norms = new Float64Array(T); // (T)
      for (let t = 0; t < T; t++) norms[t] = Math.sqrt(k.sumsq(B(x + t * per), per));
      return norms;
    },
    rnnForward: (act, Bn, H, a, hout, ldo) => k.rnn_fwd(act, Bn, H, B(a), B(hout), ldo),
    rnnBackward: (act, Bn, H, h, dout, ldo, dnext, dA) => k.rnn_bwd(act, Bn, H, B(h), B(dout), ldo, B(dnext), B(dA)),
    lstmForward: (Bn, H, gates, cprev, c, tc, hout, ldo) => k.lstm_fwd(Bn, H, B(gates), B(cprev), B(c), B(tc), B(hout), ldo),
    lstmBackward: (Bn, H, gates, cprev, tc, dout, ldo, dnext, dcnext, dA) =>
      k.lstm_bwd(Bn, H, B(gates), B(cprev), B(tc), B(dout), ldo, B(dnext), B(dcnext), B(dA)),
    gruForward: (Bn, H, gi, gh, hprev, ldp, hn, hout, ldo) => k.gru_fwd(Bn, H, B(gi), B(gh), B(hprev), ldp, B(hn), B(hout), ldo),
    gruBackward: (Bn, H, gates, hn, hprev, ldp, dout, ldo, dnext, dgi, dgh) =>
      k.gru_bwd(Bn, H, B(gates), B(hn), B(hprev), ldp, B(dout), ldo, B(dnext), B(dgi), B(dgh)),
    loss(kind, outputs, N, Y, Bsz, dL_dy, target, mask) {
      const m = f();
      scalars[SLOT.loss] = lossAndGradientInto(kind, m.subarray(outputs, outputs + N * Y), target, mask, N, Y, Bsz, m.subarray(dL_dy, dL_dy + N * Y));
    },
    update(u, P, theta, grad, m1, m2) {
      const before = scalars[SLOT.sumsqBefore];
      scalars[SLOT.applied] = Number.isFinite(scalars[SLOT.loss]) && Number.isFinite(before) ? 1 : 0;
      scalars[SLOT.clipped] = 0;
      scalars[SLOT.sumsqAfter] = before;
      if (!scalars[SLOT.applied]) return; // a diverged step leaves the weights as they were
      if (u.clip === CLIP_KIND.norm) {
        const s = normClipScale(u.clipMax, Math.sqrt(before));
        if (s < 1) {
          k.scale(B(grad), P, s);
          scalars[SLOT.clipped] = 1;
        }
      } else if (u.clip === CLIP_KIND.value) scalars[SLOT.clipped] = k.clamp(B(grad), P, u.clipMax) > 0 ? 1 : 0;
      if (scalars[SLOT.clipped]) scalars[SLOT.sumsqAfter] = k.sumsq(B(grad), P);
      if (u.optimizer === OPTIMIZER_KIND.sgd) k.sgd(B(theta), B(grad), B(m1), P, u.lr, u.c1, u.first ? 1 : 0);
      else if (u.optimizer === OPTIMIZER_KIND.adam) k.adam(B(theta), B(grad), B(m1), B(m2), P, u.lr, u.c1, u.c2, u.eps, u.bc1, u.sqrtBc2);
      else k.rmsprop(B(theta), B(grad), B(m1), P, u.lr, u.c1, u.eps);
    },
    mixers: wasmMixers(k),
  };
}
