/**
 * A lesson's claims as data: each sentence the narration asserts, with a check on the run's
 * figures. Pure (no DOM, no worker, no Node), so the page, the tests and `npm run lesson` evaluate
 * the same checks on the same kind of numbers.
 */
import type { CostCurves } from '../engine/costs';

/** Which run the narration expects to work, and which to fail. */
export type Role = 'succeeds' | 'fails';

/** What one run of a lesson measured: the numbers the page shows and the command prints. */
export interface VariantFigures {
  label: string;
  role: Role;
  /** updates applied (fewer than asked when the run diverged) */
  steps: number;
  /** a step's loss or gradient was NaN/Inf and training stopped there */
  diverged: boolean;
  metric: {
    name: string;
    /** the metric averaged over the last 5 % of steps (NaN before the first step) */
    final: number;
    /** the best memoryless guess's score */
    baseline: number;
    higherIsBetter: boolean;
  };
  /** the loss per scored step (nats for cross-entropy, ½·squared error for MSE), averaged like the metric */
  loss: { final: number };
  /** ρ(W_hh) of a vanilla RNN's first layer; null for gated cells */
  spectralRadius: { start: number; end: number } | null;
  /** (T) ‖∂L/∂h_t‖ over the batch at the last step, each direction's state included */
  gradNormByStep: number[];
  /** (T) ‖∂L/∂x_t‖ over the batch, the gradient that reaches each input, at the last step that
   *  computed it (the page's dashed curve); empty before the first step */
  inputGradNorms: number[];
  /** per-step histories, for claims that must hold throughout */
  history: {
    /** (steps) the metric of every step */
    metric: number[];
    /** (steps) the loss per scored step of every step */
    loss: number[];
    /** ρ(W_hh) sampled along the run, first = start, last = end; null for gated cells */
    spectralRadius: number[] | null;
    /** (steps) the update each point of `metric` and `loss` follows (1 for the first); the page
     *  keeps every 2nd, 4th, … step of a long run, so a point's index is not its step */
    step: number[];
  };
  /** singular values of J_t = ∂s_t/∂s_{t−1} before training, per analysed step (descending), or null */
  initialJacobianSingularValues: number[][] | null;
  /** every kind of layer at this run's settings, in closed form against T (engine/costs.ts) */
  costs?: CostCurves;
}

export interface LessonFigures {
  variants: VariantFigures[];
}

export interface Claim {
  /** the sentence, as the page and the command print it */
  text: string;
  check(figures: LessonFigures): boolean;
}

export interface ClaimResult {
  text: string;
  holds: boolean;
}

/** Every claim evaluated; a check that throws (a missing variant, say) does not hold. */
export function evaluateClaims(claims: readonly Claim[], figures: LessonFigures): ClaimResult[] {
  return claims.map((c) => {
    let holds = false;
    try {
      holds = c.check(figures) === true;
    } catch {
      holds = false;
    }
    return { text: c.text, holds };
  });
}

/** The share of the last steps that `final` averages over. */
export const FINAL_FRACTION = 0.05;

/** The mean of the last 5 % of a per-step history (at least one step); NaN when it is empty. */
export function finalAverage(history: readonly number[]): number {
  if (history.length === 0) return NaN;
  const n = Math.max(1, Math.round(history.length * FINAL_FRACTION));
  let s = 0;
  for (let i = history.length - n; i < history.length; i++) s += history[i];
  return s / n;
}

/**
 * A history smoothed by a trailing mean over `window` steps, from the first full window on: what
 * "throughout" claims look at, since a single batch's metric is noisy.
 */
export function trailingMeans(history: readonly number[], window: number): number[] {
  const out: number[] = [];
  let s = 0;
  for (let i = 0; i < history.length; i++) {
    s += history[i];
    if (i >= window) s -= history[i - window];
    if (i >= window - 1) out.push(s / window);
  }
  return out;
}

/** The variant with this label (throws when there is none, so the claim does not hold). */
export function variant(f: LessonFigures, label: string): VariantFigures {
  const v = f.variants.find((x) => x.label === label);
  if (!v) throw new Error(`no variant "${label}"`);
  return v;
}

/** The only variant of a single-run lesson, or the first. */
export function only(f: LessonFigures): VariantFigures {
  if (!f.variants.length) throw new Error('no variants');
  return f.variants[0];
}

/** A run's metric up to and including update `n`: what a claim about a lesson's first n steps reads. */
export function metricUpTo(v: VariantFigures, n: number): number[] {
  return v.history.metric.filter((_, i) => v.history.step[i] <= n);
}

/** The largest over the smallest of a list of positive numbers. */
export function spread(values: readonly number[]): number {
  return Math.max(...values) / Math.min(...values);
}
