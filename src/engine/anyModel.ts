/**
 * A model of either family the playground trains: an RNN stack (rnn, lstm, gru; ./model.ts) or a
 * stack of successor blocks (lru, mamba, rwkv, mingru, attention; ./successors/spec.ts). Code that
 * serves both (the worker, the model files, the training path) takes these and asks which.
 */
import { initModel, type InitSpec } from './init';
import { cloneParams, paramShapes, sizeOf, type CellKind, type Model, type ModelSpec, type Params } from './model';
import type { Rng } from './rng';
import { initSuccessorModel, type SuccessorInit } from './successors/init';
import { describeSuccessorSpec, isSuccessorKind, successorParamShapes, type SuccessorKind, type SuccessorModel, type SuccessorSpec } from './successors/spec';

export type LayerKind = CellKind | SuccessorKind;
export type AnyModelSpec = ModelSpec | SuccessorSpec;
export type AnyModel = Model | SuccessorModel;

export function isSuccessorSpec(spec: AnyModelSpec): spec is SuccessorSpec {
  return isSuccessorKind(spec.cell);
}

export function isSuccessorModel(model: AnyModel): model is SuccessorModel {
  return isSuccessorKind(model.spec.cell);
}

/** Every parameter's state_dict name and shape, in state_dict order. */
export function anyParamShapes(spec: AnyModelSpec): [string, number[]][] {
  return isSuccessorSpec(spec) ? successorParamShapes(spec) : paramShapes(spec);
}

/** The number of trainable values. */
export function anyParameterCount(spec: AnyModelSpec): number {
  return anyParamShapes(spec).reduce((n, [, shape]) => n + sizeOf(shape), 0);
}

/** An RNN's initialization, and a successor block's choices within its paper's (the LRU's ring). */
export interface AnyInitSpec extends InitSpec {
  successor?: SuccessorInit;
}

/** A seeded model: the RNN initializations of `init`, or the successor papers' own. */
export function initAnyModel(spec: AnyModelSpec, init: AnyInitSpec, rng: Rng): AnyModel {
  return isSuccessorSpec(spec) ? initSuccessorModel(spec, rng, init.successor) : initModel(spec, init, rng);
}

/** A deep copy: the spec and every tensor. */
export function cloneAnyModel<M extends AnyModel>(model: M): M {
  return { spec: { ...model.spec }, params: cloneParams(model.params) } as M;
}

/** A model from a spec and its tensors (which must be the spec's). */
export function modelOf(spec: AnyModelSpec, params: Params): AnyModel {
  return { spec, params } as AnyModel;
}

/** "1-layer tanh RNN (input 4, hidden 32, output 4)", "2-layer Mamba (input 4, hidden 32, state 16, output 4)". */
export function describeAnySpec(spec: AnyModelSpec): string {
  if (isSuccessorSpec(spec)) return describeSuccessorSpec(spec);
  const cell = spec.cell === 'rnn' ? `${spec.nonlinearity} RNN` : spec.cell.toUpperCase();
  return `${spec.numLayers}-layer ${spec.bidirectional ? 'bidirectional ' : ''}${cell} (input ${spec.inputSize}, hidden ${spec.hiddenSize}, output ${spec.outputSize})`;
}
