/**
 * One run of a side-by-side comparison: its own training worker and its own curves, outside the
 * playground's store (the playground's panels show one run; a lesson may show two or three).
 */
import type { Analysis } from '../engine/analysis';
import type { TaskInfo } from '../engine/tasks';
import { History } from '../store/history';
import { TrainingClient } from '../worker/client';
import type { PlaygroundConfig } from '../worker/config';
import type { BackendInfo, FromWorker } from '../worker/protocol';
import { FiguresTracker } from './figuresTracker';

export class RunMonitor {
  readonly history = new History(2000);
  /** the figures the lesson's claims check, from what this run streams */
  readonly figures = new FiguresTracker();
  task: TaskInfo | null = null;
  backend: BackendInfo | null = null;
  hiddenGradNorms: Float64Array | null = null;
  analysis: Analysis | null = null;
  step = 0;
  playing = false;
  /** the divergence or crash message, when training stopped on its own */
  stopped: string | null = null;
  version = 0;
  private listeners = new Set<() => void>();
  private client: TrainingClient;
  private runId = 1;

  constructor(readonly config: PlaygroundConfig) {
    this.client = new TrainingClient(
      (m) => this.onMessage(m),
      (why) => {
        this.stopped = `The worker stopped: ${why}`;
        this.playing = false;
        this.changed();
      },
      (silentMs) => {
        // A worker that stopped answering is ended (the client did); this run starts over from
        // the seed in a fresh one and, since it was playing, goes on.
        const message = `This run stopped responding at step ${this.step} (no answer for ${Math.round(silentMs / 1000)} s); it was restarted from the seed.`;
        this.reset();
        this.stopped = message;
        this.play();
      },
    );
    this.client.send({ type: 'configure', runId: this.runId, config });
  }

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  getVersion = (): number => this.version;

  private changed(): void {
    this.version++;
    for (const fn of this.listeners) fn();
  }

  play(): void {
    this.client.send({ type: 'play' });
  }

  pause(): void {
    this.client.send({ type: 'pause' });
  }

  stepOnce(): void {
    this.client.send({ type: 'step' });
  }

  /** Starts over from the seed: a new run id (late frames of the old run are dropped), empty curves. */
  reset(): void {
    this.runId++;
    this.history.clear();
    this.figures.clear();
    this.hiddenGradNorms = null;
    this.analysis = null;
    this.step = 0;
    this.playing = false;
    this.stopped = null;
    this.client.send({ type: 'configure', runId: this.runId, config: this.config });
    this.changed();
  }

  dispose(): void {
    this.client.restart();
    this.listeners.clear();
  }

  private onMessage(m: FromWorker): void {
    if (m.type === 'model' || m.type === 'sample' || m.runId !== this.runId) return;
    this.figures.observe(m);
    if (m.type === 'frame') {
      this.history.pushFrame(m);
      this.step = m.step;
      this.hiddenGradNorms = m.hiddenGradNorms;
      this.analysis = m.analysis ?? this.analysis;
      requestAnimationFrame(() => setTimeout(() => this.client.send({ type: 'frameAck' }), 50));
    } else if (m.type === 'ready') {
      this.task = m.task;
      this.backend = m.backend;
    } else if (m.type === 'backend') this.backend = m.backend;
    else if (m.type === 'status') {
      this.playing = m.playing;
      this.step = m.step;
    } else if (m.type === 'notice' && (m.code === 'diverged' || m.code === 'worker-error')) this.stopped = m.message;
    this.changed();
  }
}
