import { Panel } from '../Panel';

/** Placeholder until the panel is written. */
export function StatusPanel() {
  return (
    <Panel id="status" title="Status" note="Coming next.">
      <p className="placeholder-text">…</p>
    </Panel>
  );
}
