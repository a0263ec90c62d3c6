/**
 * One interface for every training backend (reference, wasm, webgpu, gpujs), so that the worker
 * and the tests treat them alike. A backend owns its copy of the weights and the optimizer state
 * (on the GPU for the GPU backends) and hands float64 values back only when asked.
 */
import type { Batch } from '../engine/batch';
import type { RecurrentState, RunOptions } from '../engine/bptt';
import type { ClipSpec } from '../engine/clip';
import type { Model, Params } from '../engine/model';
import type { SuccessorKind, SuccessorModel } from '../engine/successors/spec';
import type { OptimizerSpec } from '../engine/optim';

export type BackendName = 'reference' | 'wasm' | 'webgpu' | 'gpujs';

/** What one forward + BPTT pass returns, in the engine's layouts (float32 backends widen to float64). */
export interface BackendGradients {
  /** (T, B, Y) or (B, Y) */
  outputs: Float64Array;
  loss: number;
  /** ∂L/∂θ by state_dict name */
  grads: Params;
  gradNorm: number;
  /** (T, B, H·dirs) total ∂L/∂h_t of the top layer */
  hiddenGrads: Float64Array;
  /** (T, B, D) ∂L/∂x_t: the gradient that reaches each input */
  inputGrads: Float64Array;
}

/** What a training step reports to the charts. */
export interface StepStats {
  loss: number;
  gradNormBefore: number;
  gradNormAfter: number;
  clipped: boolean;
  /** false when the loss or a gradient was NaN/±Inf: the weights were left as they were */
  applied: boolean;
  /** (T, B, Y) or (B, Y) the outputs of the batch, before the update */
  outputs: Float64Array;
  /** (T) ‖∂L/∂h_t‖ of the top layer over the batch, for each t (what the gradient chart plots) */
  hiddenGradNorms: Float64Array;
  /** (T, B, H·dirs) total ∂L/∂h_t of the top layer; absent when the options said hiddenReads: false */
  hiddenGrads?: Float64Array;
  /** (T, B, H·dirs) the top layer's hidden states; absent when the options said hiddenReads: false */
  hiddenStates?: Float64Array;
  /** (T, B, D) ∂L/∂x_t, only when the options asked for it (it costs one more product) */
  inputGrads?: Float64Array;
  /** the state after the last step, for a stream's next chunk; backends that cannot give it omit it */
  finalState?: RecurrentState;
}

export interface TrainOptionsForBackend extends RunOptions {
  clip: ClipSpec;
  /** read at every step: the learning rate and its kind can change between steps */
  optimizer: OptimizerSpec;
  /** also compute ∂L/∂x_t this step (StepStats.inputGrads) */
  inputGrads?: boolean;
  /**
   * copy the top layer's h_t and ∂L/∂h_t out to StepStats (default true). The worker's trainer
   * says false: it charts only their norms per t, and two fresh (T, B, H) float64 arrays per step
   * cost a browser worker more than the step itself at small H.
   */
  hiddenReads?: boolean;
}

export interface TrainingBackend {
  readonly name: BackendName;
  /** what really runs, e.g. "WebAssembly SIMD" or "WebGPU on SwiftShader (software)" */
  readonly description: string;
  /** true when the "GPU" is a CPU emulator (SwiftShader, a fallback adapter): never preferred */
  readonly isSoftware: boolean;
  /** the successor kinds whose recurrence this backend can train as a parallel scan (RunOptions.scan); absent: none */
  readonly scanKinds?: readonly SuccessorKind[];
  /** uploads the weights and resets the optimizer state */
  /** an RNN stack, or a successor stack where the backend's kernels have its mixer */
  setModel(model: Model | SuccessorModel): Promise<void>;
  /** the current weights, as float64 */
  readParams(): Promise<Params>;
  /** forward and BPTT without an update (tests, analysis) */
  forwardBackward(batch: Batch, opts: RunOptions): Promise<BackendGradients>;
  /** forward, BPTT, clipping and the optimizer's update */
  trainStep(batch: Batch, opts: TrainOptionsForBackend): Promise<StepStats>;
  dispose(): void;
  /** GPU backends: called once if the device or context is lost, so the worker can hand over */
  onDeviceLost?(callback: (reason: string) => void): void;
  /** GPU backends: lose the device or context on purpose (tests of the handover) */
  simulateDeviceLoss?(): void;
}
