/**
 * The reference backend: the float64 engine itself, the oracle every other backend is held to.
 */
import type { Batch } from '../../engine/batch';
import type { RunOptions } from '../../engine/bptt';
import { cloneModel, cloneParams, type Model } from '../../engine/model';
import type { Optimizer } from '../../engine/optim';
import { optimizerFor, trainStep } from '../../engine/train';
import { lossAndGradients } from '../../engine/bptt';
import type { BackendGradients, StepStats, TrainOptionsForBackend, TrainingBackend } from '../types';

export function createReferenceBackend(): TrainingBackend {
  let model: Model | null = null;
  let optimizer: Optimizer | null = null;
  const current = (): Model => {
    if (!model) throw new Error('reference backend: setModel first');
    return model;
  };
  return {
    name: 'reference',
    description: 'float64 JavaScript (reference)',
    isSoftware: false,
    async setModel(m) {
      model = cloneModel(m);
      optimizer = null;
    },
    async readParams() {
      return cloneParams(current().params);
    },
    async forwardBackward(batch: Batch, opts: RunOptions): Promise<BackendGradients> {
      const r = lossAndGradients(current(), batch, opts);
      return { outputs: r.outputs, loss: r.loss, grads: r.grads, gradNorm: r.gradNorm, hiddenGrads: r.hiddenGrads };
    },
    async trainStep(batch: Batch, opts: TrainOptionsForBackend): Promise<StepStats> {
      const m = current();
      optimizer = optimizerFor(optimizer, opts.optimizer);
      const r = trainStep(m, optimizer, batch, opts);
      return {
        loss: r.loss,
        gradNormBefore: r.clip.normBefore,
        gradNormAfter: r.clip.normAfter,
        clipped: r.clip.clipped,
        applied: r.applied,
        outputs: r.outputs,
        hiddenGrads: r.hiddenGrads,
        hiddenStates: r.layerOutputs[m.spec.numLayers - 1],
        finalState: r.finalState,
      };
    },
    dispose() {
      model = null;
      optimizer = null;
    },
  };
}
