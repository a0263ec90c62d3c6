/**
 * The two animations of the unrolled diagram.
 * useSweep: on a new frame, a highlight runs forward (left → right) then back (right → left) in
 * about 600 ms, then rests a little, so continuous training shows a calm pulse, not a blur.
 * Nothing moves under prefers-reduced-motion. useSlowMode: one forward and one backward pass, one
 * step per 400 ms, for talking through BPTT step by step.
 */
import { useEffect, useRef, useState } from 'react';
import { prefersReducedMotion } from '../../useSize';

export const SWEEP_MS = 600;
const REST_MS = 500;
export const SLOW_STEP_MS = 400;

export interface SweepState {
  phase: 'fwd' | 'back';
  /** position in shown columns, 0 … n−1 (fractional) */
  pos: number;
}

export function useSweep(trigger: number, n: number, enabled: boolean): SweepState | null {
  const [state, setState] = useState<SweepState | null>(null);
  const raf = useRef(0);
  const lastEnd = useRef(-Infinity);
  // Unmounting (or switching off) stops a running sweep.
  useEffect(() => {
    if (enabled) return;
    cancelAnimationFrame(raf.current);
    raf.current = 0;
    setState(null);
  }, [enabled]);
  useEffect(
    () => () => {
      cancelAnimationFrame(raf.current);
      raf.current = 0;
    },
    [],
  );
  // A new frame starts a sweep only when none runs and the last one rested: it always finishes.
  useEffect(() => {
    if (!enabled || n < 1 || raf.current || typeof requestAnimationFrame !== 'function' || prefersReducedMotion()) return;
    if (performance.now() - lastEnd.current < REST_MS) return;
    const t0 = performance.now();
    const tick = (now: number) => {
      const u = (now - t0) / SWEEP_MS;
      if (u >= 1) {
        raf.current = 0;
        lastEnd.current = now;
        setState(null);
        return;
      }
      setState(u < 0.5 ? { phase: 'fwd', pos: 2 * Math.max(0, u) * (n - 1) } : { phase: 'back', pos: (2 - 2 * u) * (n - 1) });
      raf.current = requestAnimationFrame(tick);
    };
    raf.current = requestAnimationFrame(tick);
  }, [trigger, enabled, n]);
  return state;
}

export interface SlowState {
  phase: 'fwd' | 'back';
  /** the active step (absolute time index) */
  t: number;
}

/** Steps t0 … T−1 forward, then T−1 … t0 back; calls onDone at the end. */
export function useSlowMode(on: boolean, t0: number, T: number, onDone: () => void): SlowState | null {
  const [state, setState] = useState<SlowState | null>(null);
  const done = useRef(onDone);
  done.current = onDone;
  useEffect(() => {
    if (!on || T < 1) {
      setState(null);
      return;
    }
    const n = T - t0;
    let i = 0;
    const show = () => setState(i < n ? { phase: 'fwd', t: t0 + i } : { phase: 'back', t: T - 1 - (i - n) });
    show();
    const id = setInterval(() => {
      i++;
      if (i >= 2 * n) {
        clearInterval(id);
        setState(null);
        done.current();
        return;
      }
      show();
    }, SLOW_STEP_MS);
    return () => clearInterval(id);
  }, [on, t0, T]);
  return on ? state : null;
}
