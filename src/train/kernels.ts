/**
 * The kernels a backend implements, and nothing else: the one training path (./step.ts) calls
 * them. Every buffer lives in the backend's arena, one linear float memory (a Float64Array for the
 * reference, WebAssembly memory for wasm, one storage buffer on a GPU); a `Ptr` is a float offset
 * into it. Matrices are row-major with an explicit row stride (`ld`, in floats).
 *
 * The step's scalars (loss, gradient norms, whether it clipped or applied) sit in slots the
 * kernels write and the path reads once at the end, so that a GPU backend can record every call
 * into one command queue and answer with one readback (`flush`).
 */
import type { LossKind } from '../engine/batch';
import type { UpdatePlan } from '../engine/plan';
import type { MixerDims } from '../engine/successors/mixer';
import type { ScanMode } from '../engine/successors/scan';
import type { SuccessorKind } from '../engine/successors/spec';
import type { SweepJob } from './sweep';

/** A float offset into the backend's arena; 0 is never a buffer (the arena starts above it). */
export type Ptr = number;

/** Products on a B packed ahead (Kernels.packed). */
export interface PackedProducts {
  /** floats B (K, N) takes packed */
  size(K: number, N: number): number;
  /** dst ← B (K, N), row stride ldb, packed */
  pack(dst: Ptr, B: Ptr, ldb: number, K: number, N: number): void;
  /** dst ← Wᵀ (K, N) packed, from W (N, K) with row stride ldw: the transpose and the packing in one pass */
  packTransposed(dst: Ptr, W: Ptr, ldw: number, K: number, N: number): void;
  /** C (M, N) += A (M, K) · B, B packed at P: bit-identical to gemmNN */
  gemmNN(M: number, N: number, K: number, A: Ptr, lda: number, P: Ptr, C: Ptr, ldc: number): void;
  /**
   * C (M, N), row stride ldc, ← b1 (+ b2 when b2 ≠ 0) + A1 (M, K1) · B1 + A2 (M, K2) · B2, with B1
   * and B2 packed at P1 and P2 (K1 or K2 may be 0): a step's a_t = b + x_t W_ihᵀ + h_{t−1} W_hhᵀ
   * written once, instead of filled with the biases and added to twice. A backend that has it
   * computes a_t step by step in the recurrence on one thread and on two alike (./sweep.ts).
   */
  affine?(M: number, N: number, b1: Ptr, b2: Ptr, K1: number, A1: Ptr, lda1: number, P1: Ptr, K2: number, A2: Ptr, lda2: number, P2: Ptr, C: Ptr, ldc: number): void;
}

/** A stretch of the arena the host reads after a flush: `n` floats from `ptr`. */
export interface Region {
  ptr: Ptr;
  n: number;
}

/** The step's scalar slots (float64 where the backend can). */
export const SLOT = { loss: 0, sumsqBefore: 1, sumsqAfter: 2, clipped: 3, applied: 4 } as const;
export const SLOTS = 5;

/** The recurrent nonlinearity of a vanilla RNN, by number as the kernels take it. */
export const ACTIVATION = { tanh: 0, relu: 1, linear: 2 } as const;
export type Activation = (typeof ACTIVATION)[keyof typeof ACTIVATION];

export interface Kernels {
  /** 'float64' (reference) or 'float32': what the arena holds */
  readonly precision: 'float64' | 'float32';
  /** the first float offset the path may lay buffers out from */
  readonly base: Ptr;
  /** makes the arena at least `floats` long; what it held stays */
  reserve(floats: number): void;

  // ---- host ⇄ arena
  /** arena[dst …] ← src */
  write(dst: Ptr, src: ArrayLike<number>): void;
  /** arena[dst, dst + n) ← 0 */
  zero(dst: Ptr, n: number): void;
  /** a float64 copy of arena[src, src + n); GPU backends: only inside a region the last flush read */
  read(src: Ptr, n: number): Float64Array;
  /**
   * arena[src, src + n) without a copy, valid only until the next kernel call or flush: for
   * reductions the host makes every step (‖∂L/∂h_t‖ per t). A fresh multi-megabyte array per step
   * costs more than the step itself in a browser worker, where every new page is a page fault.
   */
  view(src: Ptr, n: number): Float32Array | Float64Array;
  /** the scalar slots (SLOT); GPU backends: as of the last flush */
  scalars(): Float64Array;
  /**
   * GPU backends: submit what was recorded, wait for it, and read back the scalar slots and
   * `reads` (one staging copy). CPU backends: nothing to do, every read is immediate.
   */
  flush(reads: Region[]): Promise<void>;

