import { Panel } from '../Panel';

/** Placeholder until the panel is written. */
export function SpectraPanel() {
  return (
    <Panel id="spectra" title="Jacobian spectra" note="Coming next.">
      <p className="placeholder-text">…</p>
    </Panel>
  );
}
