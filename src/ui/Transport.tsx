/**
 * Play/pause, one step, reset and the step count: the top bar's and an embedded panel's. It drives
 * what is on screen: a lesson's side-by-side runs while they are shown, else the playground's run.
 */
import { transport, useComparisonTransport } from '../store/transport';
import { usePlayground } from '../store/store';

export function Transport() {
  const comparison = useComparisonTransport();
  const playing = usePlayground((s) => s.playing);
  const stepCount = usePlayground((s) => s.step);
  const shownPlaying = comparison ? comparison.playing : playing;
  const shownSteps = comparison ? comparison.steps.join(' · ') : String(stepCount);
  return (
    <div className="transport" role="group" aria-label="Training">
      <button type="button" className="primary" onClick={() => (shownPlaying ? transport.pause() : transport.play())} aria-keyshortcuts="Space" data-testid="play">
        {shownPlaying ? 'Pause' : 'Play'}
      </button>
      <button type="button" onClick={() => transport.step()} aria-keyshortcuts="ArrowRight" title="One step (→)">
        Step
      </button>
      <button type="button" onClick={() => transport.reset()} aria-keyshortcuts="r" title="Start over from the seed (r)">
        Reset
      </button>
      <span className="step-count" aria-live="off" title={comparison ? 'the step of each run side by side' : undefined}>
        step <strong data-testid="header-step">{shownSteps}</strong>
      </span>
    </div>
  );
}