  // ---- matrix products and reductions
  /** C (M, N) += A (M, K) · B (K, N) */
  gemmNN(M: number, N: number, K: number, A: Ptr, lda: number, B: Ptr, ldb: number, C: Ptr, ldc: number): void;
  /** C (M, N) += Aᵀ · B, A (K, M), B (K, N) */
  gemmTN(M: number, N: number, K: number, A: Ptr, lda: number, B: Ptr, ldb: number, C: Ptr, ldc: number): void;
  /** dst (C, R), row stride ldd ← srcᵀ, src (R, C) contiguous */
  transpose(dst: Ptr, ldd: number, src: Ptr, R: number, C: number): void;
  /** every row of C (M, N), row stride ldc, ← b1 (+ b2 when b2 ≠ 0), each (N) */
  fillRows(C: Ptr, M: number, N: number, ldc: number, b1: Ptr, b2: Ptr): void;
  /** dst (N) += Σ_rows A (M, N), row stride lda */
  colSums(dst: Ptr, A: Ptr, M: number, N: number, lda: number): void;
  /** slot ← Σ x², x (n) */
  sumsq(x: Ptr, n: number, slot: number): void;
  /**
   * CPU backends that have a faster reduction than the host's loop over `view`: ‖x_t‖ for each of
   * the T equal steps of x (n), read at once (the path's per-step ‖∂L/∂h_t‖ every training step).
   */
  stepNorms?(x: Ptr, n: number, T: number): Float64Array;

  // ---- the cells' elementwise steps (their matrix products are gemm calls made by the path)
  /** a (B, H) pre-activations → h = φ(a) in place, copied to hout (row stride ldo) */
  rnnForward(act: Activation, B: number, H: number, a: Ptr, hout: Ptr, ldo: number): void;
  /** dout (row stride ldo): direct → total ∂L/∂h_t (adds dnext, then zeroes it); dA (B, H) ← ∂L/∂a */
  rnnBackward(act: Activation, B: number, H: number, h: Ptr, dout: Ptr, ldo: number, dnext: Ptr, dA: Ptr): void;
  /** gates (B, 4H) pre-activations → i, f, g, o in place; c, tc (B, H) ← c_t, tanh c_t; hout ← h_t */
  lstmForward(B: number, H: number, gates: Ptr, cprev: Ptr, c: Ptr, tc: Ptr, hout: Ptr, ldo: number): void;
  /** as rnnBackward; dcnext (B, H): ∂L/∂c_t from later → ∂L/∂c_{t−1}; dA (B, 4H) */
  lstmBackward(B: number, H: number, gates: Ptr, cprev: Ptr, tc: Ptr, dout: Ptr, ldo: number, dnext: Ptr, dcnext: Ptr, dA: Ptr): void;
  /** gi (B, 3H) W_ih x + b_ih → r, z, n in place; gh (B, 3H) W_hh h' + b_hh; hn (B, H) ← W_hn h' + b_hn; hout ← h_t */
  gruForward(B: number, H: number, gi: Ptr, gh: Ptr, hprev: Ptr, ldp: number, hn: Ptr, hout: Ptr, ldo: number): void;
  /** dout → total ∂L/∂h_t; dnext (B, H) → z ⊙ ∂h (the direct part of ∂L/∂h_{t−1}); dgi, dgh (B, 3H) */
  gruBackward(B: number, H: number, gates: Ptr, hn: Ptr, hprev: Ptr, ldp: number, dout: Ptr, ldo: number, dnext: Ptr, dgi: Ptr, dgh: Ptr): void;

