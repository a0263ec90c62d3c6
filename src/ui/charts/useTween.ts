/**
 * Animated numbers: when the target array changes, the returned array moves to it over `ms`
 * (cubic ease), one React render per animation frame. Under prefers-reduced-motion, or when the
 * length changes (a new model), it jumps at once. Non-finite entries jump too. So does a change
 * where no entry moves by more than `still` (what would not show on screen, e.g. half a pixel in
 * data units): a glide nobody can see would re-render its chart every frame for nothing.
 */
import { easeCubicInOut } from 'd3';
import { useEffect, useRef, useState } from 'react';
import { prefersReducedMotion } from '../useSize';

export function useTween(target: number[], ms = 450, still = 0): number[] {
  const [current, setCurrent] = useState(target);
  const shown = useRef(target);
  useEffect(() => {
    const from = shown.current;
    if (from === target) return;
    if (prefersReducedMotion() || from.length !== target.length || typeof requestAnimationFrame !== 'function' || !movesMoreThan(from, target, still)) {
      shown.current = target;
      setCurrent(target);
      return;
    }
    const t0 = performance.now();
    let raf = 0;
    const tick = (now: number) => {
      const u = Math.min(1, (now - t0) / ms);
      const e = easeCubicInOut(u);
      const next = u >= 1 ? target : target.map((v, i) => (Number.isFinite(from[i]) && Number.isFinite(v) ? from[i] + (v - from[i]) * e : v));
      shown.current = next;
      setCurrent(next);
      if (u < 1) raf = requestAnimationFrame(tick);
    };
    raf = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(raf);
  }, [target, ms, still]);
  return current.length === target.length ? current : target;
}

/** True when some entry pair differs by more than `still` (a non-finite one counts as a move). */
export function movesMoreThan(from: readonly number[], to: readonly number[], still: number): boolean {
  for (let i = 0; i < to.length; i++) if (!(Math.abs(to[i] - from[i]) <= still)) return true;
  return false;
}
