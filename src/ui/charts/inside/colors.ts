/**
 * Colour look-up tables for canvas heatmaps: 256 RGB entries sampled from the theme's
 * colour-blind-safe scales, so a grid of thousands of cells costs no colour parsing.
 */
import { rgb } from 'd3';
import { diverging, sequential } from '../../theme';

export type Lut = Uint8ClampedArray; // (256, 3)

function makeLut(colour: (u: number) => string): Lut {
  const lut = new Uint8ClampedArray(256 * 3);
  for (let i = 0; i < 256; i++) {
    const c = rgb(colour(i / 255));
    lut[i * 3] = c.r;
    lut[i * 3 + 1] = c.g;
    lut[i * 3 + 2] = c.b;
  }
  return lut;
}

/** u ∈ [0, 1] ↦ diverging(−1 … 1) */
export const DIVERGING_LUT = makeLut((u) => diverging(2 * u - 1));
/** u ∈ [0, 1] ↦ viridis */
export const SEQUENTIAL_LUT = makeLut(sequential);

/** A value's LUT index for the domain [lo, hi]; NaN gives −1 (drawn as a hatch-grey "no value"). */
export function lutIndex(v: number, lo: number, hi: number): number {
  if (Number.isNaN(v)) return -1;
  const u = hi > lo ? (v - lo) / (hi - lo) : 0.5;
  return Math.round(255 * Math.max(0, Math.min(1, u)));
}

export const cssColour = (lut: Lut, i: number): string => `rgb(${lut[i * 3]},${lut[i * 3 + 1]},${lut[i * 3 + 2]})`;
