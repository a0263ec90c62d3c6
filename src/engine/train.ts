/**
 * One training step: forward, loss, BPTT, clipping, update. What it returns is what the charts plot.
 */
import type { Batch } from './batch';
import { lossAndGradients, type GradientResult, type RunOptions } from './bptt';
import { clipGradients, type ClipResult, type ClipSpec } from './clip';
import type { Model } from './model';
import type { Optimizer } from './optim';

export interface TrainOptions extends RunOptions {
  clip: ClipSpec;
}

export interface StepResult extends GradientResult {
  clip: ClipResult;
  /** false when the loss or a gradient was not finite: the weights were left untouched */
  applied: boolean;
}

/**
 * Updates `model.params` in place, unless the loss or the gradients are NaN or ±Infinity: a
 * diverged step must never poison the weights, so the caller can stop with the last finite model.
 */
export function trainStep(model: Model, optimizer: Optimizer, batch: Batch, opts: TrainOptions): StepResult {
  const result = lossAndGradients(model, batch, opts);
  const finite = Number.isFinite(result.loss) && Number.isFinite(result.gradNorm);
  const clip = finite ? clipGradients(result.grads, opts.clip) : { clipped: false, normBefore: result.gradNorm, normAfter: result.gradNorm };
  if (finite) optimizer.step(model.params, result.grads);
  return { ...result, clip, applied: finite };
}
