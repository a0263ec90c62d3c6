/**
 * The worker's loop for sequence to sequence: an encoder–decoder (engine/seq2seq.ts) trained in the
 * float64 engine (engine/seq2seqTrain.ts) on reverse or sort, speaking the same protocol as the
 * Trainer (ready, status, frames acknowledged one at a time, notices), so the page's run controller
 * and the lesson runner drive it unchanged. Its frames carry the loss, the teacher-forced accuracy
 * (`metrics`) and the free-running accuracy of every step, the encoder's ‖∂L/∂h_s‖ per source step
 * (as `hiddenGradNorms`), and, for one example, what the panel
 * "Encoder → decoder" draws. The backends' kernels train plain stacks; this model is small (n ≤ 40
 * symbols, the settings' cost rule bounds H and B), so float64 in the worker keeps each step short.
 *
 * No DOM and no worker globals: everything outside comes through the TrainerHost, as for Trainer.
 */
import type { ModelSpec } from '../engine/model';
import { Rng } from '../engine/rng';
import { normsPerStep } from '../engine/stepNorms';
import { greedyDecode, initSeq2Seq, seq2seqLossAndGradients, type Seq2SeqModel } from '../engine/seq2seq';
import { freeRunning, Seq2SeqLearner, seq2seqParams } from '../engine/seq2seqTrain';
import { argmaxAt } from '../engine/tasks/common';
import { makeSeq2Seq, type Seq2SeqBatch, type Seq2SeqTask } from '../engine/tasks';
import { isSuccessorKind } from '../engine/successors/spec';
import { checkConfig } from '../settings/check';
import { seq2seqTaskSpecOf } from '../settings/specs';
import { clipSpecOf, DEFAULT_CONFIG, initSpecOf, optimizerSpecOf, type PlaygroundConfig } from './config';
import type { StepStats } from '../kernels/types';
import { FrameBuffer } from './frameBuffer';
import { packParams, type BackendInfo, type Seq2SeqExample, type ToWorker } from './protocol';
import { WorkerCrash, type TrainerHost } from './trainer';

/** What the Status panel shows as the backend: the engine itself. */
export const SEQ2SEQ_BACKEND: BackendInfo = { name: 'reference', description: 'float64 engine in the worker (encoder–decoder)', isSoftware: false };

export class Seq2SeqTrainer {
  private config: PlaygroundConfig = { ...DEFAULT_CONFIG };
  private runId = 0;
  private task: Seq2SeqTask | null = null;
  private model: Seq2SeqModel | null = null;
  private learner: Seq2SeqLearner | null = null;
  private dataRng = new Rng(1);
  private step = 0;
  private playing = false;
  private looping = false;
  private acked = true;
  private lock: Promise<unknown> = Promise.resolve();
  private frames = new FrameBuffer();
  /** one free-running accuracy per step since the last frame */
  private freeRunningSince: number[] = [];
  private lastBatch: Seq2SeqBatch | null = null;
  /** the latest applied step, for its ∂L/∂h_s per source step */
  private lastStats: StepStats | null = null;
  /** whether the weights moved since the example was last drawn */
  private exampleDirty = true;

  constructor(private readonly host: TrainerHost) {}

  handle(msg: ToWorker): Promise<void> {
    if (msg.type === 'frameAck') {
      this.acked = true;
      return Promise.resolve();
    }
    if (msg.type === 'pause') this.playing = false;
    const run = this.lock.then(() => this.dispatch(msg)).catch((e) => {
      if (e instanceof WorkerCrash) return this.host.crash?.(e);
      this.notice('error', 'worker-error', `Something went wrong in the worker: ${e instanceof Error ? e.message : String(e)}`);
    });
    this.lock = run;
    return run;
  }

