/**
 * The hooks of the B panels.
 * useFrameState: store reads at most once per animation frame: a component subscribes to the
 * zustand store, and when the picked fields change it re-renders on the next frame, not on every
 * message. Frames already arrive at most once per frame (the worker waits for frameAck); this also
 * folds bursts (a reset, a ready message and a frame together) into one render.
 * useRem: pixels per rem, kept current: the lecture mode sets a bigger root font-size, and chart
 * margins, marker sizes and label room (computed in px for SVG and canvas) must grow with it.
 */
import { useEffect, useState } from 'react';
import { usePlayground, type PlaygroundState } from '../../store/store';

/** The fields the B panels read: narrow, so a notice or a play/pause does not redraw a chart. */
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
      setState((prev) => (same(prev, next) ? prev : next));
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

/** One definition of the root font-size hook for every panel. */
export { useRem } from './a-hooks';
