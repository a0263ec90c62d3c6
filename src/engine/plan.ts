/**
 * The plan of a training step, made once here for every backend: where each parameter lives in
 * one flat block, and the numbers the update needs (the optimizer's constants with PyTorch's
 * defaults, Adam's bias correction for update t, the clipping rule). Kernels receive these numbers
 * and never read an OptimizerSpec or a ClipSpec themselves.
 */
import type { ClipSpec } from './clip';
import type { FloatBuffer } from './loss';
import { paramShapes, sizeOf, type ModelSpec } from './model';
import type { OptimizerSpec } from './optim';

/** Floats each tensor is aligned to in the flat block (a 64-byte cache line of float32). */
export const TENSOR_ALIGN = 16;

export interface TensorSlot {
  name: string;
  shape: number[];
  size: number;
  /** float offset from the start of the block (the same in θ, ∂L/∂θ and the moments) */
  offset: number;
}

export interface ParamLayout {
  tensors: TensorSlot[];
  /** floats in the block, padding included (padding stays zero, so norms and updates ignore it) */
  P: number;
}

/** Every parameter in state_dict order, each starting on an aligned float offset. */
export function paramLayout(spec: ModelSpec): ParamLayout {
  return paramLayoutOf(paramShapes(spec));
}

/** The block of any model's tensors (name and shape, in state_dict order), each aligned. */
export function paramLayoutOf(shapes: [string, number[]][]): ParamLayout {
  const tensors: TensorSlot[] = [];
  let P = 0;
  for (const [name, shape] of shapes) {
    const size = sizeOf(shape);
    tensors.push({ name, shape, size, offset: P });
    P += Math.ceil(size / TENSOR_ALIGN) * TENSOR_ALIGN;
  }
  return { tensors, P };
}

export const OPTIMIZER_KIND = { sgd: 0, adam: 1, rmsprop: 2 } as const;
export const CLIP_KIND = { none: 0, norm: 1, value: 2 } as const;

/** The numbers of update number t (from 1). */
export interface UpdatePlan {
  optimizer: (typeof OPTIMIZER_KIND)[keyof typeof OPTIMIZER_KIND];
  lr: number;
  /** SGD: momentum μ; Adam: β₁; RMSprop: α */
  c1: number;
  /** Adam: β₂ */
  c2: number;
  eps: number;
  /** Adam: 1 − β₁ᵗ */
  bc1: number;
  /** Adam: lr / (1 − β₁ᵗ) */
  stepSize: number;
  /** Adam: √(1 − β₂ᵗ) */
  sqrtBc2: number;
  /** SGD with momentum: the first update sets v = g */
  first: boolean;
  clip: (typeof CLIP_KIND)[keyof typeof CLIP_KIND];
  /** the clipping threshold (norm or value); +∞ without clipping */
  clipMax: number;
}

/** PyTorch's defaults: SGD μ = 0; Adam β = (0.9, 0.999), ε = 1e-8; RMSprop α = 0.99, ε = 1e-8. */
export function updatePlan(opt: OptimizerSpec, clip: ClipSpec, t: number): UpdatePlan {
  const clipPart = { clip: clip === null ? CLIP_KIND.none : CLIP_KIND[clip.kind], clipMax: clip === null ? Infinity : clip.max };
  const base = { ...clipPart, lr: opt.lr, c1: 0, c2: 0, eps: 0, bc1: 1, stepSize: 0, sqrtBc2: 1, first: t === 1 };
  if (opt.name === 'sgd') return { ...base, optimizer: OPTIMIZER_KIND.sgd, c1: opt.momentum ?? 0 };
  if (opt.name === 'adam') {
    const [b1, b2] = opt.betas ?? [0.9, 0.999];
    const bc1 = 1 - Math.pow(b1, t);
    return { ...base, optimizer: OPTIMIZER_KIND.adam, c1: b1, c2: b2, eps: opt.eps ?? 1e-8, bc1, stepSize: opt.lr / bc1, sqrtBc2: Math.sqrt(1 - Math.pow(b2, t)) };
  }
  return { ...base, optimizer: OPTIMIZER_KIND.rmsprop, c1: opt.alpha ?? 0.99, eps: opt.eps ?? 1e-8 };
}

/**
 * The optimizer's update of w[from, to) in float64, as torch.optim computes it (its order of
 * operations, so the reference matches PyTorch to the last bits):
 *   sgd:     v ← μ v + g (v₁ = g);  w ← w − lr v
 *   adam:    m ← β₁ m + (1−β₁) g;  v ← β₂ v + (1−β₂) g²;  w ← w − stepSize · m / (√v / √bc₂ + ε)
 *   rmsprop: v ← α v + (1−α) g²;  w ← w − lr g / (√v + ε)
 * @param m (P) Adam's first moment, or SGD's momentum buffer
 * @param v (P) the second moment (Adam, RMSprop)
 */
export function applyOptimizer(u: UpdatePlan, w: FloatBuffer, g: ArrayLike<number>, m: FloatBuffer, v: FloatBuffer, from: number, to: number): void {
  if (u.optimizer === OPTIMIZER_KIND.sgd) {
    const mu = u.c1;
    if (mu === 0) {
      for (let i = from; i < to; i++) w[i] -= u.lr * g[i];
      return;
    }
    for (let i = from; i < to; i++) {
      m[i] = u.first ? g[i] : mu * m[i] + g[i];
      w[i] -= u.lr * m[i];
    }
  } else if (u.optimizer === OPTIMIZER_KIND.adam) {
    const b1 = u.c1;
    const b2 = u.c2;
    for (let i = from; i < to; i++) {
      m[i] = b1 * m[i] + (1 - b1) * g[i];
      v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
      w[i] -= u.stepSize * (m[i] / (Math.sqrt(v[i]) / u.sqrtBc2 + u.eps));
    }
  } else {
    const alpha = u.c1;
    for (let i = from; i < to; i++) {
      v[i] = alpha * v[i] + (1 - alpha) * g[i] * g[i];
      w[i] -= (u.lr * g[i]) / (Math.sqrt(v[i]) + u.eps);
    }
  }
}

/** Norm clipping's factor, as torch.nn.utils.clip_grad_norm_: max / (‖g‖ + 1e-6), applied when < 1. */
export function normClipScale(max: number, norm: number): number {
  return max / (norm + 1e-6);
}
