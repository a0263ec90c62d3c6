/**
 * Play, pause, one step and reset go to whatever run is on screen: the playground's, or the
 * variants of a lesson's side-by-side view while it is shown (nothing trains that is not shown).
 * The header's buttons and the keyboard shortcuts call these; a comparison view takes the
 * transport over while it is mounted and hands it back when it goes.
 */
import { create } from 'zustand';

export interface Transport {
  play(): void;
  pause(): void;
  step(): void;
  reset(): void;
}

export interface TransportView {
  /** the runs on screen are training */
  playing: boolean;
  /** their step counts (one for the playground, one per variant when comparing) */
  steps: number[];
}

/** What the header shows of a comparison while it drives one; null when the playground is on screen. */
export const useComparisonTransport = create<TransportView | null>()(() => null);

let playground: Transport | null = null;
let override: Transport | null = null;

/** The playground's own transport (the controller registers it once). */
export function setPlaygroundTransport(t: Transport): void {
  playground = t;
}

/** A comparison view takes over; the returned function gives the transport back. */
export function takeOverTransport(t: Transport): () => void {
  override = t;
  return () => {
    if (override !== t) return;
    override = null;
    useComparisonTransport.setState(null, true);
  };
}

const target = (): Transport | null => override ?? playground;
export const transport: Transport = {
  play: () => target()?.play(),
  pause: () => target()?.pause(),
  step: () => target()?.step(),
  reset: () => target()?.reset(),
};
