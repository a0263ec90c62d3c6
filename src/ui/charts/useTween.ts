/**
 * Animated numbers: when the target array changes, the returned array moves to it over `ms`
 * (cubic ease), one React render per animation frame. Under prefers-reduced-motion, or when the
 * length changes (a new model), it jumps at once. Non-finite entries jump too.
 */
import { easeCubicInOut } from 'd3';
import { useEffect, useRef, useState } from 'react';
import { prefersReducedMotion } from '../useSize';

export function useTween(target: number[], ms = 450): number[] {
  const [current, setCurrent] = useState(target);
  const shown = useRef(target);
  useEffect(() => {
    const from = shown.current;
    if (from === target) return;
    if (prefersReducedMotion() || from.length !== target.length || typeof requestAnimationFrame !== 'function') {
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
  }, [target, ms]);
  return current.length === target.length ? current : target;
}
