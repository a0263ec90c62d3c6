/**
 * The typed protocol between the page and the training worker: one module both sides import (the
 * page as types only). Every message from the worker carries the run id it belongs to, so the page
 * drops frames from before a reset. Big arrays travel as transferable typed arrays.
 */
import type { Analysis } from '../engine/analysis';
import type { ModelSpec } from '../engine/model';
import type { TaskInfo } from '../engine/tasks';
import type { BackendName } from '../kernels/types';
import type { PlaygroundConfig } from './config';
import type { Divergence } from './divergence';

export type ToWorker =
  /** full settings; the worker applies live keys at the next step and rebuilds for the others */
  | { type: 'configure'; runId: number; config: PlaygroundConfig }
  /** text for the character model (pasted by the user); validated in the worker */
  | { type: 'setText'; runId: number; text: string }
  | { type: 'play' }
  | { type: 'pause' }
  | { type: 'step' }
  | { type: 'reset'; runId: number }
  /** the page has drawn the last frame: the worker may send the next (back-pressure, ≤ 1 per frame) */
  | { type: 'frameAck' }
  | { type: 'analyze' }
  | { type: 'saveModel'; requestId: number }
  /** a model file; `atStep` continues the step count (a restart from saved weights), else 0 */
  | { type: 'loadModel'; runId: number; text: string; atStep?: number }
  /** text from the character model with the latest weights (char_lm only) */
  | { type: 'sample'; requestId: number; prompt: string; length: number; temperature: number }
  /** fault injection for tests: lose the GPU device, or crash the worker */
  /** after a divergence: bring back the weights of `fromStep` (a checkpoint the worker kept), take
   *  the (live) settings, and train on */
  | { type: 'restore'; runId: number; fromStep: number; config: PlaygroundConfig }
  /** fault injection for tests: lose the GPU device, crash the worker, or hang it in a busy loop */
  | { type: 'simulateFault'; fault: Fault };

export type Fault = 'device-loss' | 'crash' | 'hang';

export interface BackendInfo {
  name: BackendName;
  description: string;
  isSoftware: boolean;
}

/** What the "inside the network" panel shows for example 0 of the latest batch. */
export interface Snapshot {
  /** (T, D) the inputs */
  inputs: Float32Array;
  /** (T, H·dirs) the top layer's hidden states */
  hiddenStates: Float32Array;
  /** (T, G·H) gate values of the top layer's forward direction (LSTM, GRU), or null */
  gates: Float32Array | null;
  /** (N, Y) the readout: N = T (every step) or 1 (final step); logits for cross-entropy */
  outputs: Float32Array;
  /** (N, Y) MSE targets, or (N) class ids */
  targets: Float32Array;
  /** (T) 1 where the step is scored */
  mask: Float32Array | null;
}

export interface MetricFrame {
  type: 'frame';
  runId: number;
  /** updates done so far */
  step: number;
  /** one entry per training step since the previous frame */
  stepIndices: Float64Array;
  /** the loss L trained on: summed over each sequence's scored steps, averaged over the batch */
  losses: Float64Array;
  /** L per scored step (nats, or ½·squared error): the unit the task's baseline is given in */
  lossesPerStep: Float64Array;
  metrics: Float64Array;
  gradNormsBefore: Float64Array;
  gradNormsAfter: Float64Array;
  clipped: Uint8Array;
  stepsPerSecond: number;
  /** (T) ‖∂L/∂h_t‖ over the batch at the latest step, each direction's state included */
  hiddenGradNorms: Float64Array;
  snapshot: Snapshot | null;
  analysis: Analysis | null;
}

export type NoticeCode = 'fallback' | 'diverged' | 'bad-model-file' | 'bad-text' | 'bad-config' | 'live-change' | 'reset-needed' | 'worker-error';

export type FromWorker =
  | {
      type: 'ready';
      runId: number;
      task: TaskInfo;
      model: ModelSpec;
      parameterCount: number;
      backend: BackendInfo;
      /** the config the run really uses (a loaded model file may change the architecture) */
      config: PlaygroundConfig;
    }
  | MetricFrame
  | { type: 'status'; runId: number; playing: boolean; step: number }
  | { type: 'backend'; runId: number; backend: BackendInfo }
  | { type: 'notice'; runId: number; level: 'info' | 'warning' | 'error'; code: NoticeCode; message: string }
  /** training stopped on a NaN or Inf: what happened and the ways back (see divergence.ts) */
  | ({ type: 'diverged'; runId: number } & Divergence)
  | { type: 'model'; requestId: number; json: string }
  | { type: 'sample'; requestId: number; text: string; step: number };

/** The transferable buffers of a message, so postMessage moves them instead of copying. */
export function transferablesOf(msg: FromWorker): Transferable[] {
  if (msg.type !== 'frame') return [];
  const arrays: (ArrayBufferView | null)[] = [msg.stepIndices, msg.losses, msg.lossesPerStep, msg.metrics, msg.gradNormsBefore, msg.gradNormsAfter, msg.clipped, msg.hiddenGradNorms];
  if (msg.snapshot) arrays.push(...Object.values(msg.snapshot));
  return arrays.filter((a): a is ArrayBufferView => a !== null).map((a) => a.buffer as ArrayBuffer);
}
