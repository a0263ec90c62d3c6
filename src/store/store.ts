/**
 * The page's state, one zustand store from typed slices: the settings (mirrored in the URL), the
 * run (status, backend, notices) and the latest numbers from the worker. Curves live in mutable
 * History objects; the store carries their version so charts redraw when they grow.
 */
import type { EmbedPanel } from './embed';
import { create } from 'zustand';
import { DEFAULT_CONFIG, type PlaygroundConfig } from '../worker/config';
import type { NoticeCode } from '../worker/protocol';
import { History, Waterfall } from './history';
import { initialMetrics, initialStatus, type MetricsSlice, type RunStatus } from './runState';

export { initialMetrics, type MetricsSlice };

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
  /** the one panel an embedding link shows (`?embed=PANEL`), or null for the whole page */
  embed: EmbedPanel | null;
}

/** The playground run's status (mirrored from its RunController, see controller.ts) and the notices. */
export interface RunSlice extends RunStatus {
  notices: Notice[];
}

export type PlaygroundState = ConfigSlice & RunSlice & MetricsSlice;

/** The playground run's curves, which its panels read: the store lends them to its RunController. */
export const history = new History();
export const waterfall = new Waterfall();

export const initialRun: RunSlice = { ...initialStatus, notices: [] };

export const usePlayground = create<PlaygroundState>()(() => ({
  config: { ...DEFAULT_CONFIG },
  hidden: [],
  lesson: null,
  embed: null,
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
