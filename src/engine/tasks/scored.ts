/**
 * How many steps of each sequence the loss scores, so a loss summed over a sequence can be shown
 * per scored step: the unit the memoryless baselines are given in (nats per step, or ½·squared
 * error per scored output).
 */
import type { Batch } from '../batch';
import type { TaskInfo } from './types';

/** Steps scored per sequence in this batch: Σ mask / B, T for an unmasked every-step readout, 1 for a final-step one. */
export function scoredStepsPerSequence(batch: Batch, info: Pick<TaskInfo, 'readout'>): number {
  if (info.readout === 'final_step') return 1;
  if (!batch.mask) return batch.T;
  let s = 0;
  for (const m of batch.mask) s += m;
  return s / batch.B;
}
