/**
 * Every setting of the playground in one flat record: what the URL carries, what the controls
 * edit and what the worker trains from. Pure data and pure functions, no DOM.
 */
import type { ClipSpec } from '../engine/clip';
import type { InitScheme, InitSpec } from '../engine/init';
import type { CellKind, InitialState, ModelSpec, Nonlinearity } from '../engine/model';
import type { OptimizerSpec } from '../engine/optim';
import type { TaskInfo, TaskSpec } from '../engine/tasks';
import type { BackendName } from '../kernels/types';

export type TaskKind = 'adding' | 'copy_memory' | 'echo' | 'temporal_order' | 'parity' | 'sines' | 'char_lm' | 'future_tag';
export type OptimizerName = OptimizerSpec['name'];
export type ClipKind = 'off' | 'norm' | 'value';
export type BackendChoice = 'auto' | BackendName;

export interface PlaygroundConfig {
  task: TaskKind;
  /** the task's length knob: T for most tasks, the delay for copy memory, the bits for parity */
  length: number;
  /** delayed echo's lag L */
  lag: number;
  /** K: symbols for echo and future tagging */
  symbols: number;
  cell: CellKind;
  nonlinearity: Nonlinearity;
  hiddenSize: number;
  numLayers: number;
  bidirectional: boolean;
  initialState: InitialState;
  init: InitScheme;
  /** orthogonal gain, identity scale, or the Gaussian's spectral radius ρ */
  gain: number;
  /** rescale every W_hh to this spectral radius after init; 0 = leave it */
  spectralRadius: number;
  /** LSTM forget-gate bias */
  forgetBias: number;
  optimizer: OptimizerName;
  learningRate: number;
  momentum: number;
  batchSize: number;
  clip: ClipKind;
  clipMax: number;
  /** truncated BPTT window k; 0 = full BPTT */
  truncation: number;
  seed: number;
  backend: BackendChoice;
}

export const DEFAULT_CONFIG: PlaygroundConfig = {
  task: 'echo',
  length: 20,
  lag: 5,
  symbols: 4,
  cell: 'rnn',
  nonlinearity: 'tanh',
  hiddenSize: 32,
  numLayers: 1,
  bidirectional: false,
  initialState: 'zero',
  init: 'pytorch',
  gain: 1,
  spectralRadius: 0,
  forgetBias: 1,
  optimizer: 'adam',
  learningRate: 0.01,
  momentum: 0.9,
  batchSize: 32,
  clip: 'norm',
  clipMax: 1,
  truncation: 0,
  seed: 1,
  backend: 'auto',
};

/** Settings that apply at the next step; every other change rebuilds the model (a reset). */
export const LIVE_KEYS: ReadonlySet<keyof PlaygroundConfig> = new Set(['learningRate', 'momentum', 'optimizer', 'clip', 'clipMax', 'truncation', 'batchSize', 'backend']);

/** The keys whose change needs a reset, among those that differ between two configs. */
export function resetKeys(a: PlaygroundConfig, b: PlaygroundConfig): (keyof PlaygroundConfig)[] {
  return (Object.keys(a) as (keyof PlaygroundConfig)[]).filter((k) => a[k] !== b[k] && !LIVE_KEYS.has(k));
}

export function taskSpecOf(c: PlaygroundConfig, text: string): TaskSpec {
  switch (c.task) {
    case 'adding':
      return { kind: 'adding', T: c.length };
    case 'copy_memory':
      return { kind: 'copy_memory', delay: c.length };
    case 'echo':
      return { kind: 'echo', T: c.length, lag: c.lag, K: c.symbols };
    case 'temporal_order':
      return { kind: 'temporal_order', T: c.length };
    case 'parity':
      return { kind: 'parity', T: c.length };
    case 'sines':
      return { kind: 'sines', T: c.length };
    case 'char_lm':
      return { kind: 'char_lm', text, T: c.length };
    case 'future_tag':
      return { kind: 'future_tag', T: c.length, K: c.symbols };
  }
}

export function modelSpecOf(c: PlaygroundConfig, info: TaskInfo): ModelSpec {
  return {
    cell: c.cell,
    nonlinearity: c.nonlinearity,
    inputSize: info.inputSize,
    hiddenSize: c.hiddenSize,
    numLayers: c.numLayers,
    bidirectional: c.bidirectional,
    outputSize: info.outputSize,
    initialState: c.initialState,
  };
}

export function initSpecOf(c: PlaygroundConfig): InitSpec {
  return { scheme: c.init, gain: c.gain, spectralRadius: c.spectralRadius > 0 ? c.spectralRadius : null, forgetBias: c.cell === 'lstm' ? c.forgetBias : null };
}

export function optimizerSpecOf(c: PlaygroundConfig): OptimizerSpec {
  if (c.optimizer === 'sgd') return { name: 'sgd', lr: c.learningRate, momentum: c.momentum };
  return c.optimizer === 'adam' ? { name: 'adam', lr: c.learningRate } : { name: 'rmsprop', lr: c.learningRate };
}

export function clipSpecOf(c: PlaygroundConfig): ClipSpec {
  return c.clip === 'off' ? null : { kind: c.clip, max: c.clipMax };
}

export function truncationOf(c: PlaygroundConfig): number | null {
  return c.truncation > 0 ? c.truncation : null;
}
