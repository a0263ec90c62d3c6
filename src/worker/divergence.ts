/**
 * When training diverges: find what went non-finite and say what to try, in words a student can
 * act on.
 */
import type { Params } from '../engine/model';
import type { StepStats } from '../kernels/types';
import type { PlaygroundConfig } from './config';

/** The name of the first parameter holding a NaN or ±Infinity, or null. */
export function nonFiniteParam(params: Params): string | null {
  for (const [name, t] of Object.entries(params)) if (!t.data.every(Number.isFinite)) return name;
  return null;
}

export function explainDivergence(s: StepStats, step: number, c: PlaygroundConfig): string {
  const what = !Number.isFinite(s.loss) ? `the loss became ${s.loss}` : `the gradient norm became ${s.gradNormBefore}`;
  const tips: string[] = [];
  if (c.clip === 'off') tips.push('turn on norm clipping (c = 1)');
  else if (c.clipMax > 5) tips.push(`clip harder (c is ${c.clipMax})`);
  tips.push(`lower the learning rate (now ${c.learningRate})`);
  if (c.cell === 'rnn' && (c.init === 'gaussian' ? c.gain > 1 : c.spectralRadius > 1)) tips.push('start with a spectral radius ρ ≤ 1');
  if (c.cell === 'rnn' && c.nonlinearity !== 'tanh') tips.push('use tanh, which cannot grow without bound');
  return `Training stopped at step ${step + 1}: ${what}, so the update was not applied. The weights are those of step ${step}, the last finite ones. Try to ${tips.join(', or ')}; then press play.`;
}
