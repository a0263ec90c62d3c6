/**
 * The worker's Trainer driven without a page: one `step` message at a time, on a clock that
 * stands still, so it trains exactly what the page trains for the same settings (the same task
 * data, the same initial weights, the same updates) and never runs an analysis or a read-back
 * that was not asked for. The lesson runner and `npm run train` share it.
 *
 * No DOM and no Node API: the backends and the corpus come in through `HeadlessDeps`.
 */
import type { TaskInfo } from '../engine/tasks';
import type { AnyModelSpec } from '../engine/anyModel';
import type { BackendName, TrainingBackend } from '../kernels/types';
import type { BackendFactory } from './backends';
import type { PlaygroundConfig } from './config';
import type { FromWorker, MetricFrame, WeightsMessage } from './protocol';
import { Trainer } from './trainer';

export interface HeadlessDeps {
  createBackend: BackendFactory;
  /** the shipped corpus for the character model */
  loadDefaultText(): Promise<string>;
}

export class HeadlessRun {
  private requestId = 0;

  private constructor(
    /** everything the Trainer posted that the caller has not taken (frames, notices, weights) */
    readonly messages: FromWorker[],
    private readonly trainer: Trainer,
    readonly task: TaskInfo,
    readonly model: AnyModelSpec,
    readonly backend: BackendName,
  ) {}

  /**
   * Starts a run of `config`. Throws with the Trainer's own words when it refuses the settings,
   * and when the asked-for backend did not start (another would train different numbers).
   */
  static async start(config: PlaygroundConfig, deps: HeadlessDeps, wrap?: (b: TrainingBackend) => TrainingBackend): Promise<HeadlessRun> {
    const messages: FromWorker[] = [];
    const createBackend = async (name: BackendName): Promise<TrainingBackend> => {
      const inner = await deps.createBackend(name);
      return wrap ? wrap(inner) : inner;
    };
    const trainer = new Trainer({ post: (m) => messages.push(m), createBackend, loadDefaultText: deps.loadDefaultText, now: () => 0, yieldToEvents: async () => {} });
    await trainer.handle({ type: 'configure', runId: 1, config });
    const ready = messages.find((m) => m.type === 'ready');
    if (!ready || ready.type !== 'ready') {
      const why = messages.find((m) => m.type === 'notice');
      throw new Error(`the run did not start${why && why.type === 'notice' ? `: ${why.message}` : ''}`);
    }
    const used = messages.filter((m) => m.type === 'backend').pop();
    if (used?.type !== 'backend') throw new Error('no backend started');
    const backend = used.backend.name;
    if (config.backend !== 'auto' && backend !== config.backend) throw new Error(`the ${config.backend} backend did not start (${backend} ran instead)`);
    return new HeadlessRun(messages, trainer, ready.task, ready.model, backend);
  }

  /** One update; false when the run has diverged (the Trainer has paused and said so). */
  async step(): Promise<boolean> {
    await this.trainer.handle({ type: 'step' });
    return !this.diverged();
  }

  diverged(): boolean {
    return this.messages.some((m) => m.type === 'notice' && m.code === 'diverged');
  }

  /** The weights as they are now (taken out of `messages`). */
  async readWeights(): Promise<{ step: number; weights: WeightsMessage }> {
    const id = ++this.requestId;
    await this.trainer.handle({ type: 'readWeights', requestId: id });
    const i = this.messages.findIndex((x) => x.type === 'weights' && x.requestId === id);
    const m = i >= 0 ? this.messages.splice(i, 1)[0] : undefined;
    if (m?.type !== 'weights') throw new Error('the weights could not be read');
    return { step: m.step, weights: m.weights };
  }

  frames(): MetricFrame[] {
    return this.messages.filter((m): m is MetricFrame => m.type === 'frame');
  }
}
