/**
 * The wasm backend: WebAssembly SIMD kernels in float32, the fast path on a machine without a GPU.
 * Same semantics as the reference backend (../reference): it owns the weights and the optimizer
 * state, keeps both across steps, and hands float64 copies back only when asked.
 */
import type { Batch } from '../../engine/batch';
import type { RunOptions } from '../../engine/bptt';
import type { Model } from '../../engine/model';
import type { BackendGradients, StepStats, TrainOptionsForBackend, TrainingBackend } from '../types';
import { loadKernels, type WasmSource } from './loader';
import { WasmTrainer } from './trainer';

export { isWasmSimdSupported } from './loader';

export interface WasmBackendOptions {
  /** the kernels module: bytes, a compiled module or a URL; by default the built build/rnn.wasm */
  wasm?: WasmSource;
}

export async function createWasmBackend(options: WasmBackendOptions = {}): Promise<TrainingBackend> {
  let trainer: WasmTrainer | null = new WasmTrainer(await loadKernels(options.wasm));
  const current = (): WasmTrainer => {
    if (!trainer) throw new Error('wasm backend: disposed');
    if (!trainer.hasModel) throw new Error('wasm backend: setModel first');
    return trainer;
  };
  return {
    name: 'wasm',
    description: 'WebAssembly SIMD (float32)',
    isSoftware: false,
    async setModel(model: Model) {
      if (!trainer) throw new Error('wasm backend: disposed');
      trainer.setModel(model);
    },
    async readParams() {
      return current().readParams();
    },
    async forwardBackward(batch: Batch, opts: RunOptions): Promise<BackendGradients> {
      const t = current();
      const loss = t.run(batch, opts);
      return { outputs: t.outputs(), loss, grads: t.grads(), gradNorm: t.gradNorm(), hiddenGrads: t.hiddenGrads() };
    },
    async trainStep(batch: Batch, opts: TrainOptionsForBackend): Promise<StepStats> {
      const t = current();
      t.useOptimizer(opts.optimizer);
      const loss = t.run(batch, opts);
      const gradNorm = t.gradNorm();
      // A diverged step (NaN or ±Inf anywhere) leaves the weights as they were.
      const finite = Number.isFinite(loss) && Number.isFinite(gradNorm);
      const clip = finite ? t.clip(opts.clip, gradNorm) : { clipped: false, normAfter: gradNorm };
      if (finite) t.update(opts.optimizer);
      return {
        loss,
        gradNormBefore: gradNorm,
        gradNormAfter: clip.normAfter,
        clipped: clip.clipped,
        applied: finite,
        outputs: t.outputs(),
        hiddenGrads: t.hiddenGrads(),
        hiddenStates: t.hiddenStates(),
        finalState: t.finalState(),
      };
    },
    dispose() {
      trainer = null;
    },
  };
}
