/** Seeded random batches for the engine's tests. */
import type { Batch, LossKind, Readout } from '../src/engine/batch';
import type { ModelSpec } from '../src/engine/model';
import type { Rng } from '../src/engine/rng';

export function randomBatch(rng: Rng, spec: Pick<ModelSpec, 'inputSize' | 'outputSize'>, B: number, T: number, loss: LossKind, readout: Readout, withMask = false): Batch {
  const D = spec.inputSize;
  const Y = spec.outputSize;
  const N = readout === 'every_step' ? T * B : B;
  const x = new Float64Array(T * B * D).map(() => rng.normal()); // (T, B, D)
  const target =
    loss === 'mse'
      ? new Float64Array(N * Y).map(() => rng.normal()) // (N, Y)
      : new Float64Array(N).map(() => rng.int(Y)); // (N)
  const mask = withMask ? new Float64Array(T * B).map(() => (rng.uniform() < 0.6 ? 1 : 0)) : undefined; // (T, B)
  return { B, T, inputSize: D, x, target, ...(mask ? { mask } : {}) };
}
