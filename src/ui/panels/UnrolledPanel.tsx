import { Panel } from '../Panel';

/** Placeholder until the panel is written. */
export function UnrolledPanel() {
  return (
    <Panel id="unrolled" title="Unrolled network" note="Coming next.">
      <p className="placeholder-text">…</p>
    </Panel>
  );
}
