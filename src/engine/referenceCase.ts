/**
 * Cases in the `rnn-playground/case@1` format (see ../shared/reference/README.md): a model file, a
 * batch, the loss and readout conventions, truncation and optional training. `runCase` computes the
 * same keys as the case's `expected` block, in the same nested layouts, so the two compare directly.
 */
import { batchFirst3, nested2, timeMajor2, timeMajor3, type Batch, type LossKind, type Readout } from './batch';
import { jacobianProductLogNorms, recurrentWeightSpectra, stateJacobians, stateSize } from './analysis';
import { lossAndGradients, type GradientResult, type RunOptions } from './bptt';
import type { ClipSpec } from './clip';
import { cloneModel, cloneParams, directionsOf, type Model, type ModelSpec, type Params } from './model';
import { isSuccessorModel, loadAnyModel, loadModel, stateDictOf } from './modelFile';
import { makeOptimizer, type OptimizerSpec } from './optim';
import { singularValues } from './spectra';
import { successorLossAndGradients, successorTrainStep, type SuccessorRunOptions } from './successors/block';
import type { SuccessorModel } from './successors/spec';
import { trainStep } from './train';

export const CASE_FORMAT = 'rnn-playground/case@1';

export class CaseError extends Error {
  override name = 'CaseError';
}

