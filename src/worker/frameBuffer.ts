/**
 * The per-step numbers collected between two frames (the worker may do many steps per frame), and
 * the steps-per-second estimate over a sliding window.
 */
import type { StepStats } from '../kernels/types';
import { normsPerStep } from '../engine/stepNorms';
import type { MetricFrame } from './protocol';

const RATE_WINDOW_MS = 2000;

export class FrameBuffer {
  private stepIndices: number[] = [];
  private losses: number[] = [];
  /** the loss per scored step: L over the steps each sequence scores */
  private lossesPerStep: number[] = [];
  private metrics: number[] = [];
  private before: number[] = [];
  private after: number[] = [];
  private clipped: number[] = [];
  /** times of recent steps, for steps/s */
  private times: number[] = [];

  clear(): void {
    this.startFrame();
    this.times = [];
  }

  /** Empties the per-step lists (the step-rate window carries over from frame to frame). */
  private startFrame(): void {
    this.stepIndices = [];
    this.losses = [];
    this.lossesPerStep = [];
    this.metrics = [];
    this.before = [];
    this.after = [];
    this.clipped = [];
  }

  /** @param scoredSteps steps each sequence of the batch scores (see scoredStepsPerSequence) */
  push(step: number, s: StepStats, metric: number, scoredSteps: number, now: number): void {
    this.stepIndices.push(step);
    this.losses.push(s.loss);
    this.lossesPerStep.push(s.loss / scoredSteps);
    this.metrics.push(metric);
    this.before.push(s.gradNormBefore);
    this.after.push(s.gradNormAfter);
    this.clipped.push(s.clipped ? 1 : 0);
    this.times.push(now);
    while (this.times.length > 2 && now - this.times[0] > RATE_WINDOW_MS) this.times.shift();
  }

  stepsPerSecond(now: number): number {
    const n = this.times.length;
    if (n < 2 || now - this.times[n - 1] > RATE_WINDOW_MS) return 0;
    return ((n - 1) * 1000) / (this.times[n - 1] - this.times[0] || 1);
  }

  /** Everything since the last frame, as a frame; the buffer starts over.
   *  @param input ∂L/∂x (T, B, D) of the latest step that computed it, and that step */
  take(runId: number, step: number, last: StepStats | null, input: { step: number; grads: Float64Array } | null, T: number, views: Pick<MetricFrame, 'snapshot' | 'analysis' | 'memory'>, now: number): MetricFrame {
    const frame: MetricFrame = {
      type: 'frame',
      runId,
      step,
      stepIndices: Float64Array.from(this.stepIndices),
      losses: Float64Array.from(this.losses),
      lossesPerStep: Float64Array.from(this.lossesPerStep),
      metrics: Float64Array.from(this.metrics),
      gradNormsBefore: Float64Array.from(this.before),
      gradNormsAfter: Float64Array.from(this.after),
      clipped: Uint8Array.from(this.clipped),
      stepsPerSecond: this.stepsPerSecond(now),
      hiddenGradNorms: last ? last.hiddenGradNorms : new Float64Array(T),
      inputGradNorms: input ? normsPerStep(input.grads, T) : new Float64Array(0),
      inputGradStep: input ? input.step : 0,
      ...views,
    };
    this.startFrame();
    return frame;
  }
}
