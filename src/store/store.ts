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
  level: 'info' | 'warning' | 'error';
  code: NoticeCode | 'url' | 'crash';
  message: string;
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
  /** the loss and metric at the latest step */
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
const MAX_NOTICES = 6;

export function addNotice(level: Notice['level'], code: Notice['code'], message: string): void {
  const notice: Notice = { id: ++noticeId, level, code, message };
  usePlayground.setState((s) => ({ notices: [...s.notices.filter((n) => n.message !== message), notice].slice(-MAX_NOTICES) }));
}

export function dismissNotice(id: number): void {
  usePlayground.setState((s) => ({ notices: s.notices.filter((n) => n.id !== id) }));
}