export interface ReferenceCase {
  name: string;
  model: Model;
  batch: Batch;
  opts: RunOptions;
  training: { optimizer: OptimizerSpec; clip: ClipSpec; steps: number } | null;
  /** the keys of `expected`, when the case has one */
  expectedKeys: string[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isNumberArray(v: unknown, depth: number): boolean {
  if (depth === 0) return typeof v === 'number' && Number.isFinite(v);
  return Array.isArray(v) && v.every((e) => isNumberArray(e, depth - 1));
}

/** A case whose model is one of the successors (lru, mamba, rwkv, mingru, attention). */
export interface SuccessorCase extends Omit<ReferenceCase, 'model' | 'opts'> {
  model: SuccessorModel;
  opts: SuccessorRunOptions;
}

function checkFormat(input: unknown): Record<string, unknown> {
  if (!isRecord(input)) throw new CaseError('A case must be a JSON object.');
  if (input.format !== CASE_FORMAT) throw new CaseError(`"format" must be "${CASE_FORMAT}"; got ${JSON.stringify(input.format)}.`);
  return input;
}

/** A case with an RNN, LSTM or GRU model (what every training backend runs). */
export function parseCase(input: unknown): ReferenceCase {
  const raw = checkFormat(input);
  const model = loadModel(raw.model);
  return { ...parseCaseWith(raw, model), model };
}

/** A case with a model of any kind the engine reads. */
export function parseAnyCase(input: unknown): ReferenceCase | SuccessorCase {
  const raw = checkFormat(input);
  const model = loadAnyModel(raw.model);
  const rest = parseCaseWith(raw, model);
  return isSuccessorModel(model) ? { ...rest, model } : { ...rest, model }; // two branches, so each has its one type
}

export function isSuccessorCase(c: ReferenceCase | SuccessorCase): c is SuccessorCase {
  return isSuccessorModel(c.model);
}

/** Everything of a case but its model, read against the model's sizes. */
function parseCaseWith(input: Record<string, unknown>, model: { spec: Pick<ModelSpec, 'inputSize' | 'outputSize'> }): Omit<ReferenceCase, 'model' | 'opts'> & { opts: Pick<RunOptions, 'loss' | 'readout' | 'truncation'> } {
  const loss = input.loss;
  const readout = input.readout;
  if (loss !== 'mse' && loss !== 'cross_entropy') throw new CaseError('"loss" must be "mse" or "cross_entropy".');
  if (readout !== 'every_step' && readout !== 'final_step') throw new CaseError('"readout" must be "every_step" or "final_step".');
  const truncation = input.truncation ?? null;
  if (truncation !== null && !(typeof truncation === 'number' && Number.isInteger(truncation) && truncation >= 1))
    throw new CaseError('"truncation" must be null or a whole number ≥ 1.');
  const batch = parseBatch(input.batch, model, loss, readout);
  let training: ReferenceCase['training'] = null;
  if (isRecord(input.training)) {
    const t = input.training;
    if (!isRecord(t.optimizer) || !['sgd', 'adam', 'rmsprop'].includes(String(t.optimizer.name)))
      throw new CaseError('"training.optimizer.name" must be "sgd", "adam" or "rmsprop".');
    const steps = t.steps;
    if (typeof steps !== 'number' || !Number.isInteger(steps) || steps < 0) throw new CaseError('"training.steps" must be a whole number.');
    training = { optimizer: t.optimizer as unknown as OptimizerSpec, clip: (t.clip ?? null) as ClipSpec, steps };
  }
  return {
    name: typeof input.name === 'string' ? input.name : 'case',
    batch,
    opts: { loss, readout, truncation: truncation as number | null },
    training,
    expectedKeys: isRecord(input.expected) ? Object.keys(input.expected) : [],
  };
}

function parseBatch(raw: unknown, model: { spec: Pick<ModelSpec, 'inputSize' | 'outputSize'> }, loss: LossKind, readout: Readout): Batch {
  if (!isRecord(raw) || !isNumberArray(raw.inputs, 3)) throw new CaseError('"batch.inputs" must be numbers shaped [B][T][inputSize].');
  const { B, T, D, data: x } = timeMajor3(raw.inputs as number[][][]);
  if (D !== model.spec.inputSize) throw new CaseError(`"batch.inputs" has ${D} features per step; the model takes ${model.spec.inputSize}.`);
  const Y = model.spec.outputSize;
  const tg = raw.targets;
  let target: Float64Array;
  if (loss === 'mse' && readout === 'every_step' && isNumberArray(tg, 3)) target = timeMajor3(tg as number[][][]).data;
  else if (loss === 'mse' && readout === 'final_step' && isNumberArray(tg, 2)) target = Float64Array.from((tg as number[][]).flat());
  else if (loss === 'cross_entropy' && readout === 'every_step' && isNumberArray(tg, 2)) target = timeMajor2(tg as number[][]);
  else if (loss === 'cross_entropy' && readout === 'final_step' && isNumberArray(tg, 1)) target = Float64Array.from(tg as number[]);
  else throw new CaseError(`"batch.targets" does not have the layout that ${loss} with a ${readout} readout needs.`);
  const expectedLength = (readout === 'every_step' ? T * B : B) * (loss === 'mse' ? Y : 1);
  if (target.length !== expectedLength) throw new CaseError(`"batch.targets" has ${target.length} values; ${expectedLength} were expected.`);
  if (loss === 'cross_entropy' && target.some((c) => !Number.isInteger(c) || c < 0 || c >= Y))
    throw new CaseError(`cross-entropy targets must be class ids from 0 to ${Y - 1}.`);
  return { B, T, inputSize: D, x, target };
}

/** The engine's answer to a case, keyed like its `expected` block. */
export function runCase(c: ReferenceCase): Record<string, unknown> {
  const { batch, opts } = c;
  const Y = c.model.spec.outputSize;
  const Hd = c.model.spec.hiddenSize * directionsOf(c.model.spec);
  const r = lossAndGradients(c.model, batch, opts);
  const out = passKeys(r, batch, opts.readout, Y, Hd);
  // The analysis keys, defined for single-layer one-direction models (eigenvalues: vanilla RNN);
  // jacobianProductLogNorms is ours (ln of each norm), printed when asked for or when nothing is.
  const { spec } = c.model;
  if (spec.numLayers === 1 && !spec.bidirectional) {
    const Js = stateJacobians(c.model, r, 0, 0, 0);
    const n = stateSize(spec.cell, spec.hiddenSize);
    out.stateJacobianSingularValues = Js.map((J) => singularValues(J, n, n));
    const products = jacobianProductLogNorms(Js, n);
    out.jacobianProductNorms = products.norms;
    out.jacobianProductLogNorms = products.logNorms; // ours, beyond the format: finite past double's range
    if (spec.cell === 'rnn') out.eigenvaluesWhh = recurrentWeightSpectra(c.model)[0].eigenvalues;
  }
  if (c.training) {
    const model = cloneModel(c.model);
    const optimizer = makeOptimizer(c.training.optimizer);
    const clip = c.training.clip;
    Object.assign(out, trainingKeys(c.training.steps, model.params, () => trainStep(model, optimizer, batch, { ...opts, clip })));
  }
  return out;
}

/** The keys of one forward/backward pass, in the nested layouts of `expected`. */
export function passKeys(r: PassResult, batch: Batch, readout: Readout, Y: number, Hd: number): Record<string, unknown> {
  const { B, T } = batch;
  return {
    outputs: readout === 'every_step' ? batchFirst3(r.outputs, T, B, Y) : nested2(r.outputs, B, Y),
    loss: r.loss,
    grads: stateDictOf(r.grads),
    gradNorm: r.gradNorm,
    hiddenGrads: Array.from({ length: T }, (_, t) => nested2(r.hiddenGrads.subarray(t * B * Hd, (t + 1) * B * Hd), B, Hd)), // [T][B][H·dirs]
    inputGrads: batchFirst3(r.inputGrads, T, B, batch.inputSize), // [B][T][inputSize]
  };
}

/** What one forward/backward pass gives, whoever computed it (the engine, a successor, a backend). */
type PassResult = Pick<GradientResult, 'outputs' | 'loss' | 'grads' | 'gradNorm' | 'hiddenGrads' | 'inputGrads'>;

/** The training keys: `step` updates `params` in place and reports the loss and pre-clip norm. */
function trainingKeys(steps: number, params: Params, step: () => { loss: number; clip: { normBefore: number } }): Record<string, unknown> {
  const losses: number[] = [];
  const norms: number[] = [];
  const paramsAfter: unknown[] = [];
  for (let s = 0; s < steps; s++) {
    const r = step();
    losses.push(r.loss);
    norms.push(r.clip.normBefore);
    paramsAfter.push(stateDictOf(params));
  }
  return { lossesDuringTraining: losses, gradNormsDuringTraining: norms, paramsAfter };
}

/** The float64 engine's answer to a successor case: the same keys (no analysis keys: those are the RNN's). */
export function runSuccessorCase(c: SuccessorCase): Record<string, unknown> {
  const { batch, opts } = c;
  const { hiddenSize: H, outputSize: Y } = c.model.spec;
  const r = successorLossAndGradients(c.model, batch, opts);
  const out = passKeys(r, batch, opts.readout, Y, H);
  if (c.training) {
    const model: SuccessorModel = { spec: c.model.spec, params: cloneParams(c.model.params) };
    const optimizer = makeOptimizer(c.training.optimizer);
    const clip = c.training.clip;
    Object.assign(out, trainingKeys(c.training.steps, model.params, () => successorTrainStep(model, optimizer, batch, { ...opts, clip })));
  }
  return out;
}

export function runAnyCase(c: ReferenceCase | SuccessorCase): Record<string, unknown> {
  return isSuccessorCase(c) ? runSuccessorCase(c) : runCase(c);
}
