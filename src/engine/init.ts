/**
 * Initializations. Each sets every parameter of a model from a seeded generator.
 *
 *   pytorch     every RNN weight and bias U(−1/√H, 1/√H), as torch.nn.RNN/LSTM/GRU.reset_parameters
 *   xavier      W_ih and each gate block of W_hh Glorot-uniform U(±√(6/(fan_in+fan_out))), biases 0
 *   orthogonal  each gate block of W_hh = gain · Q, Q a Haar-random orthogonal matrix (Saxe et al.)
 *   identity    each gate block of W_hh = scale · I (IRNN, Le, Jaitly & Hinton 2015), biases 0
 *   gaussian    each gate block of W_hh ~ N(0, 1/H), rescaled so its spectral radius is exactly ρ
 * For every scheme but `pytorch`, W_ih is Xavier and the biases are zero. `spectralRadius`
 * (optional, any scheme) rescales each W_hh gate block to that radius afterwards. The readout is
 * always torch.nn.Linear's default, U(−1/√fan_in, 1/√fan_in) for weight and bias.
 */
import { directionsOf, gatesOf, layerInputSize, layerParams, zeroParams, type Model, type ModelSpec } from './model';
import type { Rng } from './rng';
import { orthogonalFactor, spectralRadius } from './spectra';

export type InitScheme = 'pytorch' | 'xavier' | 'orthogonal' | 'identity' | 'gaussian';

export interface InitSpec {
  scheme: InitScheme;
  /** orthogonal: the gain; identity: the scale; gaussian: the spectral radius ρ. Default 1. */
  gain?: number;
  /** rescale every W_hh gate block to this spectral radius after the scheme has run */
  spectralRadius?: number | null;
  /** LSTM only: the forget gate's bias (in b_ih; b_hh's forget block is 0). Jozefowicz et al. use 1. */
  forgetBias?: number | null;
}

function fillUniform(rng: Rng, a: Float64Array, bound: number): void {
  for (let i = 0; i < a.length; i++) a[i] = rng.uniformIn(-bound, bound);
}

/** Writes an (H, H) block into gate g of W_hh (G·H, H). */
function setGateBlock(W_hh: Float64Array, g: number, block: Float64Array, H: number): void {
  W_hh.set(block, g * H * H);
}

function gateBlock(W_hh: Float64Array, g: number, H: number): Float64Array {
  return W_hh.subarray(g * H * H, (g + 1) * H * H); // (H, H), a view
}

/** Rescales each (H, H) gate block of W_hh in place so that its spectral radius is ρ. */
export function rescaleSpectralRadius(W_hh: Float64Array, H: number, rho: number): void {
  const G = W_hh.length / (H * H);
  for (let g = 0; g < G; g++) {
    const block = gateBlock(W_hh, g, H);
    const current = spectralRadius(block, H);
    if (current === 0) continue; // a zero matrix has no direction to scale
    for (let i = 0; i < block.length; i++) block[i] *= rho / current;
  }
}

function recurrentBlock(rng: Rng, init: InitSpec, H: number): Float64Array {
  const gain = init.gain ?? 1;
  const block = new Float64Array(H * H); // (H, H)
  if (init.scheme === 'identity') {
    for (let i = 0; i < H; i++) block[i * H + i] = gain;
  } else if (init.scheme === 'orthogonal') {
    for (let i = 0; i < block.length; i++) block[i] = rng.normal();
    const Q = orthogonalFactor(block, H);
    for (let i = 0; i < block.length; i++) block[i] = gain * Q[i];
  } else if (init.scheme === 'gaussian') {
    for (let i = 0; i < block.length; i++) block[i] = rng.normal() / Math.sqrt(H);
    rescaleSpectralRadius(block, H, gain);
  } else {
    fillUniform(rng, block, Math.sqrt(6 / (H + H))); // xavier
  }
  return block;
}

export function initModel(spec: ModelSpec, init: InitSpec, rng: Rng): Model {
  const params = zeroParams(spec);
  const H = spec.hiddenSize;
  const G = gatesOf(spec.cell);
  for (let l = 0; l < spec.numLayers; l++) {
    const D = layerInputSize(spec, l);
    for (let dir = 0; dir < directionsOf(spec); dir++) {
      const p = layerParams(params, l, dir);
      if (init.scheme === 'pytorch') {
        const k = 1 / Math.sqrt(H);
        for (const a of [p.W_ih, p.W_hh, p.b_ih, p.b_hh]) fillUniform(rng, a, k);
      } else {
        fillUniform(rng, p.W_ih, Math.sqrt(6 / (D + H))); // Glorot per gate block: fan_in D, fan_out H
        for (let g = 0; g < G; g++) setGateBlock(p.W_hh, g, recurrentBlock(rng, init, H), H);
      }
      if (init.spectralRadius != null) rescaleSpectralRadius(p.W_hh, H, init.spectralRadius);
      if (spec.cell === 'lstm' && init.forgetBias != null) {
        p.b_ih.fill(init.forgetBias, H, 2 * H); // gate order i, f, g, o: f is the second block
        p.b_hh.fill(0, H, 2 * H);
      }
    }
  }
  // The learned initial state starts at zero, like the fixed one, so both models start alike.
  if (spec.outputSize > 0) {
    const fanIn = H * directionsOf(spec);
    fillUniform(rng, params['readout.weight'].data, 1 / Math.sqrt(fanIn));
    fillUniform(rng, params['readout.bias'].data, 1 / Math.sqrt(fanIn));
  }
  return { spec, params };
}
