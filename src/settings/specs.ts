/**
 * From settings to the engine's specs: the task, the model, the initialization, the optimizer,
 * clipping and truncation that a config describes. Pure functions, no DOM.
 */
import type { ClipSpec } from '../engine/clip';
import type { AnyInitSpec, AnyModelSpec } from '../engine/anyModel';
import { hasStateSize, isSuccessorKind } from '../engine/successors/spec';
import type { OptimizerSpec } from '../engine/optim';
import type { TaskInfo, TaskSpec } from '../engine/tasks';
import type { Seq2SeqSpec } from '../engine/tasks/types';
import type { PlaygroundConfig } from './table';

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
    case 'selective_copy':
      return { kind: 'selective_copy', noise: c.length };
    case 'associative_recall':
      return { kind: 'associative_recall', pairs: c.length };
    case 'seq2seq':
      throw new Error('sequence to sequence trains an encoder–decoder on its own batches (seq2seqTaskSpecOf), not a plain Batch');
  }
}

/** The model a config describes. A successor block has no direction, start state or nonlinearity
 *  of its own: those settings (hidden for it) are not read. */
export function modelSpecOf(c: PlaygroundConfig, info: Pick<TaskInfo, 'inputSize' | 'outputSize'>): AnyModelSpec {
  if (isSuccessorKind(c.cell))
    return {
      cell: c.cell,
      inputSize: info.inputSize,
      hiddenSize: c.hiddenSize,
      numLayers: c.numLayers,
      outputSize: info.outputSize,
      stateSize: hasStateSize(c.cell) ? c.stateSize : 0,
      numHeads: c.cell === 'attention' ? c.numHeads : 0,
      bidirectional: false,
    };
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

/** The RNN's scheme, and the LRU's ring (its phase from units of π to radians). */
export function initSpecOf(c: PlaygroundConfig): AnyInitSpec {
  return {
    scheme: c.init,
    gain: c.gain,
    spectralRadius: c.spectralRadius > 0 ? c.spectralRadius : null,
    forgetBias: c.cell === 'lstm' ? c.forgetBias : null,
    successor: c.cell === 'lru' ? { r_min: c.ringMin, r_max: c.ringMax, maxPhase: c.ringPhase * Math.PI } : {},
  };
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

/** The encoder–decoder's task: n = the length knob, K = the symbols. */
export function seq2seqTaskSpecOf(c: PlaygroundConfig): Seq2SeqSpec {
  return { kind: 'seq2seq', mode: c.seq2seqMode, n: c.length, K: c.symbols };
}
