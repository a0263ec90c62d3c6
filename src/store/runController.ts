/**
 * One training run on the page and the worker that trains it. The playground owns one (through its
 * store, see controller.ts); each variant of a lesson's side-by-side view owns its own. A controller
 * holds its TrainingClient, its run ids, the requests its worker still owes, its curves (History,
 * Waterfall), the figures a lesson's claims check, the pacing of frame acknowledgements and the
 * weight backups a crashed or stalled worker restarts from. Nothing lives at module level, so two
 * controllers share nothing; no React and no DOM, so Node tests drive it with a fake worker.
 *
 * Owners read `state` (a new object on every change) through `subscribe`, and hear notices through
 * `onNotice`; what they do with them (a zustand store, a card) is theirs.
 */
import { modelOf } from '../engine/anyModel';
import { saveAnyModel } from '../engine/modelFile';
import { FiguresTracker } from '../lessons/figuresTracker';
import { TrainingClient } from '../worker/client';
import type { CostReport } from '../worker/costs';
import { resetKeys, type PlaygroundConfig, type SettingKey } from '../settings/table';
import { unpackParams, type Fault, type FromWorker, type MetricFrame, type NoticeCode, type ToWorker, type WeightsMessage } from '../worker/protocol';
import { History, Waterfall } from './history';
import { PendingRequests, RequestCancelled, RequestRefused, type Answer } from './pendingRequests';
import { browserEnv, type RunEnv } from './runEnv';
import { initialMetrics, initialStatus, type RunState } from './runState';

export { RequestCancelled, RequestRefused, type RunEnv };

export type NoticeLevel = 'ok' | 'info' | 'warning' | 'error';
export type RunNoticeCode = NoticeCode | 'crash';

export interface RunOptions {
  env?: RunEnv;
  /** the curves to fill (the playground's panels read the store's); fresh ones when absent */
  history?: History;
  waterfall?: Waterfall;
  /** weights are read back this often while playing, for a restart after a crash or stall; null:
   *  never, and a restart starts from the seed (a lesson's run: its claims hold for the seed's data) */
  backupEveryMs?: number | null;
  onNotice?(level: NoticeLevel, code: RunNoticeCode, message: string): void;
}

/** The panels redraw at most this often while training (20 Hz): smooth to the eye, light to paint. */
export const DISPLAY_INTERVAL_MS = 50;
/** A second stall this soon after the last one stays paused rather than loop. */
const STALL_REPEAT_MS = 60_000;

type Adoption = { kind: 'model' | 'text' } | { kind: 'restart'; atStep: number };
type Ready = Extract<FromWorker, { type: 'ready' }>;
export type WeightsAnswer = Extract<Answer, { type: 'weights' }>;

export class RunController {
  readonly history: History;
  readonly waterfall: Waterfall;
  /** the figures a lesson's claims check, from what this run streams */
  readonly figures = new FiguresTracker();
  private current: RunState;
  private readonly env: RunEnv;
  private readonly client: TrainingClient;
  private readonly requests = new PendingRequests();
  private readonly listeners = new Set<(s: RunState, prev: RunState) => void>();
  private readonly backupEveryMs: number | null;
  private readonly onNotice: NonNullable<RunOptions['onNotice']>;
  /** run ids only grow, so a late message from an older run can always be told apart */
  private issuedRunId = 0;
  /** runs the worker starts on request (a model file, a text, a restart), by what they carry */
  private readonly adoptions = new Map<number, Adoption>();
  /** the run whose settings come from the worker (a loaded model may change the architecture) */
  private settingsFromWorker = 0;
  private resumeAfterRestart = false;
  private backup: { runId: number; step: number; weights: WeightsMessage } | null = null;
  private stopBackups: (() => void) | null = null;
  private lastFrameAt = -Infinity;
  private lastStallAt = -Infinity;
  private disposed = false;

  constructor(config: PlaygroundConfig, opts: RunOptions = {}) {
    this.env = opts.env ?? browserEnv();
    this.history = opts.history ?? new History();
    this.waterfall = opts.waterfall ?? new Waterfall();
    this.backupEveryMs = opts.backupEveryMs ?? null;
    this.onNotice = opts.onNotice ?? (() => {});
    this.current = { ...initialStatus, ...initialMetrics, config: { ...config }, divergence: null, stopped: null };
    this.client = new TrainingClient((m) => this.onMessage(m), (why) => this.onCrash(why), (ms) => this.onStall(ms), this.env.client);
  }

