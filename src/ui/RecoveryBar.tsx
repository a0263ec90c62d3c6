/**
 * After a divergence: what happened, and one click for each way back that works — restore the
 * weights of a few steps before the blow-up with the advised change and train on, or start over
 * from the seed with it. Each button says exactly which.
 */
import { restoreWith, startOverWith } from '../store/controller';
import { clearDivergence, useDivergence } from '../store/divergence';
import './recovery.css';

export function RecoveryBar() {
  const d = useDivergence();
  if (!d) return null;
  const live = d.advice.find((a) => a.live);
  const first = d.advice[0];
  return (
    <section className="recovery" role="alert" aria-label="Training diverged" data-testid="recovery">
      <p>
        <strong>Training diverged.</strong> {d.message}
      </p>
      <div className="recovery-actions">
        {live && d.restoreStep !== null && (
          <button type="button" className="primary" onClick={() => restoreWith(live)} data-testid="recovery-restore">
            Restore step {d.restoreStep} and {live.label}
          </button>
        )}
        {first && (
          <button type="button" onClick={() => startOverWith(first)} data-testid="recovery-reset">
            Start over and {first.label}
          </button>
        )}
        <button type="button" onClick={clearDivergence} aria-label="Dismiss">
          Dismiss
        </button>
      </div>
    </section>
  );
}