  /**
   * A backend whose products run faster on a B packed once (wasm: the panels its products would
   * otherwise copy at every call): the recurrence's W_hh, the same at every step. The packed
   * product is bit-identical to gemmNN. Absent: the path passes W_hh as it is.
   */
  readonly packed?: PackedProducts;

  // ---- threads
  /**
   * A backend with a second thread: runs a layer's recurrence (./sweep.ts) with the batch's rows
   * shared between its threads, bit-identical to one thread, and returns true; or returns false
   * (too little work to pay for the hand-off) and the path runs it itself. Absent: never shared.
   */
  splitSweep?(job: SweepJob): boolean;

  // ---- loss and update
  /**
   * SLOT.loss ← L and dL_dy (N, Y) ← ∂L/∂ŷ from outputs (N, Y), as src/engine/loss.ts defines them.
   * @param target MSE (N, Y), cross-entropy (N) class ids; host data
   * @param mask (N) per-row weight, or null
   * @param staging where a backend that cannot read host data in a kernel (a GPU) uploads them:
   *   target (N·max(Y, 1)) and mask (N) floats
   */
  loss(kind: LossKind, outputs: Ptr, N: number, Y: number, B: number, dL_dy: Ptr, target: ArrayLike<number>, mask: ArrayLike<number> | null, staging: { target: Ptr; mask: Ptr }): void;
  /**
   * The update of θ (P) from ∂L/∂θ (P), given SLOT.loss and SLOT.sumsqBefore: nothing when either is
   * not finite (SLOT.applied ← 0); else clipping by `plan` (SLOT.clipped, SLOT.sumsqAfter), then
   * the optimizer with moments m, v (P each).
   */
  update(plan: UpdatePlan, P: number, theta: Ptr, grad: Ptr, m: Ptr, v: Ptr): void;

  /** The successor blocks' own kernels (src/train/successors/); a backend without them does not
   *  train those kinds, and `mixers.kinds` says which it does. */
  readonly mixers?: MixerKernels;
}

/** A mixer's tensors in the arena by their name after `layers.{l}.mixer.` (`nu_log`, …): (size) floats each. */
export type TensorPtrs = Record<string, { ptr: Ptr; size: number }>;

/**
 * What a successor block needs beyond products: its SiLU output gate, and its mixer over the whole
 * sequence (a recurrence, a scan, or attention), as src/engine/successors defines them. A mixer
 * may keep what its backward pass needs in `work` (mixerWork floats, laid out by the path) or, on
 * a CPU backend, by layer on its own side; the backward pass follows its layer's forward pass.
 */
export interface MixerKernels {
  /** the kinds these kernels run */
  readonly kinds: readonly SuccessorKind[];
  /** the kinds whose recurrence these kernels can also run as a parallel scan (`scan` below);
   *  absent: none, every recurrence is a loop */
  readonly scanKinds?: readonly SuccessorKind[];
  /** floats of arena workspace a mixer needs per layer for its backward pass */
  mixerWork(kind: SuccessorKind, dims: MixerDims): number;
  /** o (n) ← c ⊙ silu(s) */
  gateForward(n: number, c: Ptr, s: Ptr, o: Ptr): void;
  /** dC (n) ← ∂L/∂o ⊙ silu(s); dS (n) ← ∂L/∂o ⊙ c ⊙ silu'(s) */
  gateBackward(n: number, c: Ptr, s: Ptr, dO: Ptr, dC: Ptr, dS: Ptr): void;
  /** c (T, B, H) ← the mixer of layer `layer` over v (T, B, H); `truncation` detaches its state every k steps;
   *  `scan` ('parallel' only for a kind in scanKinds) how its recurrence runs */
  mixerForward(layer: number, kind: SuccessorKind, dims: MixerDims, truncation: number | null, tensors: TensorPtrs, v: Ptr, c: Ptr, work: Ptr, scan?: ScanMode): void;
  /** dV (T, B, H) ← ∂L/∂v from dC (T, B, H), and ∂L/∂θ of the mixer's tensors added into `grads` */
  mixerBackward(layer: number, kind: SuccessorKind, dims: MixerDims, truncation: number | null, tensors: TensorPtrs, grads: TensorPtrs, dC: Ptr, dV: Ptr, work: Ptr, scan?: ScanMode): void;
}
