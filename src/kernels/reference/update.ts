/**
 * The update in float64: the finite check, clipping as src/engine/clip.ts, then the optimizer as
 * the engine's own (applyOptimizer), on the flat θ / ∂L/∂θ blocks of the reference arena.
 */
import { applyOptimizer, CLIP_KIND, normClipScale, type UpdatePlan } from '../../engine/plan';
import { SLOT } from '../../train/kernels';
import { sumsq } from './rows';
import type { FloatArena } from './arena';

export function update(a: FloatArena, scalars: Float64Array, u: UpdatePlan, P: number, theta: number, grad: number, m1: number, m2: number): void {
  const before = scalars[SLOT.sumsqBefore];
  const applied = Number.isFinite(scalars[SLOT.loss]) && Number.isFinite(before);
  scalars[SLOT.applied] = applied ? 1 : 0;
  scalars[SLOT.clipped] = 0;
  scalars[SLOT.sumsqAfter] = before;
  if (!applied) return; // a diverged step leaves the weights as they were
  let clipped = false;
  if (u.clip === CLIP_KIND.norm) {
    const s = normClipScale(u.clipMax, Math.sqrt(before));
    if (s < 1) {
      clipped = true;
      for (let i = grad; i < grad + P; i++) a[i] *= s;
    }
  } else if (u.clip === CLIP_KIND.value) {
    for (let i = grad; i < grad + P; i++) {
      if (a[i] > u.clipMax) (a[i] = u.clipMax), (clipped = true);
      else if (a[i] < -u.clipMax) (a[i] = -u.clipMax), (clipped = true);
    }
  }
  if (clipped) {
    scalars[SLOT.clipped] = 1;
    scalars[SLOT.sumsqAfter] = sumsq(a, grad, P);
  }
  applyOptimizer(u, a.subarray(theta, theta + P), a.subarray(grad, grad + P), a.subarray(m1, m1 + P), a.subarray(m2, m2 + P), 0, P);
}
