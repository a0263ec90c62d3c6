/**
 * Colours readable by colour-blind viewers: the Okabe–Ito palette for categories, viridis for
 * magnitudes, and a blue–orange diverging scale for signed values (hidden states, gates).
 */
import { interpolatePuOr, interpolateViridis } from 'd3';

export const OKABE_ITO = {
  orange: '#E69F00',
  skyBlue: '#56B4E9',
  green: '#009E73',
  yellow: '#F0E442',
  blue: '#0072B2',
  vermillion: '#D55E00',
  purple: '#CC79A7',
  grey: '#999999',
} as const;

/** Roles, so every panel uses one colour for one meaning. */
export const ROLE = {
  forward: OKABE_ITO.blue,
  backward: OKABE_ITO.vermillion,
  loss: OKABE_ITO.blue,
  metric: OKABE_ITO.green,
  baseline: OKABE_ITO.grey,
  beforeClip: OKABE_ITO.vermillion,
  afterClip: OKABE_ITO.blue,
  threshold: OKABE_ITO.orange,
  clipEvent: OKABE_ITO.orange,
  reverse: OKABE_ITO.purple,
  /** ∂L/∂x_t: the gradient that reaches the inputs */
  input: OKABE_ITO.green,
} as const;

/** Signed values in [−1, 1] → colour (orange negative, purple positive, white at 0). */
export const diverging = (v: number): string => interpolatePuOr(0.5 - 0.5 * Math.max(-1, Math.min(1, v)));
/** Magnitudes in [0, 1] → colour. */
export const sequential = (v: number): string => interpolateViridis(Math.max(0, Math.min(1, v)));
