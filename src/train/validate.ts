/**
 * What every backend refuses before a step, in the same words: a batch that does not fit the
 * model, targets that do not fit the readout and loss, a bad truncation or carried state.
 */
import type { Batch } from '../engine/batch';
import type { RunOptions } from '../engine/bptt';
import { directionsOf, type ModelSpec } from '../engine/model';

/** The fields of a model's spec the checks read: an RNN's, or a successor's (never bidirectional). */
export type CheckedSpec = Pick<ModelSpec, 'inputSize' | 'hiddenSize' | 'numLayers' | 'bidirectional' | 'outputSize'> & { cell: string };

export function validateRun(spec: CheckedSpec, batch: Batch, opts: RunOptions): void {
  const { B, T } = batch;
  const H = spec.hiddenSize;
  if (!(Number.isInteger(B) && B >= 1 && Number.isInteger(T) && T >= 1)) throw new Error(`bad batch size B=${B}, T=${T}`);
  if (batch.inputSize !== spec.inputSize || batch.x.length !== T * B * spec.inputSize)
    throw new Error(`the batch has ${batch.inputSize} inputs per step; the model takes ${spec.inputSize}`);
  const N = opts.readout === 'every_step' ? T * B : B;
  if (batch.target.length !== N * (opts.loss === 'mse' ? spec.outputSize : 1)) throw new Error('the targets do not fit the readout and loss');
  if (opts.truncation !== null && !(Number.isInteger(opts.truncation) && opts.truncation >= 1))
    throw new Error('truncation must be null or a whole number ≥ 1');
  const s = opts.initialState;
  if (s) {
    const n = spec.numLayers * directionsOf(spec);
    if (s.h.length !== n || s.h.some((h) => h.length !== B * H)) throw new Error('initialState.h must hold (B, H) per layer and direction');
    if (spec.cell === 'lstm' && (!s.c || s.c.length !== n || s.c.some((c) => c.length !== B * H)))
      throw new Error('an LSTM initialState needs c, (B, H) per layer and direction');
  }
}
