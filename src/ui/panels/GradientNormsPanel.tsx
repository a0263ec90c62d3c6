import { Panel } from '../Panel';

/** Placeholder until the panel is written. */
export function GradientNormsPanel() {
  return (
    <Panel id="gradient-norms" title="Gradient norm by time step" note="Coming next.">
      <p className="placeholder-text">…</p>
    </Panel>
  );
}
