/**
 * An independent way to get ∂L/∂h_t of the top layer: perturb one entry of one top-layer state
 * while re-running the forward pass step by step, and take central differences of the loss.
 * It shares only the single-step cell forward with the engine (itself pinned by the PyTorch
 * outputs), none of the BPTT bookkeeping that hiddenGrads comes from.
 */
import type { Batch } from '../src/engine/batch';
import type { RunOptions } from '../src/engine/bptt';
import { cellFor } from '../src/engine/cells';
import { lossAndGradient } from '../src/engine/loss';
import { directionsOf, layerInputSize, layerParams, type Model } from '../src/engine/model';

export interface Probe {
  t: number;
  dir: number;
  b: number;
  j: number;
  delta: number;
}

export function lossWithTopStatePerturbed(model: Model, batch: Batch, opts: RunOptions, probe: Probe | null): number {
  const { spec, params } = model;
  const { B, T } = batch;
  const H = spec.hiddenSize;
  const dirs = directionsOf(spec);
  const Hd = H * dirs;
  const cell = cellFor(spec);
  let input = batch.x; // (T, B, D)
  for (let l = 0; l < spec.numLayers; l++) {
    const D = layerInputSize(spec, l);
    const out = new Float64Array(T * B * Hd); // (T, B, H·dirs)
    for (let dir = 0; dir < dirs; dir++) {
      const p = layerParams(params, l, dir);
      let h = new Float64Array(B * H);
      let c: Float64Array | null = spec.cell === 'lstm' ? new Float64Array(B * H) : null;
      for (let b = 0; b < B; b++) {
        if (p.h0) h.set(p.h0, b * H);
        if (p.c0 && c) c.set(p.c0, b * H);
      }
      for (let s = 0; s < T; s++) {
        const t = dir === 0 ? s : T - 1 - s;
        const step = cell.forward(p, input.subarray(t * B * D, (t + 1) * B * D), h, c, { B, D, H });
        h = new Float64Array(step.h);
        c = step.c;
        if (probe && l === spec.numLayers - 1 && probe.t === t && probe.dir === dir) h[probe.b * H + probe.j] += probe.delta;
        for (let b = 0; b < B; b++) out.set(h.subarray(b * H, (b + 1) * H), (t * B + b) * Hd + dir * H);
      }
    }
    input = out;
  }
  const W = params['readout.weight'].data; // (Y, H·dirs)
  const bias = params['readout.bias'].data; // (Y)
  const Y = spec.outputSize;
  const rows = opts.readout === 'every_step' ? input : input.subarray((T - 1) * B * Hd);
  const N = opts.readout === 'every_step' ? T * B : B;
  const y = new Float64Array(N * Y); // (N, Y)
  for (let n = 0; n < N; n++)
    for (let k = 0; k < Y; k++) {
      let s = bias[k];
      for (let m = 0; m < Hd; m++) s += W[k * Hd + m] * rows[n * Hd + m];
      y[n * Y + k] = s;
    }
  const mask = opts.readout === 'every_step' ? (batch.mask ?? null) : null;
  return lossAndGradient(opts.loss, y, batch.target, mask, N, Y, B).loss;
}

/** Central-difference ∂L/∂h_t for every entry of the top layer, (T, B, H·dirs). */
export function finiteDifferenceHiddenGrads(model: Model, batch: Batch, opts: RunOptions, delta = 1e-6): Float64Array {
  const { B, T } = batch;
  const H = model.spec.hiddenSize;
  const dirs = directionsOf(model.spec);
  const out = new Float64Array(T * B * H * dirs); // (T, B, H·dirs)
  for (let t = 0; t < T; t++)
    for (let dir = 0; dir < dirs; dir++)
      for (let b = 0; b < B; b++)
        for (let j = 0; j < H; j++) {
          const up = lossWithTopStatePerturbed(model, batch, opts, { t, dir, b, j, delta });
          const down = lossWithTopStatePerturbed(model, batch, opts, { t, dir, b, j, delta: -delta });
          out[(t * B + b) * H * dirs + dir * H + j] = (up - down) / (2 * delta);
        }
  return out;
}
