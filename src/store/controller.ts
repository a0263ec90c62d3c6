/**
 * Actions: the one place that talks to the worker. Module-level functions (callable from panels,
 * keyboard shortcuts and worker callbacks alike) that update the store and send messages.
 */
import { clearClaims, publishFigures } from '../lessons/claimsView';
import { FiguresTracker } from '../lessons/figuresTracker';
import { lessonById, lessonConfig, lessonVariants } from '../lessons/lessons';
import { TrainingClient } from '../worker/client';
import { checkConfig } from '../settings/check';
import { describeKeys, LIVE_KEYS, resetKeys, type PlaygroundConfig } from '../settings/table';
import type { Advice } from '../worker/divergence';
import type { Fault, FromWorker, MetricFrame } from '../worker/protocol';
import { clearDivergence, useDivergence } from './divergence';
import { addNotice, history, initialMetrics, usePlayground, waterfall } from './store';
import { setPlaygroundTransport } from './transport';

let client: TrainingClient | null = null;
let nextRequest = 1;
/** Run ids only grow, so a late message from an older run can always be told apart. */
let issuedRunId = 0;
const newRunId = () => ++issuedRunId;
/** Runs the page started from its own settings: their "ready" must not overwrite settings the
 *  user changed meanwhile. Runs the worker started (a loaded model) bring their own settings. */
const pageRuns = new Set<number>();
const pendingModels = new Map<number, (json: string) => void>();
const pendingSamples = new Map<number, (text: string) => void>();
/** Runs the worker starts on the page's request, by what they carry: the "ready" that adopts one
 *  confirms it in words (or, for a restart, continues the curves from the saved step). */
const adoptions = new Map<number, { kind: 'model' | 'text' } | { kind: 'restart'; atStep: number }>();

function worker(): TrainingClient {
  client ??= new TrainingClient(onMessage, onCrash, onStall);
  return client;
}

/** The panels redraw at most this often while training (20 Hz): smooth to the eye, light to paint. */
const DISPLAY_INTERVAL_MS = 50;
let lastFrameAt = 0;

/** The figures a single-run lesson's claims check, from the playground's run. */
const figures = new FiguresTracker();

/** A single-run lesson on its own settings (any seed, any backend): its claims are about this run. */
function publishLessonFigures(): void {
  const { lesson: id, config } = usePlayground.getState();
  const lesson = lessonById(id);
  if (!lesson || lesson.compare) return;
  const own = lessonConfig(lesson.id);
  const differs = (Object.keys(own) as (keyof PlaygroundConfig)[]).some((k) => k !== 'seed' && k !== 'backend' && own[k] !== config[k]);
  if (differs) return clearClaims();
  const [v] = lessonVariants(lesson);
  publishFigures(lesson, () => ({ variants: [figures.figures(v.label, v.role, history)] }));
}

function applyFrame(f: MetricFrame): void {
  history.pushFrame(f);
  if (f.losses.length) waterfall.push(f.step, f.hiddenGradNorms);
  publishLessonFigures();
  const n = f.losses.length;
  usePlayground.setState((s) => ({
    step: f.step,
    stepsPerSecond: f.stepsPerSecond,
    metricsVersion: s.metricsVersion + 1,
    hiddenGradNorms: f.hiddenGradNorms,
    snapshot: f.snapshot ?? s.snapshot,
    analysis: f.analysis ?? s.analysis,
    latest: n ? { loss: f.lossesPerStep[n - 1], metric: f.metrics[n - 1], gradBefore: f.gradNormsBefore[n - 1], gradAfter: f.gradNormsAfter[n - 1] } : s.latest,
  }));
  // Acknowledge after the browser has painted this frame, so frames never pile up, and no sooner
  // than DISPLAY_INTERVAL_MS: every step still arrives (a frame carries all steps since the last),
  // but the panels redraw at a rate a software-rendered page can paint too.
  const due = lastFrameAt + DISPLAY_INTERVAL_MS;
  lastFrameAt = performance.now();
  requestAnimationFrame(() => setTimeout(() => worker().send({ type: 'frameAck' }), Math.max(0, due - performance.now())));
}

