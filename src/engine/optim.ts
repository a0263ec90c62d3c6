/**
 * Optimizers as PyTorch defines them (torch.optim.SGD, Adam, RMSprop), state kept per parameter.
 *   sgd:     v ← μ v + g (v₁ = g);  p ← p − lr v
 *   adam:    m ← β₁ m + (1−β₁) g;  v ← β₂ v + (1−β₂) g²;
 *            p ← p − lr · (m / (1−β₁ᵗ)) / (√(v / (1−β₂ᵗ)) + ε)
 *   rmsprop: v ← α v + (1−α) g²;  p ← p − lr g / (√v + ε)
 * The learning rate may change between steps (a live slider); the state carries over.
 */
import type { Params } from './model';

export type OptimizerSpec =
  | { name: 'sgd'; lr: number; momentum?: number }
  | { name: 'adam'; lr: number; betas?: [number, number]; eps?: number }
  | { name: 'rmsprop'; lr: number; alpha?: number; eps?: number };

export interface Optimizer {
  spec: OptimizerSpec;
  /** updates `params` in place from `grads` */
  step(params: Params, grads: Params): void;
  /** the number of updates made so far */
  readonly t: number;
}

export function makeOptimizer(spec: OptimizerSpec): Optimizer {
  const state = new Map<string, Float64Array[]>(); // per parameter: its moment buffers
  let t = 0;
  const buffers = (name: string, n: number, count: number): Float64Array[] => {
    let s = state.get(name);
    if (!s) state.set(name, (s = Array.from({ length: count }, () => new Float64Array(n))));
    return s;
  };
  const opt: Optimizer = {
    spec,
    get t() {
      return t;
    },
    step(params, grads) {
      t++;
      const s = opt.spec; // read at each step: the learning rate can change while training
      for (const [name, p] of Object.entries(params)) {
        const g = grads[name].data;
        const w = p.data;
        if (s.name === 'sgd') {
          const mu = s.momentum ?? 0;
          if (mu === 0) {
            for (let i = 0; i < w.length; i++) w[i] -= s.lr * g[i];
            continue;
          }
          const [v] = buffers(name, w.length, 1);
          for (let i = 0; i < w.length; i++) {
            v[i] = t === 1 ? g[i] : mu * v[i] + g[i];
            w[i] -= s.lr * v[i];
          }
        } else if (s.name === 'adam') {
          const [beta1, beta2] = s.betas ?? [0.9, 0.999];
          const eps = s.eps ?? 1e-8;
          const [m, v] = buffers(name, w.length, 2);
          const bc1 = 1 - Math.pow(beta1, t);
          const bc2 = 1 - Math.pow(beta2, t);
          for (let i = 0; i < w.length; i++) {
            m[i] = beta1 * m[i] + (1 - beta1) * g[i];
            v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
            // PyTorch's order of operations: denom = √v / √bc2 + ε; step = lr / bc1.
            w[i] -= (s.lr / bc1) * (m[i] / (Math.sqrt(v[i]) / Math.sqrt(bc2) + eps));
          }
        } else {
          const alpha = s.alpha ?? 0.99;
          const eps = s.eps ?? 1e-8;
          const [v] = buffers(name, w.length, 1);
          for (let i = 0; i < w.length; i++) {
            v[i] = alpha * v[i] + (1 - alpha) * g[i] * g[i];
            w[i] -= (s.lr * g[i]) / (Math.sqrt(v[i]) + eps);
          }
        }
      }
    },
  };
  return opt;
}
