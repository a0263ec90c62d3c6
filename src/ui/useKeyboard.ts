import { useEffect } from 'react';
import { usePlayground } from '../store/store';
import { transport, useComparisonTransport } from '../store/transport';

function togglePlay(): void {
  const playing = useComparisonTransport.getState()?.playing ?? usePlayground.getState().playing;
  if (playing) transport.pause();
  else transport.play();
}

/** Space play/pause, → one step, r reset, ? help — except while typing in a field. */
export function useKeyboard(onHelp: () => void): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (t && (t.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(t.tagName))) return;
      if (e.key === ' ' && t?.tagName === 'BUTTON') return; // space on a focused button presses it
      if (e.key === ' ') togglePlay();
      else if (e.key === 'ArrowRight') transport.step();
      else if (e.key === 'r') transport.reset();
      else if (e.key === '?') onHelp();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onHelp]);
}