export function onMessage(msg: FromWorker): void {
  const state = usePlayground.getState();
  if (msg.type === 'model') {
    pendingModels.get(msg.requestId)?.(msg.json);
    pendingModels.delete(msg.requestId);
    return;
  }
  if (msg.type === 'sample') {
    pendingSamples.get(msg.requestId)?.(msg.text);
    pendingSamples.delete(msg.requestId);
    return;
  }
  // A run the worker started on request (a loaded model, pasted text) announces itself: adopt it.
  if (msg.type === 'ready' && msg.runId > state.runId && msg.runId <= issuedRunId) {
    const how = adoptions.get(msg.runId);
    adoptions.delete(msg.runId);
    if (how?.kind === 'restart') history.dropAfter(how.atStep);
    else history.clear();
    waterfall.clear();
    figures.clear();
    clearDivergence();
    usePlayground.setState({ runId: msg.runId, playing: false, step: how?.kind === 'restart' ? how.atStep : 0, ...initialMetrics });
    if (how?.kind === 'model') addNotice('ok', 'live-change', `Model loaded: ${describeModel(msg)}. Training starts from its weights at step 0.`);
    if (how?.kind === 'text') addNotice('ok', 'live-change', `Your text was accepted (${msg.task.inputSize} distinct characters); the character model starts over on it.`);
    onMessage(msg);
    if (resumeAfterRestart) {
      resumeAfterRestart = false;
      play();
    }
    return;
  }
  // Anything from an earlier run (before a reset) is dropped.
  if (msg.runId !== state.runId) {
    if (msg.type === 'frame') worker().send({ type: 'frameAck' });
    return;
  }
  figures.observe(msg);
  switch (msg.type) {
    case 'frame':
      return applyFrame(msg);
    case 'ready':
      usePlayground.setState({ task: msg.task, model: msg.model, parameterCount: msg.parameterCount, backend: msg.backend, ...(pageRuns.has(msg.runId) ? {} : { config: msg.config }) });
      return;
    case 'status':
      usePlayground.setState({ playing: msg.playing, step: msg.step });
      return;
    case 'backend':
      usePlayground.setState({ backend: msg.backend });
      return;
    case 'diverged':
      useDivergence.setState({ step: msg.step, message: msg.message, advice: msg.advice, restoreStep: msg.restoreStep }, true);
      return;
    case 'notice':
      if (msg.code === 'diverged') return; // the recovery bar says it, with its buttons
      addNotice(msg.level, msg.code, msg.message);
      return;
  }
}

function describeModel(msg: Extract<FromWorker, { type: 'ready' }>): string {
  const m = msg.model;
  const cell = m.cell === 'rnn' ? `${m.nonlinearity} RNN` : m.cell.toUpperCase();
  return `${m.numLayers}-layer ${m.bidirectional ? 'bidirectional ' : ''}${cell}, hidden size ${m.hiddenSize}, ${msg.parameterCount.toLocaleString('en')} parameters`;
}

/** The weights of the current run, read back every few seconds while training: a crashed worker
 *  restarts from them. */
let lastWeights: { runId: number; json: string; step: number } | null = null;
const WEIGHTS_EVERY_MS = 3000;

async function keepWeights(): Promise<void> {
  const { playing, runId } = usePlayground.getState();
  if (playing) {
    const step = usePlayground.getState().step;
    const json = await saveModelJson();
    if (usePlayground.getState().runId === runId) lastWeights = { runId, json, step };
  }
  setTimeout(() => void keepWeights(), WEIGHTS_EVERY_MS);
}

/** Restarts the run in a fresh worker from the weights saved a few seconds before (or from the
 *  seed when none were saved yet); returns what it restarted from, for the notice. */
function restartRun(resume: boolean): string {
  const { config, runId } = usePlayground.getState();
  const saved = lastWeights?.runId === runId ? lastWeights : null;
  // The replies still owed by the ended worker will never come: answer them now, empty.
  for (const resolve of pendingModels.values()) resolve('');
  pendingModels.clear();
  for (const resolve of pendingSamples.values()) resolve('');
  pendingSamples.clear();
  usePlayground.setState({ playing: false });
  resumeAfterRestart = resume;
  if (!saved) {
    startRun(config);
    if (resume) play();
    resumeAfterRestart = false;
    return 'from the seed (no weights had been saved yet)';
  }
  const restartId = newRunId();
  adoptions.set(restartId, { kind: 'restart', atStep: saved.step });
  worker().send({ type: 'configure', runId: restartId, config });
  worker().send({ type: 'loadModel', runId: restartId, text: saved.json, atStep: saved.step });
  return `from the weights saved at step ${saved.step}`;
}
let resumeAfterRestart = false;

function onCrash(message: string): void {
  const from = restartRun(false);
  addNotice('error', 'crash', `The training worker stopped (${message}). It was restarted with your settings, ${from}. Press Play to go on.`);
}

/** When the last stall happened: a second one soon after stays paused rather than loop. */
let lastStallAt = -Infinity;
const STALL_REPEAT_MS = 60_000;