  subscribe = (fn: (s: RunState, prev: RunState) => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  /** What the run shows now: a new object on every change, never changed in place. */
  get state(): RunState {
    return this.current;
  }

  getState = (): RunState => this.current;

  private set(patch: Partial<RunState>): void {
    const prev = this.current;
    this.current = { ...prev, ...patch };
    for (const fn of this.listeners) fn(this.current, prev);
  }

  private send(msg: ToWorker): void {
    if (!this.disposed) this.client.send(msg);
  }

  private newRunId(): number {
    return ++this.issuedRunId;
  }

  /** A new run from `config` (the current settings when absent): a fresh run id, empty curves. */
  start(config: PlaygroundConfig = this.state.config): void {
    const runId = this.newRunId();
    this.requests.cancel('a new run started before the worker answered');
    this.clearCurves();
    this.set({ runId, config: { ...config }, playing: false, step: 0, stepsPerSecond: 0, ...initialMetrics, divergence: null, stopped: null });
    this.send({ type: 'configure', runId, config });
    if (this.backupEveryMs !== null && !this.stopBackups) this.scheduleBackup(this.backupEveryMs);
  }

  reset = (): void => this.start();

  /** New settings: the one place that decides what restarts. Live ones (LIVE_KEYS) apply at the
   *  next step of the same run; any other change starts a new run from the seed. Returns the keys
   *  that forced the restart (empty when everything applied live). */
  apply(config: PlaygroundConfig): SettingKey[] {
    const restart = resetKeys(this.state.config, config);
    if (restart.length) {
      this.start(config);
      return restart;
    }
    this.set({ config: { ...config } });
    this.send({ type: 'configure', runId: this.state.runId, config });
    return restart;
  }

  play = (): void => this.send({ type: 'play' });
  pause = (): void => this.send({ type: 'pause' });
  stepOnce = (): void => this.send({ type: 'step' });
  requestAnalysis = (): void => this.send({ type: 'analyze' });
  simulateFault = (fault: Fault): void => this.send({ type: 'simulateFault', fault });

  /** After a divergence: the weights the worker kept at `fromStep`, the (live) settings, and on. */
  restoreFrom(fromStep: number, config: PlaygroundConfig): void {
    // Restored weights go on under the same run, so only live changes can go with them.
    if (resetKeys(this.state.config, config).length) throw new Error('restoreFrom takes live changes only; start a new run for the others');
    this.set({ config: { ...config }, divergence: null });
    this.send({ type: 'restore', runId: this.state.runId, fromStep, config });
  }

  /** Pasted text for the character model: the worker validates it and, if it takes it, starts a
   *  new run whose "ready" this controller adopts; if not, a notice says why. */
  setText(text: string): void {
    const runId = this.newRunId();
    this.adoptions.set(runId, { kind: 'text' });
    this.send({ type: 'setText', runId, text });
  }

  /** A model file: the worker validates it; refused, the current run goes on untouched. */
  loadModelText(text: string): void {
    const runId = this.newRunId();
    this.adoptions.set(runId, { kind: 'model' });
    this.send({ type: 'loadModel', runId, text });
  }

  /** The weights of the current run (moved, not copied, from the worker). */
  readWeights(): Promise<WeightsAnswer> {
    return this.request('weights', (requestId) => ({ type: 'readWeights', requestId }));
  }

  /** The current weights as a model file (the JSON format of modelFile.ts). */
  async modelFileJson(): Promise<string> {
    if (this.state.task?.id === 'seq2seq') throw new Error('An encoder–decoder cannot be saved as a model file yet: the format holds one recurrent stack and its readout');
    const { spec, params } = (await this.readWeights()).weights;
    return JSON.stringify(saveAnyModel(modelOf(spec, unpackParams(spec, params))));
  }

  /** Text generated by the character model from the current weights. */
  async sample(prompt: string, length: number, temperature: number): Promise<string> {
    return (await this.request('sample', (requestId) => ({ type: 'sample', requestId, prompt, length, temperature }))).text;
  }

  /** Times a training step of every kind of layer against T on this run's backend (training pauses). */
  async measureCosts(): Promise<CostReport> {
    return (await this.request('costs', (requestId) => ({ type: 'measureCosts', requestId }))).report;
  }

  private request<T extends Answer['type']>(type: T, message: (requestId: number) => ToWorker): Promise<Extract<Answer, { type: T }>> {
    if (this.disposed) return Promise.reject(new RequestCancelled('this run was closed'));
    const { requestId, answer } = this.requests.open(type, this.state.runId);
    this.send(message(requestId));
    return answer;
  }

  /** The step of the weights a restart would start from (null before the first backup). */
  savedWeightsStep(): number | null {
    return this.backup?.runId === this.state.runId ? this.backup.step : null;
  }

  /** Ends the worker; every request still owed is rejected, and nothing is sent any more. */
  dispose(): void {
    this.disposed = true;
    this.stopBackups?.();
    this.requests.cancel('this run was closed');
    this.client.restart();
    this.listeners.clear();
  }

  private clearCurves(): void {
    this.history.clear();
    this.waterfall.clear();
    this.figures.clear();
  }

  private onMessage(msg: FromWorker): void {
    if (msg.type === 'weights' || msg.type === 'sample' || msg.type === 'costs' || msg.type === 'requestFailed') {
      this.requests.settle(msg);
      return;
    }
    // A run the worker started on request announces itself: adopt it.
    if (msg.type === 'ready' && msg.runId > this.state.runId && msg.runId <= this.issuedRunId) return this.adopt(msg);
    // Anything from an earlier run (before a reset) is dropped; its frame is acknowledged so the
    // worker is never left waiting.
    if (msg.runId !== this.state.runId) {
      if (msg.type === 'frame') this.send({ type: 'frameAck' });
      return;
    }
    this.figures.observe(msg);
    switch (msg.type) {
      case 'frame':
        return this.applyFrame(msg);
      case 'ready':
        return this.set({ task: msg.task, model: msg.model, parameterCount: msg.parameterCount, backend: msg.backend, ...(msg.runId === this.settingsFromWorker ? { config: msg.config } : {}) });
      case 'status':
        return this.set({ playing: msg.playing, step: msg.step });
      case 'backend':
        return this.set({ backend: msg.backend });
      case 'diverged':
        return this.set({ divergence: { step: msg.step, message: msg.message, advice: msg.advice, restoreStep: msg.restoreStep }, stopped: msg.message });
      case 'notice':
        if (msg.code === 'worker-error') this.set({ stopped: msg.message });
        return this.onNotice(msg.level, msg.code, msg.message);
    }
  }

  private adopt(msg: Ready): void {
    const how = this.adoptions.get(msg.runId);
    this.adoptions.delete(msg.runId);
    this.settingsFromWorker = msg.runId;
    this.requests.cancel('a new run started before the worker answered');
    const restart = how?.kind === 'restart' ? how : null;
    if (restart) this.history.dropAfter(restart.atStep);
    else this.history.clear();
    // The restarted run starts from the backup's weights at its step: the backup holds for it too,
    // so a second crash before the next backup still goes back to them.
    if (restart && this.backup) this.backup = { ...this.backup, runId: msg.runId };
    this.waterfall.clear();
    this.figures.clear();
    // A restart keeps its "stopped" line: it says why the run restarted.
    this.set({ runId: msg.runId, playing: false, step: restart?.atStep ?? 0, ...initialMetrics, divergence: null, ...(restart ? {} : { stopped: null }) });
    if (how?.kind === 'model') this.onNotice('ok', 'live-change', `Model loaded: ${describeModel(msg)}. Training starts from its weights at step 0.`);
    if (how?.kind === 'text') this.onNotice('ok', 'live-change', `Your text was accepted (${msg.task.inputSize} distinct characters); the character model starts over on it.`);
    this.onMessage(msg);
    if (restart && this.resumeAfterRestart) {
      this.resumeAfterRestart = false;
      this.play();
    }
  }

  private applyFrame(f: MetricFrame): void {
    this.history.pushFrame(f);
    if (f.losses.length) this.waterfall.push(f.step, f.hiddenGradNorms);
    const n = f.losses.length;
    const s = this.state;
    this.set({
      step: f.step,
      stepsPerSecond: f.stepsPerSecond,
      metricsVersion: s.metricsVersion + 1,
      hiddenGradNorms: f.hiddenGradNorms,
      inputGradNorms: f.inputGradNorms.length ? { step: f.inputGradStep, norms: f.inputGradNorms } : s.inputGradNorms,
      snapshot: f.snapshot ?? s.snapshot,
      analysis: f.analysis ?? s.analysis,
      memory: f.memory ?? s.memory,
      seq2seq: f.seq2seq?.example ?? s.seq2seq,
      latest: n ? { loss: f.lossesPerStep[n - 1], metric: f.metrics[n - 1], gradBefore: f.gradNormsBefore[n - 1], gradAfter: f.gradNormsAfter[n - 1] } : s.latest,
    });
    // Acknowledge after the browser has painted this frame, so frames never pile up, and no sooner
    // than DISPLAY_INTERVAL_MS after the last: every step still arrives (a frame carries all steps
    // since the previous one), but the panels redraw at a rate a software-rendered page can paint.
    const due = this.lastFrameAt + DISPLAY_INTERVAL_MS;
    this.lastFrameAt = this.env.now();
    this.env.afterPaint(() => this.env.later(Math.max(0, due - this.env.now()), () => this.send({ type: 'frameAck' })));
  }

  /** Reads the weights back every `ms` while playing: what a restart after a crash starts from. */
  private scheduleBackup(ms: number): void {
    this.stopBackups = this.env.later(ms, async () => {
      if (this.state.playing) {
        try {
          const w = await this.readWeights();
          if (w.runId === this.state.runId) this.backup = { runId: w.runId, step: w.step, weights: w.weights };
        } catch (e) {
          if (!(e instanceof RequestCancelled)) throw e; // cancelled by a crash or a new run: the next turn tries again
        }
      }
      if (!this.disposed) this.scheduleBackup(ms);
    });
  }

  /** Restarts the run in a fresh worker from the backed-up weights (from the seed when there are
   *  none); returns what it restarted from, for the notice. */
  private restart(resume: boolean): string {
    this.client.restart();
    this.requests.cancel('the training worker stopped before it answered');
    this.set({ playing: false });
    const saved = this.backup?.runId === this.state.runId ? this.backup : null;
    if (!saved) {
      this.start();
      if (resume) this.play();
      return this.backupEveryMs === null ? 'from the seed' : 'from the seed (no weights had been saved yet)';
    }
    const runId = this.newRunId();
    this.adoptions.set(runId, { kind: 'restart', atStep: saved.step });
    this.resumeAfterRestart = resume;
    this.send({ type: 'configure', runId, config: this.state.config });
    // A copy moves to the worker: the backup stays here for a second restart before the next one.
    const { spec, params } = saved.weights;
    this.send({ type: 'setWeights', runId, weights: { spec, params: { ...params, data: params.data.slice() } }, atStep: saved.step });
    return `from the weights saved at step ${saved.step}`;
  }

  private report(message: string): void {
    this.set({ stopped: message });
    this.onNotice('error', 'crash', message);
  }

  private onCrash(why: string): void {
    const from = this.restart(false);
    this.report(`The training worker stopped (${why}). It was restarted with your settings, ${from}. Press Play to go on.`);
  }

  private onStall(silentMs: number): void {
    const at = this.state.step;
    const now = this.env.now();
    const again = now - this.lastStallAt < STALL_REPEAT_MS;
    this.lastStallAt = now;
    const from = this.restart(!again);
    this.report(
      `Training stopped responding at step ${at} (no answer for ${Math.round(silentMs / 1000)} s). The worker was restarted ${from}` +
        (again ? '. It stalled twice within a minute, so it stays paused: try a smaller model or another backend, then press Play.' : ' and goes on training.'),
    );
  }
}

function describeModel(msg: Ready): string {
  const m = msg.model;
  const cell = m.cell === 'rnn' ? `${m.nonlinearity} RNN` : m.cell.toUpperCase();
  return `${m.numLayers}-layer ${m.bidirectional ? 'bidirectional ' : ''}${cell}, hidden size ${m.hiddenSize}, ${msg.parameterCount.toLocaleString('en')} parameters`;
}
