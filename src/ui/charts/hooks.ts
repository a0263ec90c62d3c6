/**
 * Hooks the live charts share: a redraw tick that follows the store's metricsVersion at most once
 * per animation frame, the root font size (charts size their margins in rem so the lecture mode's
 * larger text still fits), a throttled store selector for text that screen readers announce, and
 * useFrameState: narrow store reads at most once per animation frame. A component subscribes to
 * the zustand store, and when the picked fields change it re-renders on the next frame, not on
 * every message; this also folds bursts (a reset, a ready message and a frame together) into one
 * render.
 */
import { startTransition, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { usePlayground, type PlaygroundState } from '../../store/store';

/**
 * A number that changes when the curves changed, at most once per animation frame: frames from the
 * worker can arrive faster than the screen paints, and the charts read the mutable History.
 */
export function useFrameTick(): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let raf = 0;
    const unsubscribe = usePlayground.subscribe((s, prev) => {
      if (s.metricsVersion === prev.metricsVersion || raf) return;
      raf = requestAnimationFrame(() => {
        raf = 0;
        // a transition: React renders the charts in slices and lets frames through meanwhile
        startTransition(() => setTick((t) => t + 1));
      });
    });
    return () => {
      unsubscribe();
      cancelAnimationFrame(raf);
    };
  }, []);
  return tick;
}

function readRem(): number {
  if (typeof document === 'undefined' || typeof getComputedStyle !== 'function') return 16;
  const px = parseFloat(getComputedStyle(document.documentElement).fontSize);
  return Number.isFinite(px) && px > 0 ? px : 16;
}

/** The root font size in px, followed when the page switches lecture mode (attribute changes). */
export function useRem(): number {
  const [rem, setRem] = useState(readRem);
  useEffect(() => {
    const update = () => setRem(readRem());
    const mo = new MutationObserver(update);
    mo.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class', 'data-lecture'] });
    window.addEventListener('resize', update);
    update();
    return () => {
      mo.disconnect();
      window.removeEventListener('resize', update);
    };
  }, []);
  return rem;
}

/**
 * A selector whose result reaches React at most once per `ms` (the first change at once, the last
 * one always): for live text, so that it stays readable and aria-live does not chatter.
 */
export function useThrottledStore<T>(selector: (s: PlaygroundState) => T, ms: number): T {
  const select = useRef(selector);
  useLayoutEffect(() => {
    select.current = selector;
  });
  const [value, setValue] = useState(() => selector(usePlayground.getState()));
  useEffect(() => {
    let last = 0;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const flush = () => {
      timer = null;
      last = performance.now();
      setValue(select.current(usePlayground.getState()));
    };
    const unsubscribe = usePlayground.subscribe(() => {
      if (timer) return;
      const wait = last + ms - performance.now();
      if (wait <= 0) flush();
      else timer = setTimeout(flush, wait);
    });
    flush();
    return () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
    };
  }, [ms]);
  return value;
}

/** The fields the spectra, unrolled and inside panels read: narrow, so a notice or a play/pause does not redraw a chart. */
export interface FrameState {
  metricsVersion: number;
  runId: number;
  snapshot: PlaygroundState['snapshot'];
  analysis: PlaygroundState['analysis'];
  hiddenGradNorms: PlaygroundState['hiddenGradNorms'];
  model: PlaygroundState['model'];
  task: PlaygroundState['task'];
  config: PlaygroundState['config'];
}

const pick = (s: PlaygroundState): FrameState => ({
  metricsVersion: s.metricsVersion,
  runId: s.runId,
  snapshot: s.snapshot,
  analysis: s.analysis,
  hiddenGradNorms: s.hiddenGradNorms,
  model: s.model,
  task: s.task,
  config: s.config,
});

const ALL_KEYS: (keyof FrameState)[] = ['metricsVersion', 'runId', 'snapshot', 'analysis', 'hiddenGradNorms', 'model', 'task', 'config'];

function sameOn(keys: readonly (keyof FrameState)[], a: FrameState, b: FrameState): boolean {
  return keys.every((k) => a[k] === b[k]);
}

const nextFrame = (f: () => void): number => (typeof requestAnimationFrame === 'function' ? requestAnimationFrame(f) : (setTimeout(f, 16) as unknown as number));
const cancelFrame = (id: number): void => (typeof cancelAnimationFrame === 'function' ? cancelAnimationFrame(id) : clearTimeout(id));

/** The fields, re-read on the next animation frame after any of `watch` (default: all) changed. */
export function useFrameState(watch: readonly (keyof FrameState)[] = ALL_KEYS): FrameState {
  const [state, setState] = useState(() => pick(usePlayground.getState()));
  const key = watch.join(',');
  useEffect(() => {
    const keys = key.split(',') as (keyof FrameState)[];
    const same = (a: FrameState, b: FrameState) => sameOn(keys, a, b);
    let pending = 0;
    const flush = () => {
      pending = 0;
      const next = pick(usePlayground.getState());
      startTransition(() => setState((prev) => (same(prev, next) ? prev : next)));
    };
    flush(); // the store may have moved between the first render and this effect
    const unsubscribe = usePlayground.subscribe((s, prev) => {
      if (pending || same(pick(s), pick(prev))) return;
      pending = nextFrame(flush);
    });
    return () => {
      unsubscribe();
      if (pending) cancelFrame(pending);
    };
  }, [key]);
  return state;
}