function onStall(silentMs: number): void {
  const { step: at } = usePlayground.getState();
  const now = performance.now();
  const again = now - lastStallAt < STALL_REPEAT_MS;
  lastStallAt = now;
  const from = restartRun(!again);
  addNotice(
    'error',
    'crash',
    `Training stopped responding at step ${at} (no answer for ${Math.round(silentMs / 1000)} s). The worker was restarted ${from}` +
      (again ? '. It stalled twice within a minute, so it stays paused: try a smaller model or another backend, then press Play.' : ' and goes on training.'),
  );
}

/** A new run: everything from the settings, a fresh run id, empty curves. */
function startRun(config: PlaygroundConfig): void {
  const runId = newRunId();
  pageRuns.add(runId);
  history.clear();
  waterfall.clear();
  figures.clear();
  clearClaims();
  clearDivergence();
  usePlayground.setState({ runId, config, playing: false, step: 0, stepsPerSecond: 0, ...initialMetrics });
  worker().send({ type: 'configure', runId, config });
}

/** Starts the worker with the settings in the store (from the URL). */
export function boot(): void {
  startRun(usePlayground.getState().config);
  setTimeout(() => void keepWeights(), WEIGHTS_EVERY_MS);
}

/** Changes settings: live ones apply at the next step, the others start a new run. */
export function setConfig(patch: Partial<PlaygroundConfig>): string | null {
  const { config, runId, step: at } = usePlayground.getState();
  const next = { ...config, ...patch };
  // A change that breaks a rule or costs too much per step is refused up front, in words, and
  // nothing changes (the controls show the settings as they were).
  const problem = checkConfig(next, config);
  if (problem) {
    addNotice('error', 'bad-config', `${problem} Your settings are unchanged.`);
    return problem;
  }
  const needReset = resetKeys(config, next);
  if (needReset.length) {
    if (at > 0) addNotice('info', 'reset-needed', `A new run started from the seed: ${describeKeys(needReset)} cannot change under a network in training. (${capitalized(describeKeys([...LIVE_KEYS]))} change live.)`);
    startRun(next);
    return null;
  }
  usePlayground.setState({ config: next });
  worker().send({ type: 'configure', runId, config: next });
  return null;
}

const capitalized = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export const play = () => worker().send({ type: 'play' });
export const pause = () => worker().send({ type: 'pause' });
export const step = () => worker().send({ type: 'step' });
export const reset = () => startRun(usePlayground.getState().config);
export const requestAnalysis = () => worker().send({ type: 'analyze' });
setPlaygroundTransport({ play, pause, step, reset });

/** After a divergence: the weights of the restore step, the advised (live) change, and on. */
export function restoreWith(advice: Advice): void {
  const d = useDivergence.getState();
  if (!d || d.restoreStep === null || !advice.live) return;
  const { config, runId } = usePlayground.getState();
  const next = { ...config, ...advice.patch };
  clearDivergence();
  usePlayground.setState({ config: next });
  worker().send({ type: 'restore', runId, fromStep: d.restoreStep, config: next });
}

/** After a divergence: a new run from the seed with the advised change. */
export function startOverWith(advice: Advice): void {
  startRun({ ...usePlayground.getState().config, ...advice.patch });
}

/** Pasted text for the character model: the worker validates it and, if it takes it, starts a
 *  new run (its "ready" message adopts the new run id); if not, a notice says why. */
export function setText(text: string): void {
  const runId = newRunId();
  adoptions.set(runId, { kind: 'text' });
  worker().send({ type: 'setText', runId, text });
}

/** A model file: the worker validates it; refused, the current run goes on untouched. */
export function loadModelText(text: string): void {
  const runId = newRunId();
  adoptions.set(runId, { kind: 'model' });
  worker().send({ type: 'loadModel', runId, text });
}

/** The step of the weights a restart would start from (null before the first save): tests wait on it. */
export const savedWeightsStep = (): number | null => (lastWeights?.runId === usePlayground.getState().runId ? lastWeights.step : null);

/** Fault injection for the browser tests (window.rnnPlayground.simulateFault): a lost GPU device
 *  or a crashed worker, to check that training goes on without losing settings. */
export function simulateFault(fault: Fault): void {
  worker().send({ type: 'simulateFault', fault });
}

/** Text generated in the worker by the character model at the current step. */
export function sampleTextFromModel(prompt: string, length: number, temperature: number): Promise<string> {
  const requestId = nextRequest++;
  return new Promise((resolve) => {
    pendingSamples.set(requestId, resolve);
    worker().send({ type: 'sample', requestId, prompt, length, temperature });
  });
}

export function saveModelJson(): Promise<string> {
  const requestId = nextRequest++;
  return new Promise((resolve) => {
    pendingModels.set(requestId, resolve);
    worker().send({ type: 'saveModel', requestId });
  });
}
