/**
 * When training diverges: find what went non-finite, say what happened in words a student can act
 * on, and offer what works: the changes that would have prevented it, each one a settings patch the
 * page can apply with one click, either restoring the weights of a few steps before the blow-up
 * (live changes only) or starting over from the seed.
 */
import type { Params } from '../engine/model';
import type { StepStats } from '../kernels/types';
import { LIVE_KEYS, type PlaygroundConfig } from './config';

/** The name of the first parameter holding a NaN or ±Infinity, or null. */
export function nonFiniteParam(params: Params): string | null {
  for (const [name, t] of Object.entries(params)) if (!t.data.every(Number.isFinite)) return name;
  return null;
}

/** One change that would have prevented the blow-up. */
export interface Advice {
  /** what it does, as the end of a sentence: "turn on norm clipping (c = 1)" */
  label: string;
  patch: Partial<PlaygroundConfig>;
  /** true when every key of the patch applies at the next step, so restored weights can keep training */
  live: boolean;
}

/** Where training stopped and what to do about it. */
export interface Divergence {
  /** the step whose update was refused (1-based, like the step counter after it) */
  step: number;
  message: string;
  advice: Advice[];
  /** the step whose weights a restore brings back (a few steps before the blow-up), or null */
  restoreStep: number | null;
}

/** The smallest learning rate the settings allow; advice never goes below it. */
const MIN_LR = 1e-5;

const advice = (label: string, patch: Partial<PlaygroundConfig>): Advice => ({ label, patch, live: Object.keys(patch).every((k) => LIVE_KEYS.has(k as keyof PlaygroundConfig)) });

/** The changes to offer, most effective first. */
export function adviceFor(c: PlaygroundConfig): Advice[] {
  const out: Advice[] = [];
  if (c.clip === 'off') out.push(advice('turn on norm clipping (c = 1)', { clip: 'norm', clipMax: 1 }));
  else if (c.clip === 'value' || c.clipMax > 1) out.push(advice(`clip the gradient norm at c = 1 (now ${c.clip === 'value' ? 'by value' : 'c = ' + c.clipMax})`, { clip: 'norm', clipMax: 1 }));
  const lr = Math.max(MIN_LR, Number((c.learningRate / 10).toPrecision(2)));
  if (lr < c.learningRate) out.push(advice(`lower the learning rate to ${lr} (now ${c.learningRate})`, { learningRate: lr }));
  if (c.cell === 'rnn' && (c.init === 'gaussian' ? c.gain > 1 : c.spectralRadius > 1))
    out.push(advice('start with a spectral radius ρ = 0.9', c.init === 'gaussian' ? { gain: 0.9 } : { spectralRadius: 0.9 }));
  if (c.cell === 'rnn' && c.nonlinearity !== 'tanh') out.push(advice('use tanh, which cannot grow without bound', { nonlinearity: 'tanh' }));
  return out;
}

/**
 * @param step updates done before the refused one
 * @param restoreStep the step of the weights a restore would bring back, or null when none are kept
 */
export function explainDivergence(s: StepStats, step: number, c: PlaygroundConfig, restoreStep: number | null): Divergence {
  const what = !Number.isFinite(s.loss) ? `the loss became ${s.loss}` : `the gradient norm became ${s.gradNormBefore}`;
  const offers = adviceFor(c);
  const live = offers.find((a) => a.live);
  const first = offers[0];
  const parts = [`Training stopped at step ${step + 1}: ${what}, so that update was not applied.`];
  if (restoreStep !== null && live) {
    parts.push(`To go on: restore the weights of step ${restoreStep}, from before the blow-up, and ${live.label}; or start over from the seed and ${first.label}.`);
  } else if (first) {
    parts.push(`To go on: start over from the seed and ${first.label}.`);
  }
  return { step: step + 1, message: parts.join(' '), advice: offers, restoreStep };
}
