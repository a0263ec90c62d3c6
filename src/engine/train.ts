/**
 * One training step: forward, loss, BPTT, clipping, update. What it returns is what the charts plot.
 */
import type { Batch } from './batch';
import { lossAndGradients, type GradientResult, type RunOptions } from './bptt';
import { clipGradients, type ClipResult, type ClipSpec } from './clip';
import type { Model, Params } from './model';
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
  return { ...result, ...applyUpdate(model, optimizer, result.loss, result.gradNorm, result.grads, opts.clip) };
}

/**
 * Clipping and the optimizer's update after a backward pass, skipped when the loss or the gradient
 * norm is not finite (the weights stay as they were).
 */
export function applyUpdate(model: Pick<Model, 'params'>, optimizer: Optimizer, loss: number, gradNorm: number, grads: Params, clipSpec: ClipSpec): { clip: ClipResult; applied: boolean } {
  const applied = Number.isFinite(loss) && Number.isFinite(gradNorm);
  const clip = applied ? clipGradients(grads, clipSpec) : { clipped: false, normBefore: gradNorm, normAfter: gradNorm };
  if (applied) optimizer.step(model.params, grads);
  return { clip, applied };
}
