/**
 * The clock and timers a RunController paces with: the browser's, or a test's fake one (so Node
 * tests decide when a frame is painted and when time passes).
 */
import type { ClientEnv } from '../worker/client';

export interface RunEnv {
  /** the worker and the watchdog's clock; see client.ts (the browser's when absent) */
  client?: ClientEnv;
  now(): number;
  /** runs `fn` once the browser has painted the frame in hand */
  afterPaint(fn: () => void): void;
  /** runs `fn` after `ms`; returns its canceller */
  later(ms: number, fn: () => void): () => void;
}

export const browserEnv = (): RunEnv => ({
  now: () => performance.now(),
  afterPaint: (fn) => requestAnimationFrame(() => fn()),
  later: (ms, fn) => {
    const id = setTimeout(fn, ms);
    return () => clearTimeout(id);
  },
});
