/**
 * The training loop that runs inside the worker: builds the task and model from the settings,
 * trains on the chosen backend, streams metric frames (at most one per animation frame: the page
 * acknowledges each before the next is sent), pauses on divergence with the last finite weights,
 * and hands over to another backend when one fails, without losing a step or a setting.
 *
 * No DOM and no worker globals: everything outside comes through `TrainerHost`, so Node tests
 * drive it directly.
 */
import type { Batch } from '../engine/batch';
import type { RecurrentState } from '../engine/bptt';
import { anyParameterCount, cloneAnyModel, initAnyModel, isSuccessorModel, modelOf, type AnyModel } from '../engine/anyModel';
import type { Model } from '../engine/model';
import { loadAnyModel } from '../engine/modelFile';
import { Rng } from '../engine/rng';
import { sampleText } from '../engine/sample';
import { makeTask, scoredStepsPerSequence, validateUserText, type CharLmTask, type Task, type TaskStream } from '../engine/tasks';
import type { BackendName, StepStats, TrainingBackend } from '../kernels/types';
import { chooseBackend, FALLBACK_CHAIN, type BackendFactory } from './backends';
import { clipSpecOf, DEFAULT_CONFIG, initSpecOf, modelSpecOf, optimizerSpecOf, taskSpecOf, truncationOf, type PlaygroundConfig } from './config';
import { explainDivergence, nonFiniteParam } from './divergence';
import { FrameBuffer } from './frameBuffer';
import { packParams, unpackParams, type FromWorker, type NoticeCode, type ToWorker, type WeightsMessage } from './protocol';
import { budgetedAnalysis, exampleSnapshot, sliceInputs } from './view';
import { measureCosts } from './costs';
import { successorMemory } from '../engine/successors/memory';

/** An error the worker must not survive (a test's simulated crash): it escapes the handler. */
export class WorkerCrash extends Error {}

export interface TrainerHost {
  post(msg: FromWorker): void;
  createBackend: BackendFactory;
  /** the shipped corpus for the character model */
  loadDefaultText(): Promise<string>;
  now(): number;
  /** lets queued messages (pause, a slider) in between two steps */
  yieldToEvents(): Promise<void>;
  /** ends the worker with an uncaught error (fault injection) */
  crash?(e: Error): void;
  /** never returns (fault injection: what the page's watchdog must catch) */
  hang?(): void;
}

/** Weights are read back from the backend this often while training (for the view and handover). */
const SNAPSHOT_MS = 250;
const ANALYSIS_BUDGET_MS = 300;
/** The cost measurement's budget: well inside the page's 30 s watchdog, whatever the machine. */
const COST_BUDGET_MS = 8000;
/** Finite weights kept for a restore after divergence: the run's start and the latest read-backs. */
const CHECKPOINTS = 6;
/** A restore goes back at least this many steps before the blow-up, when a checkpoint that old exists. */
const RESTORE_BACKOFF = 5;

export class Trainer {
  private config: PlaygroundConfig = { ...DEFAULT_CONFIG };
  private runId = 0;
  private task: Task | null = null;
  private stream: TaskStream | null = null;
  private carried: RecurrentState | null = null;
  /** the latest weights read back from the backend: the view's model and the handover point */
  private model: AnyModel | null = null;
  private backend: TrainingBackend | null = null;
  private failed = new Set<BackendName>();
  private lostReason: string | null = null;
  private dataRng = new Rng(1);
  private step = 0;
  private playing = false;
  private looping = false;
  private lock: Promise<unknown> = Promise.resolve();
  private frames = new FrameBuffer();
  /** ∂L/∂x (T, B, D) of the latest step that computed it, and that step's number */
  private inputGrads: { step: number; grads: Float64Array } | null = null;
  /** whether no step since the last frame computed ∂L/∂x */
  private inputGradsDue = true;
  private acked = true;
  private lastBatch: Batch | null = null;
  private lastStats: StepStats | null = null;
  /** batches trained since `model` was read back: replayed on a new backend after a failure */
  private sinceSnapshot: Batch[] = [];
  private snapshotAt = -Infinity;
  /** (step, finite weights) oldest first: where a restore after divergence can go back to */
  private checkpoints: { step: number; model: AnyModel }[] = [];
  private viewDirty = true;
  private viewAt = -Infinity;
  private viewCost = 0;
  private analysisAt = -Infinity;
  private analysisCost = 0;
  private analysisRequested = true;
  private userText: string | null = null;
  /** its own stream, so sampling never changes the training data */
  private sampleRng = new Rng(0x5eed);
  private defaultText: string | null = null;

