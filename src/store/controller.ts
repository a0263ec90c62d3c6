/**
 * The playground's actions: functions the panels, the keyboard shortcuts and the page call (no
 * object to pass around), all on the playground's one RunController. The controller lives in a
 * zustand store (usePlaygroundRun), made on first use with the store's curves and settings; its
 * state is mirrored into the playground's store (usePlayground, useDivergence) for the panels, and
 * its notices go to the notice list. Everything about the run itself is in runController.ts.
 */
import { create } from 'zustand';
import { clearClaims, publishFigures } from './claimsView';
import { lessonById, lessonConfig, lessonVariants } from '../lessons/lessons';
import { checkConfig } from '../settings/check';
import { describeKeys, LIVE_KEYS, type PlaygroundConfig } from '../settings/table';
import type { Advice } from '../worker/divergence';
import type { Fault } from '../worker/protocol';
import { useDivergence } from './divergence';
import { RequestCancelled, RequestRefused, RunController, type NoticeLevel, type RunNoticeCode } from './runController';
import type { RunState } from './runState';
import { addNotice, history, usePlayground, waterfall, type PlaygroundState } from './store';
import { setPlaygroundTransport } from './transport';

/** The playground's weights are read back this often while training: a crashed worker restarts from them. */
const WEIGHTS_EVERY_MS = 3000;

/** The fields of a run's state the playground's store carries under the same names. */
const MIRRORED = ['runId', 'playing', 'step', 'task', 'model', 'parameterCount', 'backend', 'stepsPerSecond', 'metricsVersion', 'snapshot', 'analysis', 'memory', 'seq2seq', 'hiddenGradNorms', 'inputGradNorms', 'latest', 'config'] as const satisfies readonly (keyof RunState & keyof PlaygroundState)[];

/** The playground's run, null until first used. */
export const usePlaygroundRun = create<{ run: RunController | null }>()(() => ({ run: null }));

function onNotice(level: NoticeLevel, code: RunNoticeCode, message: string): void {
  if (code === 'diverged') return; // the recovery bar says it, with its buttons
  addNotice(level, code, message);
}

/** Makes `run` the playground's: its state flows into the playground's stores from now on. */
export function installPlaygroundRun(run: RunController): void {
  usePlaygroundRun.getState().run?.dispose();
  run.subscribe((s, prev) => {
    // Only what changed: a dismissed recovery bar or a setting from the URL is not overwritten
    // by a frame that did not touch it.
    const changed = MIRRORED.filter((k) => s[k] !== prev[k]);
    if (changed.length) usePlayground.setState(Object.fromEntries(changed.map((k) => [k, s[k]])) as Partial<PlaygroundState>);
    if (s.divergence !== prev.divergence) useDivergence.setState(s.divergence, true);
    if (s.runId !== prev.runId) clearClaims();
    if (s.metricsVersion > prev.metricsVersion) publishLessonFigures(run);
  });
  usePlaygroundRun.setState({ run });
}

function run(): RunController {
  const current = usePlaygroundRun.getState().run;
  if (current) return current;
  installPlaygroundRun(new RunController(usePlayground.getState().config, { history, waterfall, backupEveryMs: WEIGHTS_EVERY_MS, onNotice }));
  return usePlaygroundRun.getState().run as RunController;
}

/** A single-run lesson on its own settings (any seed, any backend): its claims are about this run. */
function publishLessonFigures(r: RunController): void {
  const { lesson: id, config } = usePlayground.getState();
  const lesson = lessonById(id);
  if (!lesson || lesson.compare) return;
  const own = lessonConfig(lesson.id);
  const differs = (Object.keys(own) as (keyof PlaygroundConfig)[]).some((k) => k !== 'seed' && k !== 'backend' && own[k] !== config[k]);
  if (differs) return clearClaims();
  const [v] = lessonVariants(lesson);
  publishFigures(lesson, () => ({ variants: [r.figures.figures(v.label, v.role, r.history)] }));
}

/** Starts the worker with the settings in the store (from the URL). */
export function boot(): void {
  run().start(usePlayground.getState().config);
}

/** Changes settings: live ones apply at the next step, the others start a new run. */
export function setConfig(patch: Partial<PlaygroundConfig>): string | null {
  const { config, step: at } = usePlayground.getState();
  const next = { ...config, ...patch };
  // A change that breaks a rule or costs too much per step is refused up front, in words, and
  // nothing changes (the controls show the settings as they were).
  const problem = checkConfig(next, config);
  if (problem) {
    addNotice('error', 'bad-config', `${problem} Your settings are unchanged.`);
    return problem;
  }
  const restarted = run().apply(next);
  if (restarted.length && at > 0) addNotice('info', 'reset-needed', `A new run started from the seed: ${describeKeys(restarted)} cannot change under a network in training. (${capitalized(describeKeys([...LIVE_KEYS]))} change live.)`);
  return null;
}

const capitalized = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export const play = () => run().play();
export const pause = () => run().pause();
export const step = () => run().stepOnce();
export const reset = () => run().start(usePlayground.getState().config);
export const requestAnalysis = () => run().requestAnalysis();
setPlaygroundTransport({ play, pause, step, reset });

/** After a divergence: the weights of the restore step, the advised (live) change, and on. */
export function restoreWith(advice: Advice): void {
  const d = useDivergence.getState();
  if (!d || d.restoreStep === null || !advice.live) return;
  run().restoreFrom(d.restoreStep, { ...usePlayground.getState().config, ...advice.patch });
}

/** After a divergence: a new run from the seed with the advised change. */
export function startOverWith(advice: Advice): void {
  run().start({ ...usePlayground.getState().config, ...advice.patch });
}

export const setText = (text: string) => run().setText(text);
export const measureCosts = () => run().measureCosts();
export const loadModelText = (text: string) => run().loadModelText(text);

/** The step of the weights a restart would start from (null before the first save): tests wait on it. */
export const savedWeightsStep = (): number | null => run().savedWeightsStep();

/** Which dense kernels computed the latest analysis and what each part took (ms): tests and the curious check the worker's WebAssembly ran. */
export const analysisCost = (): { kernels: string; timings: Record<string, number> } | null => {
  const a = usePlayground.getState().analysis;
  return a ? { kernels: a.kernels, timings: a.timings } : null;
};

/** Fault injection for the browser tests (window.rnnPlayground.simulateFault): a lost GPU device,
 *  a crashed or a hung worker, to check that training goes on without losing settings. */
export const simulateFault = (fault: Fault) => run().simulateFault(fault);

/** Text generated in the worker by the character model at the current step; empty when the run
 *  ended, the worker stopped or the task changed before it answered (the panel asks again a few
 *  seconds later). */
export async function sampleTextFromModel(prompt: string, length: number, temperature: number): Promise<string> {
  try {
    return await run().sample(prompt, length, temperature);
  } catch (e) {
    if (e instanceof RequestCancelled || e instanceof RequestRefused) return '';
    throw e;
  }
}

/** The current weights as a model file; a notice says so when they could not be read. */
export async function saveModelJson(): Promise<string> {
  try {
    return await run().modelFileJson();
  } catch (e) {
    addNotice('error', 'export', `The model could not be saved: ${e instanceof Error ? e.message : String(e)}. Try again.`);
    throw e;
  }
}
