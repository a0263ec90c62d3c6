/**
 * Training curves kept outside React state (they grow every frame): bounded, so that a run of
 * hours keeps the page's memory flat. Past `capacity` points, every other point is dropped and
 * from then on only every 2nd (4th, 8th, ...) step is kept: the curve keeps its shape, the memory
 * stays put. Charts read `version` to know when to redraw.
 */
import type { MetricFrame } from '../worker/protocol';

/** step; L as trained; L per scored step (the baseline's unit); the metric; ‖g‖ before and after clipping; 1 where clipped;
 *  an encoder–decoder's free-running accuracy (NaN for every other task) */
export const SERIES = ['step', 'loss', 'lossPerStep', 'metric', 'gradBefore', 'gradAfter', 'clipped', 'freeRunning'] as const;
export type SeriesName = (typeof SERIES)[number];

export class History {
  readonly capacity: number;
  /** one Float64Array per series, the first `length` entries used */
  private data: Record<SeriesName, Float64Array>;
  length = 0;
  /** keep one point in `stride` steps */
  private stride = 1;
  private skipped = 0;
  /** steps where clipping happened, kept apart (they are rare and each matters) */
  clipSteps: number[] = [];
  version = 0;

  constructor(capacity = 4000) {
    this.capacity = capacity;
    this.data = Object.fromEntries(SERIES.map((s) => [s, new Float64Array(capacity)])) as Record<SeriesName, Float64Array>;
  }

  clear(): void {
    this.length = 0;
    this.stride = 1;
    this.skipped = 0;
    this.clipSteps = [];
    this.version++;
  }

  push(point: Record<SeriesName, number>): void {
    if (point.clipped && this.clipSteps.length < this.capacity) this.clipSteps.push(point.step);
    if (++this.skipped < this.stride) return;
    this.skipped = 0;
    if (this.length === this.capacity) this.halve();
    for (const s of SERIES) this.data[s][this.length] = point[s];
    this.length++;
    this.version++;
  }

  /** Every step a frame from the worker carries. */
  pushFrame(f: MetricFrame): void {
    for (let i = 0; i < f.losses.length; i++)
      this.push({ step: f.stepIndices[i], loss: f.losses[i], lossPerStep: f.lossesPerStep[i], metric: f.metrics[i], gradBefore: f.gradNormsBefore[i], gradAfter: f.gradNormsAfter[i], clipped: f.clipped[i], freeRunning: f.seq2seq?.freeRunning[i] ?? NaN });
  }

  private halve(): void {
    const half = Math.floor(this.length / 2);
    for (const s of SERIES) {
      const d = this.data[s];
      for (let i = 0; i < half; i++) d[i] = d[2 * i + 1];
    }
    this.length = half;
    this.stride *= 2;
    if (this.clipSteps.length > this.capacity / 2) this.clipSteps = this.clipSteps.filter((_, i) => i % 2 === 1);
  }

  /** Forgets the points after `step` (a run restarted from weights saved at that step). */
  dropAfter(step: number): void {
    const steps = this.data.step;
    let n = this.length;
    while (n > 0 && steps[n - 1] > step) n--;
    if (n === this.length) return;
    this.length = n;
    this.clipSteps = this.clipSteps.filter((s) => s <= step);
    this.version++;
  }

  /** A view of one series' used part (no copy). */
  series(name: SeriesName): Float64Array {
    return this.data[name].subarray(0, this.length);
  }
}

/** The last few ‖∂L/∂h_t‖ curves, newest last: the waterfall of the gradient-norm panel. */
export class Waterfall {
  curves: { step: number; norms: Float64Array }[] = [];
  version = 0;
  constructor(readonly depth = 12) {}
  clear(): void {
    this.curves = [];
    this.version++;
  }
  push(step: number, norms: Float64Array): void {
    if (!norms.length) return;
    this.curves.push({ step, norms });
    if (this.curves.length > this.depth) this.curves.shift();
    this.version++;
  }
}
