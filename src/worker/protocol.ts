/**
 * The typed protocol between the page and the training worker: one module both sides import (the
 * page its types and its pure helpers). Every message from the worker carries the run id it belongs
 * to, so the page drops frames from before a reset. Big arrays travel as transferable typed arrays:
 * metric frames, and weights (one Float64Array, never JSON) both ways.
 */
import type { Analysis } from '../engine/analysis';
import type { SuccessorMemory } from '../engine/successors/memory';
import { anyParamShapes, type AnyModelSpec } from '../engine/anyModel';
import { sizeOf, type Params } from '../engine/model';
import type { TaskInfo } from '../engine/tasks';
import type { BackendName } from '../kernels/types';
import type { PlaygroundConfig } from './config';
import type { CostReport } from './costs';
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
  /** the latest weights, answered with a `weights` message (a backup, a model file, ρ(W_hh)) */
  | { type: 'readWeights'; requestId: number }
  /** a model file the user chose: validated in the worker, then a new run from its weights */
  | { type: 'loadModel'; runId: number; text: string }
  /** weights the page backed up: a new run from them that goes on counting from `atStep` (a
   *  restart after the worker crashed or stalled) */
  | { type: 'setWeights'; runId: number; weights: WeightsMessage; atStep: number }
  /** text from the character model with the latest weights (char_lm only) */
  | { type: 'sample'; requestId: number; prompt: string; length: number; temperature: number }
  /** pause, then time a training step of every kind of layer against T on this backend (costs.ts) */
  | { type: 'measureCosts'; requestId: number }
  /** after a divergence: bring back the weights of `fromStep` (a checkpoint the worker kept), take
   *  the (live) settings, and train on */
  | { type: 'restore'; runId: number; fromStep: number; config: PlaygroundConfig }
  /** fault injection for tests: lose the GPU device, crash the worker, or hang it in a busy loop */
  | { type: 'simulateFault'; fault: Fault };

/**
 * Parameters as they cross postMessage: one flat buffer that is moved (transferred), never copied
 * or turned into JSON. Tensor i is `data.subarray(offset_i, offset_i + Π shapes[i])`, row-major,
 * where offset_i is the sum of the sizes before it.
 */
export interface ParamsMessage {
  /** state_dict names, in state_dict order */
  names: string[];
  shapes: number[][];
  /** (Σ_i Π shapes[i]) every tensor's entries, one after the other in the order of `names` */
  data: Float64Array;
}

/** A model's weights: its architecture and its parameters. */
export interface WeightsMessage {
  spec: AnyModelSpec;
  params: ParamsMessage;
}

/** Copies `params` into one fresh buffer (the caller's tensors stay usable: only the copy moves). */
export function packParams(params: Params): ParamsMessage {
  const names = Object.keys(params);
  const shapes = names.map((n) => [...params[n].shape]);
  const data = new Float64Array(names.reduce((n, name) => n + params[name].data.length, 0)); // (Σ sizes)
  let at = 0;
  for (const name of names) {
    data.set(params[name].data, at);
    at += params[name].data.length;
  }
  return { names, shapes, data };
}

/** The tensors of `msg` as views into its one buffer (no copy); throws when they are not the
 *  parameters `spec` has (a name, a shape or the total size differs). */
export function unpackParams(spec: AnyModelSpec, msg: ParamsMessage): Params {
  const expected = anyParamShapes(spec);
  const sameShape = (a: number[], b: number[]) => a.length === b.length && a.every((d, i) => d === b[i]);
  const fits = expected.length === msg.names.length && expected.every(([name, shape], i) => msg.names[i] === name && sameShape(shape, msg.shapes[i] ?? []));
  const total = expected.reduce((n, [, shape]) => n + sizeOf(shape), 0);
  if (!fits || msg.data.length !== total) throw new Error('the weights do not fit the model they came with');
  const params: Params = {};
  let at = 0;
  for (const [name, shape] of expected) {
    const n = sizeOf(shape);
    params[name] = { shape: [...shape], data: msg.data.subarray(at, at + n) };
    at += n;
  }
  return params;
}

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
  /** (T) ‖∂L/∂x_t‖ over the batch: the gradient that reaches each input, computed at step
   *  `inputGradStep` (it costs one more product, so only the frame's last step computes it, or its
   *  first when the page's acknowledgement came mid-step); empty, with step 0, before any step */
  inputGradNorms: Float64Array;
  inputGradStep: number;
  snapshot: Snapshot | null;
  analysis: Analysis | null;
  /** a successor block's memory (src/engine/successors/memory.ts), when due; null for the RNN cells */
  memory: SuccessorMemory | null;
  /** sequence to sequence runs only (worker/seq2seqTrainer.ts); absent for every other task */
  seq2seq?: Seq2SeqFrame;
}

/** What an encoder–decoder run adds to a frame: `metrics` are its teacher-forced accuracies. */
export interface Seq2SeqFrame {
  /** one entry per training step since the previous frame: the accuracy when the decoder reads its
   *  own previous guess (greedy), on that step's batch with the weights it trained from */
  freeRunning: Float64Array;
  /** example 0 of the latest batch with the latest weights, when they moved; else null */
  example: Seq2SeqExample | null;
}

/** One source sequence through the encoder–decoder (the "Encoder → decoder" panel). */
export interface Seq2SeqExample {
  /** the update the weights are from */
  step: number;
  /** (Tsrc) source symbol ids */
  source: Int32Array;
  /** (Ttgt) target ids */
  target: Int32Array;
  /** (Ttgt) the argmax when the decoder reads the true previous symbol (teacher forcing) */
  teacherForced: Int32Array;
  /** (Ttgt) the decoder's guesses when it reads its own previous guess (free running) */
  freeRunning: Int32Array;
  /** (L, H) the encoder's final state h of every layer: all the decoder starts from */
  handedOver: Float32Array;
  /** (Ttgt, Tsrc) the attention weights α_{t,s} while running free, or null without attention */
  alpha: Float32Array | null;
}

export type NoticeCode = 'fallback' | 'diverged' | 'bad-model-file' | 'bad-text' | 'bad-config' | 'live-change' | 'reset-needed' | 'worker-error';

export type FromWorker =
  | {
      type: 'ready';
      runId: number;
      task: TaskInfo;
      model: AnyModelSpec;
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
  /** the answer to `readWeights`: the weights of run `runId` after `step` updates (transferred) */
  | { type: 'weights'; requestId: number; runId: number; step: number; weights: WeightsMessage }
  | { type: 'sample'; requestId: number; text: string; step: number }
  | { type: 'costs'; requestId: number; report: CostReport }
  /** a request the worker cannot answer (no model yet, not the character model, an error): the
   *  page's promise rejects with `message` instead of waiting forever */
  | { type: 'requestFailed'; requestId: number; message: string };

/** The transferable buffers of a message either way, so postMessage moves them instead of copying. */
export function transferablesOf(msg: FromWorker | ToWorker): Transferable[] {
  if (msg.type === 'weights' || msg.type === 'setWeights') return [msg.weights.params.data.buffer as ArrayBuffer];
  if (msg.type !== 'frame') return [];
  const arrays: (ArrayBufferView | null)[] = [msg.stepIndices, msg.losses, msg.lossesPerStep, msg.metrics, msg.gradNormsBefore, msg.gradNormsAfter, msg.clipped, msg.hiddenGradNorms, msg.inputGradNorms];
  if (msg.snapshot) arrays.push(...Object.values(msg.snapshot));
  return arrays.filter((a): a is ArrayBufferView => a !== null).map((a) => a.buffer as ArrayBuffer);
}
