/**
 * Animated numbers: when the target array changes, the shown values move to it over `ms` (cubic
 * ease), once per animation frame. Under prefers-reduced-motion, or when the length changes (a new
 * model), they jump at once. Non-finite entries jump too. So does a change where no entry moves by
 * more than `still` (what would not show on screen, e.g. half a pixel in data units): a glide
 * nobody can see would redraw its chart every frame for nothing.
 * Each frame's values go to a drawing function (a canvas: no React render per frame).
 */
import { easeCubicInOut } from 'd3';
import { useEffect, useLayoutEffect, useRef, type RefObject } from 'react';
import { prefersReducedMotion } from '../useSize';

/** Calls `draw` with the shown values on every frame of a glide (and once on a jump); returns them. */
export function useTweenDraw(target: number[], ms: number, still: number, draw: (values: number[]) => void): RefObject<number[]> {
  const shown = useRef(target);
  const drawRef = useRef(draw);
  useLayoutEffect(() => {
    drawRef.current = draw;
  });
  useEffect(() => {
    const from = shown.current;
    if (from === target) return;
    if (prefersReducedMotion() || from.length !== target.length || typeof requestAnimationFrame !== 'function' || !movesMoreThan(from, target, still)) {
      shown.current = target;
      drawRef.current(target);
      return;
    }
    const t0 = performance.now();
    let raf = 0;
    const tick = (now: number) => {
      const u = Math.min(1, (now - t0) / ms);
      const e = easeCubicInOut(u);
      const next = u >= 1 ? target : target.map((v, i) => (Number.isFinite(from[i]) && Number.isFinite(v) ? from[i] + (v - from[i]) * e : v));
      shown.current = next;
      drawRef.current(next);
      if (u < 1) raf = requestAnimationFrame(tick);
    };
    raf = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(raf);
  }, [target, ms, still]);
  return shown;
}

/** True when some entry pair differs by more than `still` (a non-finite one counts as a move). */
export function movesMoreThan(from: readonly number[], to: readonly number[], still: number): boolean {
  for (let i = 0; i < to.length; i++) if (!(Math.abs(to[i] - from[i]) <= still)) return true;
  return false;
}
