/**
 * What one run shows, as plain data: the status of the run and the latest numbers from its
 * worker. A RunController keeps one; the playground mirrors its run's into the zustand store
 * (store.ts), a lesson's comparison card reads its run's directly.
 */
import type { Analysis } from '../engine/analysis';
import type { SuccessorMemory } from '../engine/successors/memory';
import type { AnyModelSpec } from '../engine/anyModel';
import type { TaskInfo } from '../engine/tasks';
import type { PlaygroundConfig } from '../worker/config';
import type { Divergence } from '../worker/divergence';
import type { BackendInfo, Seq2SeqExample, Snapshot } from '../worker/protocol';

export interface RunStatus {
  /** the run on screen; messages of any other run are dropped */
  runId: number;
  playing: boolean;
  step: number;
  task: TaskInfo | null;
  model: AnyModelSpec | null;
  parameterCount: number;
  backend: BackendInfo | null;
  stepsPerSecond: number;
}

export interface MetricsSlice {
  /** bumps whenever a History or the Waterfall changed */
  metricsVersion: number;
  snapshot: Snapshot | null;
  analysis: Analysis | null;
  /** the latest successor memory (null for the RNN cells) */
  memory: SuccessorMemory | null;
  /** (T) the latest ‖∂L/∂h_t‖ per step */
  hiddenGradNorms: Float64Array | null;
  /** (T) the latest ‖∂L/∂x_t‖ per step (the gradient that reaches each input), and its step */
  inputGradNorms: { step: number; norms: Float64Array } | null;
  /** an encoder–decoder's latest example (null for every other task) */
  seq2seq: Seq2SeqExample | null;
  /** the loss (per scored step) and metric at the latest step */
  latest: { loss: number; metric: number; gradBefore: number; gradAfter: number } | null;
}

export interface RunState extends RunStatus, MetricsSlice {
  /** the settings the run trains with (a loaded model file brings its own architecture) */
  config: PlaygroundConfig;
  /** the divergence that stopped training, while it stands */
  divergence: Divergence | null;
  /** why training stopped on its own (a divergence, a worker error, a crash or a stall), until a new run */
  stopped: string | null;
}

export const initialStatus: RunStatus = { runId: 0, playing: false, step: 0, task: null, model: null, parameterCount: 0, backend: null, stepsPerSecond: 0 };
export const initialMetrics: MetricsSlice = { metricsVersion: 0, snapshot: null, analysis: null, memory: null, seq2seq: null, hiddenGradNorms: null, inputGradNorms: null, latest: null };
