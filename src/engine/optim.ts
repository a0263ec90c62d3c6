/**
 * Optimizers as PyTorch defines them (torch.optim.SGD, Adam, RMSprop), state kept per parameter.
 *   sgd:     v ← μ v + g (v₁ = g);  p ← p − lr v
 *   adam:    m ← β₁ m + (1−β₁) g;  v ← β₂ v + (1−β₂) g²;
 *            p ← p − lr · (m / (1−β₁ᵗ)) / (√(v / (1−β₂ᵗ)) + ε)
 *   rmsprop: v ← α v + (1−α) g²;  p ← p − lr g / (√v + ε)
 * The learning rate may change between steps (a live slider); the state carries over.
 */
import type { Params } from './model';
import { applyOptimizer, updatePlan } from './plan';

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
  const state = new Map<string, [Float64Array, Float64Array]>(); // per parameter: its two moment buffers
  let t = 0;
  const opt: Optimizer = {
    spec,
    get t() {
      return t;
    },
    step(params, grads) {
      t++;
      // read at each step: the learning rate can change while training; the constants come from the one plan
      const plan = updatePlan(opt.spec, null, t);
      for (const [name, p] of Object.entries(params)) {
        const w = p.data;
        let s = state.get(name);
        if (!s) state.set(name, (s = [new Float64Array(w.length), new Float64Array(w.length)]));
        applyOptimizer(plan, w, grads[name].data, s[0], s[1], 0, w.length);
      }
    },
  };
  return opt;
}