  constructor(private readonly host: TrainerHost) {}

  /** Every message goes through here; operations run one at a time, never inside a step. */
  handle(msg: ToWorker): Promise<void> {
    if (msg.type === 'frameAck') {
      this.acked = true;
      return Promise.resolve();
    }
    if (msg.type === 'pause') this.playing = false; // at once, so the loop stops after this step
    return this.exclusive(() => this.dispatch(msg));
  }

  private exclusive(op: () => Promise<void>): Promise<void> {
    const run = this.lock.then(op).catch((e) => {
      if (e instanceof WorkerCrash) return this.host.crash?.(e);
      this.notice('error', 'worker-error', `Something went wrong in the worker: ${e instanceof Error ? e.message : String(e)}`);
    });
    this.lock = run;
    return run;
  }

  private async dispatch(msg: ToWorker): Promise<void> {
    switch (msg.type) {
      case 'configure':
        return this.configure(msg.runId, msg.config);
      case 'setText':
        return this.setText(msg.runId, msg.text);
      case 'reset':
        return this.rebuild(msg.runId);
      case 'play':
        this.playing = true;
        this.postStatus();
        void this.loop();
        return;
      case 'pause':
        this.playing = false; // again: a restore queued before this pause may have started playing
        this.postStatus();
        this.sendFrame(true);
        return;
      case 'step':
        this.playing = false;
        await this.trainOnce(true);
        this.postStatus();
        this.sendFrame(true);
        return;
      case 'analyze':
        this.analysisRequested = true;
        this.sendFrame(true);
        return;
      case 'readWeights':
        return this.answering(msg.requestId, () => this.readWeights(msg.requestId));
      case 'loadModel':
        return this.load(msg.runId, msg.text);
      case 'setWeights':
        return this.setWeights(msg.runId, msg.weights, msg.atStep);
      case 'restore':
        return this.restore(msg.runId, msg.fromStep, msg.config);
      case 'sample':
        return this.answering(msg.requestId, () => this.sample(msg.requestId, msg.prompt, msg.length, msg.temperature));
      case 'measureCosts':
        return this.answering(msg.requestId, () => this.measureCosts(msg.requestId));
      case 'simulateFault':
        if (msg.fault === 'crash') throw new WorkerCrash('simulated crash');
        if (msg.fault === 'hang') return this.host.hang?.();
        if (this.backend?.simulateDeviceLoss) this.backend.simulateDeviceLoss();
        else this.lostReason = `device loss simulated on ${this.backend?.name ?? 'no backend'}`;
        return;
    }
  }

  /** Runs a request; one that throws is still answered (the page's promise must not wait forever),
   *  and the error goes on to the worker-error notice. */
  private async answering(requestId: number, op: () => Promise<void>): Promise<void> {
    try {
      await op();
    } catch (e) {
      if (!(e instanceof WorkerCrash)) this.host.post({ type: 'requestFailed', requestId, message: e instanceof Error ? e.message : String(e) });
      throw e;
    }
  }

  /** The latest weights, as a copy in one buffer that moves to the page (the trainer keeps its own). */
  private async readWeights(requestId: number): Promise<void> {
    if (!this.model) return this.host.post({ type: 'requestFailed', requestId, message: 'there are no weights yet: the run has not started' });
    await this.refreshWeights();
    const model = this.current();
    this.host.post({ type: 'weights', requestId, runId: this.runId, step: this.step, weights: { spec: { ...model.spec }, params: packParams(model.params) } });
  }

  private forgetInputGrads(): void {
    this.inputGrads = null;
    this.inputGradsDue = true;
  }

  private current(): AnyModel {
    if (!this.model) throw new Error('no model yet: configure first');
    return this.model;
  }

