/**
 * A reference case (src/engine/referenceCase.ts) run on a training backend instead of the float64
 * engine: the keys of one forward/backward pass and, when the case trains, of its steps, in the
 * layouts of `expected`. The engine CLI's `--backend` and the backend tests use it, so a case
 * means the same on every backend.
 */
import { directionsOf } from '../engine/model';
import { stateDictOf } from '../engine/modelFile';
import { isSuccessorCase, passKeys, type ReferenceCase, type SuccessorCase } from '../engine/referenceCase';
import type { TrainingBackend } from './types';

export async function runCaseOnBackend(c: ReferenceCase | SuccessorCase, backend: TrainingBackend): Promise<Record<string, unknown>> {
  const spec = c.model.spec;
  const width = isSuccessorCase(c) ? spec.hiddenSize : spec.hiddenSize * directionsOf(spec); // of the top layer's output
  const opts = { ...c.opts, initialState: null };
  await backend.setModel(c.model);
  const out = passKeys(await backend.forwardBackward(c.batch, opts), c.batch, c.opts.readout, spec.outputSize, width);
  if (c.training) {
    await backend.setModel(c.model);
    const losses: number[] = [];
    const norms: number[] = [];
    const after: unknown[] = [];
    for (let s = 0; s < c.training.steps; s++) {
      const step = await backend.trainStep(c.batch, { ...opts, clip: c.training.clip, optimizer: c.training.optimizer });
      losses.push(step.loss);
      norms.push(step.gradNormBefore);
      after.push(stateDictOf(await backend.readParams()));
    }
    Object.assign(out, { lossesDuringTraining: losses, gradNormsDuringTraining: norms, paramsAfter: after });
  }
  return out;
}
