/** The playground run's divergence, while it stands: what the recovery bar shows and offers. */
import { create } from 'zustand';
import type { Divergence } from '../worker/divergence';

export const useDivergence = create<Divergence | null>()(() => null);
export const clearDivergence = () => useDivergence.setState(null, true);
