/**
 * What the harness page and its worker say to each other, and what `window.harness.run` returns:
 * everything as plain nested arrays in the layouts of a case's `expected` block, so a test
 * compares them key by key with the reference README's rule.
 */
import type { OptimizerSpec } from '../engine/optim';

export interface HarnessRequest {
  /** 'reference' | 'webgpu' | 'gpujs' | 'wasm' */
  backend: string;
  /** raw case JSON, format rnn-playground/case@1 */
  cases: unknown[];
  /** multiplies every weight matrix (not biases) before the run: a large-pre-activation probe */
  scaleWeights?: number;
  /** skip the training steps of cases that have them */
  skipTraining?: boolean;
  /** features the case format has no field for, applied alike on every backend */
  extras?: HarnessExtras;
}

export interface HarnessExtras {
  /** every-step readouts: a fixed mask, 0 where (t + b) % 3 = 2 */
  mask?: boolean;
  /** start from a given (stateful) state, a fixed pattern, instead of the zero or learned one */
  initialState?: boolean;
  /** the optimizer of each training step in turn (a change of kind starts a fresh one) */
  optimizers?: OptimizerSpec[];
  /** puts a NaN into the inputs: every training step must leave the weights alone */
  poison?: boolean;
  /** after the cases, lose the device on purpose where the backend can (gpujs): see `lost` */
  loseDevice?: boolean;
}

export interface BackendInfo {
  name: string;
  description: string;
  isSoftware: boolean;
  /** gpu.js only: the class of the kernel that really ran, e.g. "WebGL2Kernel" */
  kernelClass?: string;
}

export interface CaseResult {
  name: string;
  /** [B][T][Y] or [B][Y] */
  outputs: unknown;
  loss: number;
  /** state_dict layout */
  grads: Record<string, unknown>;
  gradNorm: number;
  /** [T][B][H·dirs] */
  hiddenGrads: number[][][];
  /** present for cases with training */
  lossesDuringTraining?: number[];
  gradNormsDuringTraining?: number[];
  paramsAfter?: Record<string, unknown>[];
  applied?: boolean[];
  /** per training step: the final state, flattened h then c of every layer and direction */
  finalStates?: number[][];
  /** per training step: gradNormAfter and clipped */
  gradNormsAfter?: number[];
  clipped?: boolean[];
  /** milliseconds of the forward+backward pass, and of all training steps */
  ms: { forwardBackward: number; training: number };
}

export interface HarnessResult {
  backend: BackendInfo | null;
  cases: CaseResult[];
  /** set when the backend could not start or a case threw */
  error?: string;
  /** with extras.loseDevice: what onDeviceLost reported (null: nothing within 5 s), and the
   *  error a call made after the loss threw */
  lost?: { reason: string | null; afterwards: string | null };
}

export type ToWorker = { id: number; request: HarnessRequest };
export type FromWorker = { id: number; result: HarnessResult };

/** What the harness page puts on `window.harness`. */
export interface HarnessApi {
  run(request: HarnessRequest): Promise<HarnessResult>;
  /** true once the page has set up the worker */
  ready: boolean;
}
