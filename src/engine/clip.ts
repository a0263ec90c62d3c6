/**
 * Gradient clipping, applied after the backward pass and before the optimizer, as PyTorch does it.
 *   norm:  g ← g · min(1, max / (‖g‖ + 1e-6))     (torch.nn.utils.clip_grad_norm_)
 *   value: g ← clamp(g, −max, max)                 (torch.nn.utils.clip_grad_value_)
 */
import { globalNorm } from './bptt';
import type { Params } from './model';
import { normClipScale } from './plan';

export type ClipSpec = { kind: 'norm'; max: number } | { kind: 'value'; max: number } | null;

export interface ClipResult {
  /** whether any gradient changed */
  clipped: boolean;
  /** global norm before clipping */
  normBefore: number;
  /** global norm after clipping: the size of the step the optimizer will see */
  normAfter: number;
}

/** Clips `grads` in place. */
export function clipGradients(grads: Params, clip: ClipSpec): ClipResult {
  const normBefore = globalNorm(grads);
  if (clip === null) return { clipped: false, normBefore, normAfter: normBefore };
  let clipped = false;
  if (clip.kind === 'norm') {
    const scale = normClipScale(clip.max, normBefore);
    if (scale < 1) {
      clipped = true;
      for (const t of Object.values(grads)) for (let i = 0; i < t.data.length; i++) t.data[i] *= scale;
    }
  } else {
    for (const t of Object.values(grads)) {
      const d = t.data;
      for (let i = 0; i < d.length; i++) {
        if (d[i] > clip.max) (d[i] = clip.max), (clipped = true);
        else if (d[i] < -clip.max) (d[i] = -clip.max), (clipped = true);
      }
    }
  }
  return { clipped, normBefore, normAfter: clipped ? globalNorm(grads) : normBefore };
}
