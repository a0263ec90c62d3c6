/**
 * Hooks the live charts share: a redraw tick that follows the store's metricsVersion at most once
 * per animation frame, the root font size (charts size their margins in rem so the lecture mode's
 * larger text still fits), and a throttled store selector for text that screen readers announce.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
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
        setTick((t) => t + 1);
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
