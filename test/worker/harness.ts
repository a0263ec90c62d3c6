/** Drives a Trainer in Node as the worker would, with the page's side simulated. */
import { readFileSync } from 'node:fs';
import { createReferenceBackend } from '../../src/kernels/reference';
import type { BackendName, TrainingBackend } from '../../src/kernels/types';
import { DEFAULT_CONFIG, type PlaygroundConfig } from '../../src/worker/config';
import { modelOf } from '../../src/engine/anyModel';
import { saveAnyModel } from '../../src/engine/modelFile';
import { unpackParams, type FromWorker, type MetricFrame } from '../../src/worker/protocol';
import { Trainer } from '../../src/worker/trainer';

export type Factory = (name: BackendName) => Promise<TrainingBackend>;

export const referenceOnly: Factory = async (name) => {
  if (name !== 'reference') throw new Error(`${name} is not available in Node`);
  return createReferenceBackend();
};

export class Page {
  messages: FromWorker[] = [];
  trainer: Trainer;
  runId = 1;
  /** frames posted while an earlier frame was still unacknowledged (must stay 0) */
  overlaps = 0;
  private outstanding = false;

  constructor(factory: Factory = referenceOnly) {
    this.trainer = new Trainer({
      post: (m) => {
        if (m.type === 'frame') {
          if (this.outstanding) this.overlaps++;
          this.outstanding = true;
        }
        this.messages.push(m);
      },
      createBackend: factory,
      loadDefaultText: async () => readFileSync('public/text/kjv-genesis.txt', 'utf8'),
      now: () => performance.now(),
      yieldToEvents: () => new Promise((r) => setImmediate(r)),
    });
  }

  async configure(patch: Partial<PlaygroundConfig>, newRun = true): Promise<void> {
    if (newRun) this.runId++;
    await this.trainer.handle({ type: 'configure', runId: this.runId, config: { ...DEFAULT_CONFIG, ...patch } });
  }

  /** Acknowledges frames like a page drawing at 60 Hz would, until `step` updates are done. */
  async trainUntil(step: number, timeoutMs = 20_000): Promise<void> {
    await this.trainer.handle({ type: 'play' });
    const t0 = performance.now();
    while (this.lastStep() < step) {
      if (performance.now() - t0 > timeoutMs) throw new Error(`stuck at step ${this.lastStep()}`);
      await new Promise((r) => setTimeout(r, 5));
      this.ack();
      if (this.notices('diverged').length) break;
    }
    await this.trainer.handle({ type: 'pause' });
  }

  ack(): void {
    this.outstanding = false;
    void this.trainer.handle({ type: 'frameAck' });
  }

  frames(runId = this.runId): MetricFrame[] {
    return this.messages.filter((m): m is MetricFrame => m.type === 'frame' && m.runId === runId);
  }

  lastStep(): number {
    const s = this.messages.filter((m) => (m.type === 'status' || m.type === 'frame') && m.runId === this.runId);
    return s.length ? (s[s.length - 1] as { step: number }).step : 0;
  }

  losses(runId = this.runId): number[] {
    return this.frames(runId).flatMap((f) => Array.from(f.losses));
  }

  notices(code?: string) {
    return this.messages.filter((m) => m.type === 'notice' && (!code || m.code === code)) as Extract<FromWorker, { type: 'notice' }>[];
  }

  /** The model file of the current weights, as the page writes it from a `weights` message. */
  async save(): Promise<string> {
    const requestId = Math.floor(Math.random() * 1e9);
    await this.trainer.handle({ type: 'readWeights', requestId });
    const m = this.messages.find((x) => x.type === 'weights' && x.requestId === requestId);
    if (!m || m.type !== 'weights') throw new Error('no weights came back');
    const { spec } = m.weights;
    return JSON.stringify(saveAnyModel(modelOf(spec, unpackParams(spec, m.weights.params))));
  }
}
