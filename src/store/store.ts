/**
 * The page's state, one zustand store from typed slices: the settings (mirrored in the URL), the
 * run (status, backend, notices) and the latest numbers from the worker. Curves live in mutable
 * History objects; the store carries their version so charts redraw when they grow.
 */
import { create } from 'zustand';
import type { Analysis } from '../engine/analysis';
import type { ModelSpec } from '../engine/model';
import type { TaskInfo } from '../engine/tasks';
import { DEFAULT_CONFIG, type PlaygroundConfig } from '../worker/config';
import type { BackendInfo, NoticeCode, Snapshot } from '../worker/protocol';
import { History, Waterfall } from './history';

export interface Notice {
  id: number;
  /** 'ok' confirms that something asked for was done (a model or a text accepted) */
  level: 'ok' | 'info' | 'warning' | 'error';
  code: NoticeCode | 'url' | 'crash' | 'export';
  message: string;
  /** how many times this message came: repeats merge into one entry */
  count: number;
}

export interface ConfigSlice {
  config: PlaygroundConfig;
  /** controls a classroom link hides */
  hidden: (keyof PlaygroundConfig)[];
  lesson: string | null;
}

export interface RunSlice {
  runId: number;
  playing: boolean;
  step: number;
  task: TaskInfo | null;
  model: ModelSpec | null;
  parameterCount: number;
  backend: BackendInfo | null;
  stepsPerSecond: number;
  notices: Notice[];
}

export interface MetricsSlice {
  /** bumps whenever a History or the Waterfall changed */
  metricsVersion: number;
  snapshot: Snapshot | null;
  analysis: Analysis | null;
  /** the latest ‖∂L/∂h_t‖ per step */
  hiddenGradNorms: Float64Array | null;
  /** the loss (per scored step) and metric at the latest step */
  latest: { loss: number; metric: number; gradBefore: number; gradAfter: number } | null;
}

export type PlaygroundState = ConfigSlice & RunSlice & MetricsSlice;

export const history = new History();
export const waterfall = new Waterfall();

export const initialRun: RunSlice = { runId: 0, playing: false, step: 0, task: null, model: null, parameterCount: 0, backend: null, stepsPerSecond: 0, notices: [] };
export const initialMetrics: MetricsSlice = { metricsVersion: 0, snapshot: null, analysis: null, hiddenGradNorms: null, latest: null };

export const usePlayground = create<PlaygroundState>()(() => ({
  config: { ...DEFAULT_CONFIG },
  hidden: [],
  lesson: null,
  ...initialRun,
  ...initialMetrics,
}));

let noticeId = 0;
/** Older notices beyond this fall off: the list is for what happened lately, not a log. */
export const MAX_NOTICES = 8;

/**
 * The notice list with one more, newest first. A message already in the list is merged into the
 * new entry (count + 1) and moves to the top, so seven refusals of the same kind read as one
 * entry "×7" in view instead of seven entries pushing the newest below the fold.
 */
export function withNotice(list: readonly Notice[], n: Omit<Notice, 'count'>): Notice[] {
  const same = list.find((x) => x.message === n.message && x.level === n.level);
  return [{ ...n, count: (same?.count ?? 0) + 1 }, ...list.filter((x) => x !== same)].slice(0, MAX_NOTICES);
}

export function addNotice(level: Notice['level'], code: Notice['code'], message: string): void {
  const notice = { id: ++noticeId, level, code, message };
  usePlayground.setState((s) => ({ notices: withNotice(s.notices, notice) }));
}

export function dismissNotice(id: number): void {
  usePlayground.setState((s) => ({ notices: s.notices.filter((n) => n.id !== id) }));
}

export function dismissAllNotices(): void {
  usePlayground.setState({ notices: [] });
}