  private async dispatch(msg: ToWorker): Promise<void> {
    switch (msg.type) {
      case 'configure': {
        const rebuild = !this.model || msg.runId !== this.runId;
        this.config = { ...msg.config };
        if (this.learner) {
          // live settings: the optimizer, its learning rate, clipping and the batch size
          this.learner.optimizer = optimizerSpecOf(this.config);
          this.learner.clip = clipSpecOf(this.config);
        }
        return rebuild ? this.rebuild(msg.runId) : undefined;
      }
      case 'reset':
        return this.rebuild(msg.runId);
      case 'play':
        this.playing = true;
        this.postStatus();
        void this.loop();
        return;
      case 'pause':
        this.playing = false;
        this.postStatus();
        this.sendFrame(true);
        return;
      case 'step':
        this.playing = false;
        this.trainOnce();
        this.postStatus();
        this.sendFrame(true);
        return;
      case 'analyze':
        return this.sendFrame(true);
      case 'readWeights':
        if (!this.model) return this.host.post({ type: 'requestFailed', requestId: msg.requestId, message: 'there are no weights yet: the run has not started' });
        return this.host.post({ type: 'weights', requestId: msg.requestId, runId: this.runId, step: this.step, weights: { spec: this.decoderSpec(), params: packParams(seq2seqParams(this.model)) } });
      case 'setWeights':
        return this.adopt(msg.runId, msg.weights.params.names, msg.weights.params.data, msg.atStep);
      case 'restore':
        return this.notice('info', 'live-change', 'The encoder–decoder refuses a step that is not finite and keeps its weights, so there is nothing to restore; press Play to go on.');
      case 'loadModel':
        return this.notice('error', 'bad-model-file', 'Model files hold one recurrent stack; an encoder–decoder cannot be loaded from one yet. Your current model is unchanged.');
      case 'setText':
        return;
      case 'sample':
        return this.host.post({ type: 'requestFailed', requestId: msg.requestId, message: 'only the character model generates text' });
      case 'measureCosts':
        return this.host.post({ type: 'requestFailed', requestId: msg.requestId, message: 'the cost measurement times the backends’ layers; the encoder–decoder trains in the float64 engine' });
      case 'simulateFault':
        if (msg.fault === 'crash') throw new WorkerCrash('simulated crash');
        if (msg.fault === 'hang') return this.host.hang?.();
        return; // no device to lose: the engine runs on the CPU
    }
  }

  private notice(level: 'info' | 'warning' | 'error', code: 'bad-config' | 'diverged' | 'live-change' | 'bad-model-file' | 'worker-error', message: string): void {
    this.host.post({ type: 'notice', runId: this.runId, level, code, message });
  }

  private postStatus(): void {
    this.host.post({ type: 'status', runId: this.runId, playing: this.playing, step: this.step });
  }

  /** The decoder's architecture: what the page's Status panel describes (the encoder's is the same, reading K inputs). */
  private decoderSpec(): ModelSpec {
    return { ...(this.model as Seq2SeqModel).decoder.spec };
  }

  private rebuild(runId: number): void {
    const built = this.build(runId);
    if (built) this.startRun(built.task, built.model, built.dataRng, 0);
  }

  /** A seeded task, model and data stream from the settings, or null (with a notice) when they cannot run. */
  private build(runId: number): { task: Seq2SeqTask; model: Seq2SeqModel; dataRng: Rng } | null {
    const c = this.config;
    this.runId = runId;
    this.playing = false;
    const problem = checkConfig(c) ?? (isSuccessorKind(c.cell) ? 'sequence to sequence runs an RNN, LSTM or GRU' : null);
    if (problem) {
      this.notice('error', 'bad-config', `These settings cannot make the encoder–decoder: ${problem}`);
      return null;
    }
    const task = makeSeq2Seq(seq2seqTaskSpecOf(c));
    const root = new Rng(c.seed);
    const model = initSeq2Seq(
      { cell: c.cell as ModelSpec['cell'], nonlinearity: c.nonlinearity, hiddenSize: c.hiddenSize, numLayers: c.numLayers, sourceSize: task.info.inputSize, decoderInputSize: task.info.decoderInputSize, attention: c.attention },
      initSpecOf(c),
      root.fork(1),
    );
    return { task, model, dataRng: root.fork(2) };
  }

  private startRun(task: Seq2SeqTask, model: Seq2SeqModel, dataRng: Rng, atStep: number): void {
    this.task = task;
    this.model = model;
    this.learner = new Seq2SeqLearner(model, optimizerSpecOf(this.config), clipSpecOf(this.config));
    this.dataRng = dataRng;
    this.step = atStep;
    this.frames.clear();
    this.freeRunningSince = [];
    this.lastStats = null;
    this.lastBatch = task.batch(this.dataRng, this.config.batchSize);
    this.exampleDirty = true;
    const params = Object.values(seq2seqParams(model)).reduce((n, t) => n + t.data.length, 0);
    this.host.post({ type: 'ready', runId: this.runId, task: task.info, model: this.decoderSpec(), parameterCount: params, backend: SEQ2SEQ_BACKEND, config: { ...this.config } });
    this.host.post({ type: 'backend', runId: this.runId, backend: SEQ2SEQ_BACKEND });
    this.postStatus();
    this.sendFrame(true);
  }

  /** Weights the page kept (a restart after a crash or a stall), if they are this model's. */
  private adopt(runId: number, names: string[], data: Float64Array, atStep: number): void {
    const built = this.build(runId);
    if (!built) return;
    const params = seq2seqParams(built.model);
    const expected = Object.keys(params);
    const size = Object.values(params).reduce((n, t) => n + t.data.length, 0);
    const fits = names.length === expected.length && names.every((n, i) => n === expected[i]) && data.length === size && data.every(Number.isFinite);
    if (fits) {
      let at = 0;
      for (const t of Object.values(params)) {
        t.data.set(data.subarray(at, at + t.data.length));
        at += t.data.length;
      }
    } else this.notice('error', 'worker-error', 'The saved weights do not fit this encoder–decoder; the run goes on from the seed.');
    this.startRun(built.task, built.model, built.dataRng, fits ? atStep : 0);
  }

