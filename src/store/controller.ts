/**
 * Actions: the one place that talks to the worker. Module-level functions (callable from panels,
 * keyboard shortcuts and worker callbacks alike) that update the store and send messages.
 */
import { TrainingClient } from '../worker/client';
import { resetKeys, type PlaygroundConfig } from '../worker/config';
import type { FromWorker, MetricFrame } from '../worker/protocol';
import { addNotice, history, initialMetrics, usePlayground, waterfall } from './store';

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

function worker(): TrainingClient {
  client ??= new TrainingClient(onMessage, onCrash);
  return client;
}

/** The panels redraw at most this often while training (20 Hz): smooth to the eye, light to paint. */
const DISPLAY_INTERVAL_MS = 50;
let lastFrameAt = 0;

function applyFrame(f: MetricFrame): void {
  for (let i = 0; i < f.losses.length; i++) {
    history.push({ step: f.stepIndices[i], loss: f.losses[i], metric: f.metrics[i], gradBefore: f.gradNormsBefore[i], gradAfter: f.gradNormsAfter[i], clipped: f.clipped[i] });
  }
  if (f.losses.length) waterfall.push(f.step, f.hiddenGradNorms);
  const n = f.losses.length;
  usePlayground.setState((s) => ({
    step: f.step,
    stepsPerSecond: f.stepsPerSecond,
    metricsVersion: s.metricsVersion + 1,
    hiddenGradNorms: f.hiddenGradNorms,
    snapshot: f.snapshot ?? s.snapshot,
    analysis: f.analysis ?? s.analysis,
    latest: n ? { loss: f.losses[n - 1], metric: f.metrics[n - 1], gradBefore: f.gradNormsBefore[n - 1], gradAfter: f.gradNormsAfter[n - 1] } : s.latest,
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
    history.clear();
    waterfall.clear();
    usePlayground.setState({ runId: msg.runId, playing: false, step: 0, ...initialMetrics });
    return onMessage(msg);
  }
  // Anything from an earlier run (before a reset) is dropped.
  if (msg.runId !== state.runId) {
    if (msg.type === 'frame') worker().send({ type: 'frameAck' });
    return;
  }
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
    case 'notice':
      addNotice(msg.level, msg.code, msg.message);
      return;
  }
}

/** The weights of the current run, read back every few seconds while training: a crashed worker
 *  restarts from them. */
let lastWeights: { runId: number; json: string } | null = null;
const WEIGHTS_EVERY_MS = 3000;

async function keepWeights(): Promise<void> {
  const { playing, runId } = usePlayground.getState();
  if (playing) {
    const json = await saveModelJson();
    if (usePlayground.getState().runId === runId) lastWeights = { runId, json };
  }
  setTimeout(() => void keepWeights(), WEIGHTS_EVERY_MS);
}

function onCrash(message: string): void {
  const { config, runId, step: at } = usePlayground.getState();
  const saved = lastWeights?.runId === runId ? lastWeights.json : null;
  startRun(config);
  if (saved) loadModelText(saved);
  addNotice(
    'error',
    'crash',
    `The training worker stopped (${message}). It was restarted with your settings${saved ? ' and the weights saved a few seconds before, near step ' + at : ''}.`,
  );
}

/** A new run: everything from the settings, a fresh run id, empty curves. */
function startRun(config: PlaygroundConfig): void {
  const runId = newRunId();
  pageRuns.add(runId);
  history.clear();
  waterfall.clear();
  usePlayground.setState({ runId, config, playing: false, step: 0, stepsPerSecond: 0, ...initialMetrics });
  worker().send({ type: 'configure', runId, config });
}

/** Starts the worker with the settings in the store (from the URL). */
export function boot(): void {
  startRun(usePlayground.getState().config);
  setTimeout(() => void keepWeights(), WEIGHTS_EVERY_MS);
}

/** Changes settings: live ones apply at the next step, the others start a new run. */
export function setConfig(patch: Partial<PlaygroundConfig>): void {
  const { config, runId, step: at } = usePlayground.getState();
  const next = { ...config, ...patch };
  const needReset = resetKeys(config, next);
  if (needReset.length) {
    if (at > 0) addNotice('info', 'reset-needed', `${needReset.join(', ')} cannot change under a network in training: a new run started from the seed. (Learning rate, optimizer, clipping, truncation, batch size and backend change live.)`);
    return startRun(next);
  }
  usePlayground.setState({ config: next });
  worker().send({ type: 'configure', runId, config: next });
}

export const play = () => worker().send({ type: 'play' });
export const pause = () => worker().send({ type: 'pause' });
export const step = () => worker().send({ type: 'step' });
export const reset = () => startRun(usePlayground.getState().config);
export const togglePlay = () => (usePlayground.getState().playing ? pause() : play());
export const requestAnalysis = () => worker().send({ type: 'analyze' });

/** Pasted text for the character model: the worker validates it and, if it takes it, starts a
 *  new run (its "ready" message adopts the new run id); if not, a notice says why. */
export function setText(text: string): void {
  worker().send({ type: 'setText', runId: newRunId(), text });
}

/** A model file: the worker validates it; refused, the current run goes on untouched. */
export function loadModelText(text: string): void {
  worker().send({ type: 'loadModel', runId: newRunId(), text });
}

/** Fault injection for the browser tests (window.rnnPlayground.simulateFault): a lost GPU device
 *  or a crashed worker, to check that training goes on without losing settings. */
export function simulateFault(fault: 'device-loss' | 'crash'): void {
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