  private notice(level: 'info' | 'warning' | 'error', code: NoticeCode, message: string): void {
    this.host.post({ type: 'notice', runId: this.runId, level, code, message });
  }

  private postStatus(): void {
    this.host.post({ type: 'status', runId: this.runId, playing: this.playing, step: this.step });
  }

  private async configure(runId: number, next: PlaygroundConfig): Promise<void> {
    const prev = this.config;
    // The page decides what restarts (settings/table.ts resetKeys, in RunController.apply): a new
    // run id means a new run; the same run id carries live changes only.
    const needsReset = !this.model || runId !== this.runId;
    this.config = { ...next };
    if (needsReset) return this.rebuild(runId);
    if (prev.batchSize !== next.batchSize) this.stream = null; // new streams of the new width
    if (prev.backend !== next.backend) {
      await this.refreshWeights();
      await this.selectBackend(`You chose ${next.backend}.`);
    }
  }

  private async corpus(): Promise<string> {
    if (this.userText) return this.userText;
    this.defaultText ??= await this.host.loadDefaultText();
    return this.defaultText;
  }

  /** A new run from the settings: task, seeded weights and data, backend. */
  private async rebuild(runId: number): Promise<void> {
    const c = this.config;
    let task: Task;
    try {
      task = makeTask(taskSpecOf(c, c.task === 'char_lm' ? await this.corpus() : ''));
    } catch (e) {
      this.notice('error', 'bad-config', `These settings cannot make the task: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    const root = new Rng(c.seed);
    const model = initAnyModel(modelSpecOf(c, task.info), initSpecOf(c), root.fork(1));
    this.startRun(runId, task, model, root.fork(2));
    await this.selectBackend(null);
    this.announce();
  }

  private startRun(runId: number, task: Task, model: AnyModel, dataRng: Rng): void {
    this.runId = runId;
    this.task = task;
    this.model = model;
    this.dataRng = dataRng;
    this.stream = null;
    this.carried = null;
    this.step = 0;
    this.playing = false;
    this.frames.clear();
    this.forgetInputGrads();
    this.sinceSnapshot = [];
    this.checkpoints = [{ step: 0, model: cloneAnyModel(model) }];
    this.lastStats = null;
    this.lastBatch = this.nextBatch();
    this.viewDirty = true;
    this.analysisRequested = true;
  }

  private announce(): void {
    const model = this.current();
    const backend = this.backend as TrainingBackend;
    this.host.post({
      type: 'ready',
      runId: this.runId,
      task: (this.task as Task).info,
      model: model.spec,
      parameterCount: anyParameterCount(model.spec),
      backend: { name: backend.name, description: backend.description, isSoftware: backend.isSoftware },
      config: { ...this.config },
    });
    this.postStatus();
    this.sendFrame(true);
  }

  private runOptions() {
    const info = (this.task as Task).info;
    return {
      loss: info.loss,
      readout: info.readout,
      truncation: truncationOf(this.config),
      scan: this.config.recurrence,
      initialState: this.stream ? this.carried : null,
      clip: clipSpecOf(this.config),
      optimizer: optimizerSpecOf(this.config),
      // The charts take ‖∂L/∂h_t‖ per t (StepStats.hiddenGradNorms), never h_t or ∂L/∂h_t themselves.
      hiddenReads: false,
    };
  }

  private nextBatch(): Batch {
    const task = this.task as Task;
    if (task.stream) {
      if (!this.stream) {
        this.stream = task.stream(this.dataRng, this.config.batchSize);
        this.carried = null;
      }
      return this.stream.next();
    }
    return task.batch(this.dataRng, this.config.batchSize);
  }

  /** Picks a backend for the current model (auto, forced, or the next after a failure). */
  private async selectBackend(reason: string | null): Promise<void> {
    const model = this.current();
    const old = this.backend;
    const probe = this.lastBatch ?? this.nextBatch();
    const { initialState: _ignored, clip: _c, optimizer: _o, ...opts } = this.runOptions();
    const chosen = await chooseBackend(this.config.backend, this.host.createBackend, model, probe, opts, () => this.host.now(), this.failed);
    if (old && old !== chosen.backend) old.dispose();
    this.backend = chosen.backend;
    this.lostReason = null;
    chosen.backend.onDeviceLost?.((why) => {
      if (this.backend === chosen.backend) this.lostReason = why;
    });
    this.host.post({ type: 'backend', runId: this.runId, backend: { name: chosen.backend.name, description: chosen.backend.description, isSoftware: chosen.backend.isSoftware } });
    if (reason || chosen.notes.length) this.notice('info', 'fallback', [reason, ...chosen.notes.map((n) => `${n}.`)].filter(Boolean).join(' '));
  }

  /** After a backend failed: the next one continues from the last weights read back, and the
   *  batches trained since then are replayed, so no step is lost. */
  private async handOver(why: string): Promise<void> {
    const failed = (this.backend as TrainingBackend).name;
    this.failed.add(failed);
    const next = FALLBACK_CHAIN.find((n) => !this.failed.has(n)) ?? 'reference';
    const keepChoice = this.config.backend;
    this.config.backend = this.config.backend === 'auto' ? 'auto' : next;
    await this.selectBackend(`${failed} stopped (${why}); training continues on the next backend from the same weights, replaying ${this.sinceSnapshot.length} step(s).`);
    this.config.backend = keepChoice;
    const backend = this.backend as TrainingBackend;
    for (const batch of this.sinceSnapshot) await backend.trainStep(batch, { ...this.runOptions(), initialState: null });
  }

  /** One training step; `framed`: a frame follows it for sure (the Step button). */
  private async trainOnce(framed = false): Promise<void> {
    if (!this.task || !this.backend) return;
    // ∂L/∂x costs one more product, so only the steps a frame may show compute it: one the page
    // has acknowledged the last frame before (the frame goes right after it), and the first after
    // a frame (in case the acknowledgement arrives while a step runs).
    const inputGrads = framed || this.acked || this.inputGradsDue;
    if (this.lostReason) await this.handOver(this.lostReason);
    const batch = this.lastStats ? this.nextBatch() : (this.lastBatch as Batch);
    let stats: StepStats;
    try {
      stats = await (this.backend as TrainingBackend).trainStep(batch, { ...this.runOptions(), inputGrads });
    } catch (e) {
      await this.handOver(this.lostReason ?? (e instanceof Error ? e.message : String(e)));
      stats = await (this.backend as TrainingBackend).trainStep(batch, { ...this.runOptions(), inputGrads });
    }
    this.lastBatch = batch;
    this.lastStats = stats;
    if (!stats.applied) return this.diverged(stats);
    this.step++;
    if (stats.inputGrads) {
      this.inputGrads = { step: this.step, grads: stats.inputGrads };
      this.inputGradsDue = false;
    }
    this.sinceSnapshot.push(batch);
    this.carried = stats.finalState ?? null;
    const task = this.task;
    this.frames.push(this.step, stats, task.metric(stats.outputs, batch), scoredStepsPerSequence(batch, task.info), this.host.now());
    if (this.host.now() - this.snapshotAt > SNAPSHOT_MS) await this.refreshWeights();
  }

  /** Reads the backend's weights into `model` (the view's and the handover's copy). */
  private async refreshWeights(): Promise<void> {
    if (!this.backend || !this.model) return;
    const params = await this.backend.readParams();
    if (nonFiniteParam(params)) return; // keep the last finite copy
    this.model = { ...this.model, params };
    this.keepCheckpoint();
    this.sinceSnapshot = [];
    this.snapshotAt = this.host.now();
    this.viewDirty = true;
  }

  /** Keeps the read-back weights as a checkpoint: the run's first one always, then the newest few. */
  private keepCheckpoint(): void {
    const model = this.current();
    const last = this.checkpoints[this.checkpoints.length - 1];
    if (last && last.step === this.step) return;
    this.checkpoints.push({ step: this.step, model: cloneAnyModel(model) });
    if (this.checkpoints.length > CHECKPOINTS) this.checkpoints.splice(1, 1);
  }

  /** The checkpoint a restore goes back to: the newest at least RESTORE_BACKOFF steps before the
   *  blow-up (the weights grow before they overflow), else the oldest. */
  private restorePoint(): { step: number; model: AnyModel } | null {
    const before = this.checkpoints.filter((c) => c.step <= this.step - RESTORE_BACKOFF);
    return before[before.length - 1] ?? this.checkpoints[0] ?? null;
  }

  private async diverged(stats: StepStats): Promise<void> {
    this.playing = false;
    // The step was not applied; if an earlier step already left non-finite weights, go back to
    // the last finite copy.
    const params = await (this.backend as TrainingBackend).readParams();
    if (nonFiniteParam(params)) await (this.backend as TrainingBackend).setModel(this.current());
    const d = explainDivergence(stats, this.step, this.config, this.restorePoint()?.step ?? null);
    this.host.post({ type: 'diverged', runId: this.runId, ...d });
    this.notice('warning', 'diverged', d.message); // for readers of notices (lesson runs, tests)
    this.postStatus();
    this.sendFrame(true);
  }

  /** After a divergence: the weights of a checkpoint, the page's (live) settings, and on. */
  private async restore(runId: number, fromStep: number, config: PlaygroundConfig): Promise<void> {
    if (runId !== this.runId || !this.backend) return;
    const point = this.checkpoints.find((c) => c.step === fromStep);
    if (!point) return this.notice('error', 'worker-error', `The weights of step ${fromStep} are no longer kept; start over from the seed instead.`);
    this.config = { ...config };
    this.model = cloneAnyModel(point.model);
    await this.backend.setModel(this.model); // also resets the optimizer's moments, which may hold the blow-up
    this.checkpoints = this.checkpoints.filter((c) => c.step <= fromStep);
    this.forgetInputGrads(); // they belong to the abandoned steps
    this.sinceSnapshot = [];
    this.snapshotAt = this.host.now();
    this.lastStats = null;
    this.viewDirty = true;
    this.analysisRequested = true;
    this.notice('info', 'live-change', `Restored the weights of step ${fromStep}; training goes on from them with the new settings (the step counter keeps counting).`);
    this.playing = true;
    this.postStatus();
    void this.loop();
  }

  private async loop(): Promise<void> {
    if (this.looping) return;
    this.looping = true;
    try {
      while (this.playing) {
        // A pause queued meanwhile wins: not one more step after it.
        await this.exclusive(() => (this.playing ? this.trainOnce() : Promise.resolve()));
        if (this.acked) this.sendFrame(false);
        await this.host.yieldToEvents();
      }
    } finally {
      this.looping = false;
    }
  }

  /** Sends what accumulated since the last frame, the example view when the weights moved, and
   *  the analysis when it is due (never more than a fifth of the time, at most once a second). */
  private sendFrame(force: boolean): void {
    if (!this.model || !this.task || !this.lastBatch || (!force && !this.acked)) return;
    const now = this.host.now();
    const opts = this.runOptions();
    // The example view costs a float64 forward pass: on a large model, redrawn only as often as
    // four times its cost allows, so it never takes more than a fifth of the worker's time.
    let snapshot = null;
    if (this.viewDirty && (force || now - this.viewAt > 4 * this.viewCost)) {
      // The example view and the analysis are the RNN's (unrolled cells, W_hh, J_t); a successor
      // block shows its own quantities in its panels, not these.
      if (!isSuccessorModel(this.model)) snapshot = exampleSnapshot(this.model, this.lastBatch, opts);
      this.viewAt = this.host.now();
      this.viewCost = this.viewAt - now;
      this.viewDirty = false;
    }
    let analysis = null;
    let memory = null;
    if (this.analysisRequested || now - this.analysisAt > Math.max(1000, 4 * this.analysisCost)) {
      if (isSuccessorModel(this.model)) memory = successorMemory(this.model, sliceInputs(this.lastBatch, 0, 1), this.lastBatch.T);
      else analysis = budgetedAnalysis(this.model, this.lastBatch, opts, ANALYSIS_BUDGET_MS);
      this.analysisAt = this.host.now();
      this.analysisCost = this.analysisAt - now;
      this.analysisRequested = false;
    }
    const frame = this.frames.take(this.runId, this.step, this.lastStats, this.inputGrads, this.lastBatch.T, { snapshot, analysis, memory }, now);
    this.inputGradsDue = true;
    this.acked = false;
    this.host.post(frame);
  }

  /** Generated text from the latest weights: the engine's sampler, one character at a time. */
  private async sample(requestId: number, prompt: string, length: number, temperature: number): Promise<void> {
    const task = this.task as CharLmTask | null;
    if (!task || !('decode' in task) || !this.model) return this.host.post({ type: 'requestFailed', requestId, message: 'only the character model generates text' });
    if (isSuccessorModel(this.model)) return this.host.post({ type: 'requestFailed', requestId, message: `generating text runs the RNN cells only so far, not ${this.model.spec.cell}` });
    await this.refreshWeights();
    const n = Math.max(1, Math.min(2000, Math.floor(length)));
    const text = sampleText(this.current() as Model, task, prompt.slice(-200), n, Math.max(0, temperature), this.sampleRng);
    this.host.post({ type: 'sample', requestId, text, step: this.step });
  }

  /** The trade-offs on this machine (costs.ts): training pauses first, so the timings are the step's alone. */
  private async measureCosts(requestId: number): Promise<void> {
    if (!this.backend) return this.host.post({ type: 'requestFailed', requestId, message: 'there is no backend yet: the run has not started' });
    this.playing = false;
    this.postStatus();
    const c = this.config;
    const report = await measureCosts(this.host.createBackend, this.backend.name, { B: Math.min(c.batchSize, 16), H: c.hiddenSize, N: c.stateSize, heads: c.numHeads }, () => this.host.now(), COST_BUDGET_MS);
    this.host.post({ type: 'costs', requestId, report });
  }

  private async setText(runId: number, text: string): Promise<void> {
    const check = validateUserText(text, { T: this.config.length });
    if (!check.ok) return this.notice('error', 'bad-text', check.message);
    if (check.message) this.notice('warning', 'bad-text', check.message);
    this.userText = text;
    if (this.config.task === 'char_lm') await this.rebuild(runId);
  }

  private async load(runId: number, text: string): Promise<void> {
    let loaded: AnyModel;
    try {
      loaded = loadAnyModel(text);
    } catch (e) {
      return this.notice('error', 'bad-model-file', `${e instanceof Error ? e.message : String(e)} Your current model and settings are unchanged.`);
    }
    return this.adopt(runId, loaded, 0);
  }

  /** Weights the page kept (a restart after a crash or a stall): a new run from them at `atStep`. */
  private async setWeights(runId: number, weights: WeightsMessage, atStep: number): Promise<void> {
    let params;
    try {
      params = unpackParams(weights.spec, weights.params);
    } catch (e) {
      return this.notice('error', 'worker-error', `The saved weights could not be used (${e instanceof Error ? e.message : String(e)}); the run goes on from the seed.`);
    }
    return this.adopt(runId, modelOf(weights.spec, params), atStep);
  }

  /** A new run from given weights (a model file, or weights the page kept), if they fit the task. */
  private async adopt(runId: number, loaded: AnyModel, atStep: number): Promise<void> {
    const info = (this.task as Task).info;
    if (loaded.spec.inputSize !== info.inputSize || loaded.spec.outputSize !== info.outputSize) {
      return this.notice(
        'error',
        'bad-model-file',
        `This model reads ${loaded.spec.inputSize} inputs and writes ${loaded.spec.outputSize} outputs; the task "${info.name}" needs ${info.inputSize} and ${info.outputSize}. Choose the task it was trained on, then load it again. Your current model is unchanged.`,
      );
    }
    const s = loaded.spec;
    const own = isSuccessorModel(loaded)
      ? { stateSize: loaded.spec.stateSize || this.config.stateSize, numHeads: loaded.spec.numHeads || this.config.numHeads, bidirectional: false }
      : { nonlinearity: loaded.spec.nonlinearity, bidirectional: loaded.spec.bidirectional, initialState: loaded.spec.initialState };
    this.config = { ...this.config, cell: s.cell, hiddenSize: s.hiddenSize, numLayers: s.numLayers, ...own };
    this.startRun(runId, this.task as Task, cloneAnyModel(loaded), new Rng(this.config.seed).fork(2));
    this.step = atStep;
    this.checkpoints[0].step = atStep;
    await this.selectBackend(null);
    this.announce();
  }
}
