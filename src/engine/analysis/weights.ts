/**
 * Spectra of the recurrent weights, gate block by gate block (an (H, H) block of W_hh per gate):
 * eigenvalues (complex, by modulus), spectral radius ρ, and singular values. σ_max is Pascanu et
 * al.'s bound: if σ_max < 1/γ, with γ bounding |φ'| (1 for tanh), gradients must vanish.
 */
import { directionsOf, gatesOf, layerParams, type Model } from '../model';
import { eigenvalues, singularValues } from '../spectra';

export const GATE_NAMES: Record<Model['spec']['cell'], string[]> = {
  rnn: ['W_hh'],
  lstm: ['W_hi', 'W_hf', 'W_hg', 'W_ho'],
  gru: ['W_hr', 'W_hz', 'W_hn'],
};

export interface BlockSpectrum {
  gate: string;
  /** [re, im], modulus descending */
  eigenvalues: [number, number][];
  spectralRadius: number;
  /** descending; empty where not asked for (the fast analysis: no panel draws them, and at H = 256
   *  an SVD per gate block cost as much as all the Jacobian products) */
  singularValues: number[];
}

export function recurrentWeightSpectra(model: Model, layer = 0, dir = 0, withSingularValues = true): BlockSpectrum[] {
  const { spec } = model;
  if (layer >= spec.numLayers || dir >= directionsOf(spec)) throw new RangeError(`no layer ${layer}, direction ${dir} in this model`);
  const H = spec.hiddenSize;
  const W_hh = layerParams(model.params, layer, dir).W_hh; // (G·H, H)
  return Array.from({ length: gatesOf(spec.cell) }, (_, g) => {
    const block = W_hh.subarray(g * H * H, (g + 1) * H * H); // (H, H)
    const eig = eigenvalues(block, H);
    return {
      gate: GATE_NAMES[spec.cell][g],
      eigenvalues: eig,
      spectralRadius: eig.length ? Math.hypot(eig[0][0], eig[0][1]) : 0,
      singularValues: withSingularValues ? singularValues(block, H, H) : [],
    };
  });
}