  /** One step: free running on the batch (with the weights about to train), then the teacher-forced update. */
  private trainOnce(): void {
    if (!this.task || !this.learner || !this.model) return;
    const batch = this.step === 0 && this.lastBatch ? this.lastBatch : this.task.batch(this.dataRng, this.config.batchSize);
    const free = freeRunning(this.model, batch);
    const stats = this.learner.step(batch);
    this.lastBatch = batch;
    if (!stats.applied) {
      this.playing = false;
      this.notice('warning', 'diverged', `Step ${this.step + 1} was not finite (the loss became ${stats.loss}, the gradient norm ${stats.gradNormBefore}); the weights were left as they were. Lower the learning rate or turn on clipping, then press Play.`);
      return;
    }
    this.step++;
    const metric = this.task.metric(stats.result.outputs, batch);
    // The frame's ‖∂L/∂h_t‖ per step is the encoder's, per source step s.
    const asStats: StepStats = { ...stats, outputs: stats.result.outputs, hiddenGradNorms: normsPerStep(stats.result.encoderHiddenGrads, batch.Tsrc) };
    this.lastStats = asStats;
    this.frames.push(this.step, asStats, metric, batch.Ttgt, this.host.now());
    this.freeRunningSince.push(free.accuracy);
    this.exampleDirty = true;
  }

  private async loop(): Promise<void> {
    if (this.looping) return;
    this.looping = true;
    try {
      while (this.playing) {
        await this.handleExclusive(() => (this.playing ? this.trainOnce() : undefined));
        if (this.acked) this.sendFrame(false);
        await this.host.yieldToEvents();
      }
    } finally {
      this.looping = false;
    }
  }

  private handleExclusive(op: () => void): Promise<void> {
    const run = this.lock.then(op);
    this.lock = run.catch(() => undefined);
    return run;
  }

  private sendFrame(force: boolean): void {
    if (!this.model || !this.lastBatch || (!force && !this.acked)) return;
    const now = this.host.now();
    const example = this.exampleDirty ? exampleOf(this.model, this.lastBatch, this.step) : null;
    this.exampleDirty = false;
    const frame = this.frames.take(this.runId, this.step, this.lastStats, null, this.lastBatch.Tsrc, { snapshot: null, analysis: null, memory: null }, now);
    frame.seq2seq = { freeRunning: Float64Array.from(this.freeRunningSince), example };
    this.freeRunningSince = [];
    this.acked = false;
    this.host.post(frame);
  }
}

/** Example 0 of a batch through the model as it is now: both decodings, the handed-over state, α. */
export function exampleOf(m: Seq2SeqModel, batch: Seq2SeqBatch, step: number): Seq2SeqExample {
  const one = firstExample(batch);
  const { Tsrc, Ttgt } = one;
  const K = m.spec.sourceSize;
  const forced = seq2seqLossAndGradients(m, one);
  const free = greedyDecode(m, one.source, 1, Tsrc, Ttgt);
  const ids = (buf: ArrayLike<number>, n: number) => Int32Array.from({ length: n }, (_, i) => buf[i]);
  const handedOver = new Float32Array(m.spec.numLayers * m.spec.hiddenSize); // (L, H)
  forced.handedOver.forEach((h, l) => handedOver.set(h, l * m.spec.hiddenSize));
  return {
    step,
    source: Int32Array.from({ length: Tsrc }, (_, t) => argmaxAt(one.source, t * K, K)),
    target: ids(one.target, Ttgt),
    teacherForced: Int32Array.from({ length: Ttgt }, (_, t) => argmaxAt(forced.outputs, t * K, K)),
    freeRunning: ids(free.ids, Ttgt),
    handedOver,
    alpha: free.alpha ? Float32Array.from(free.alpha) : null,
  };
}

/** Example 0 of a (T, B, …) batch as a batch of one. */
function firstExample(b: Seq2SeqBatch): Seq2SeqBatch {
  const pick = (x: Float64Array, T: number, width: number) => {
    const out = new Float64Array(T * width); // (T, 1, width)
    for (let t = 0; t < T; t++) out.set(x.subarray(t * b.B * width, t * b.B * width + width), t * width);
    return out;
  };
  return { ...b, B: 1, source: pick(b.source, b.Tsrc, b.sourceSize), decoderInput: pick(b.decoderInput, b.Ttgt, b.decoderInputSize), target: pick(b.target, b.Ttgt, 1) };
}

