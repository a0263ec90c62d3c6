import { Panel } from '../Panel';

/** Placeholder until the panel is written. */
export function InsidePanel() {
  return (
    <Panel id="inside" title="Inside the network" note="Coming next.">
      <p className="placeholder-text">…</p>
    </Panel>
  );
}
