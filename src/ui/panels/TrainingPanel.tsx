import { Panel } from '../Panel';

/** Placeholder until the panel is written. */
export function TrainingPanel() {
  return (
    <Panel id="training" title="Training" note="Coming next.">
      <p className="placeholder-text">…</p>
    </Panel>
  );
}
