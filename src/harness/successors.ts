/**
 * The successor blocks (lru, mamba, rwkv, mingru, attention) on a GPU backend, in the harness
 * worker: the PyTorch successor cases (../shared/reference/successors, read by the caller and
 * handed in) on every key of `expected`, training steps included, as test/train/successors.test.ts
 * runs them in Node; and random two-layer models per kind (small, and wide enough to span several
 * workgroups; RWKV and attention also with exponents past float32's range) against the float64
 * reference backend, with truncation, ∂L/∂x and a training step. A kind the backend refuses (its kernels do not list
 * it) is a skip with the backend's own words; the caller decides which kinds must pass.
 */
import { stateDictOf } from '../engine/modelFile';
import { parseAnyCase, type SuccessorCase } from '../engine/referenceCase';
import { Rng } from '../engine/rng';
import { initSuccessorModel } from '../engine/successors/init';
import { SUCCESSOR_KINDS, hasStateSize, type SuccessorKind, type SuccessorModel, type SuccessorSpec } from '../engine/successors/spec';
import { BACKENDS } from '../kernels/registry';
import type { TrainingBackend } from '../kernels/types';
import { randomBatch } from '../../test/randomBatch';
import { relativeDistance } from '../../test/backends/table';
import { errorsOn } from '../../test/train/helpers';

export interface SuccessorOutcome {
  /** the case's name, or `random {kind}`, `wide {kind}`, `large exponents {kind}`, `a NaN weight in {kind}` … */
  id: string;
  kind: SuccessorKind;
  status: 'pass' | 'fail' | 'skip';
  /** skip: the backend's refusal; fail: what went wrong */
  detail: string;
  /** each key's relative error (‖ours − ref‖₂ / ‖ref‖₂); hiddenGrads: its worst step */
  errors: Record<string, number>;
  ms: number;
}

const refusal = (e: unknown): string | null => {
  const m = e instanceof Error ? e.message : String(e);
  return /does not train/.test(m) ? m : null;
};

/** The shapes the random models take: small (one workgroup), wide (B·H, T·B·N and the attention
 *  rows past one 64-thread workgroup, truncation every 4 steps), and long (T = 60, as the page's
 *  tasks run, where float32 error builds up along the recurrences). */
const SHAPES = {
  random: { H: 6, N: 3, heads: 3, B: 3, T: 7, k: 2 },
  wide: { H: 20, N: 5, heads: 4, B: 5, T: 13, k: 4 },
  long: { H: 8, N: 4, heads: 2, B: 2, T: 60, k: 25 },
} as const;
interface Shape {
  H: number;
  N: number;
  heads: number;
  B: number;
  T: number;
  k: number;
}
/** the poisoned-weight steps' shape, as test/train/successors.test.ts's */
const POISONED: Shape = { H: 4, N: 3, heads: 2, B: 2, T: 6, k: 0 };

/**
 * Tensors scaled so that a float32 exponential taken naively would overflow (e^{88.7} is the
 * largest): RWKV's keys (e^{k_t}; k_t reaches about ±190 here, kept finite by the running maximum)
 * and attention's queries and keys (scores reach about 180; the softmax subtracts its maximum).
 */
const LARGE: Partial<Record<SuccessorKind, { tensors: string[]; by: number }>> = {
  rwkv: { tensors: ['layers.0.mixer.key.weight'], by: 200 },
  attention: { tensors: ['layers.0.mixer.q_proj.weight', 'layers.0.mixer.k_proj.weight'], by: 20 },
};

/** As test/successors/helpers.ts's randomSuccessorModel: seeded, every parameter jittered. */
function randomModel(cell: SuccessorKind, shape: Shape, seed: number): SuccessorModel {
  const spec: SuccessorSpec = {
    cell,
    inputSize: 2,
    hiddenSize: shape.H,
    numLayers: 2,
    outputSize: 3,
    stateSize: hasStateSize(cell) ? shape.N : 0,
    numHeads: cell === 'attention' ? shape.heads : 0,
    bidirectional: false,
  };
  const rng = new Rng(seed);
  const model = initSuccessorModel(spec, rng, { dtMin: 0.05, dtMax: 0.5 });
  for (const t of Object.values(model.params)) for (let i = 0; i < t.data.length; i++) t.data[i] += 0.1 * rng.normal();
  return model;
}

/** Two passes (MSE every step with truncation; cross-entropy on the final step, untruncated) and an Adam step, against the reference. */
async function randomErrors(backend: TrainingBackend, reference: TrainingBackend, model: SuccessorModel, shape: Shape): Promise<Record<string, number>> {
  const err: Record<string, number> = {};
  for (const [loss, readout, truncation] of [['mse', 'every_step', shape.k], ['cross_entropy', 'final_step', null]] as const) {
    const batch = randomBatch(new Rng(3), model.spec, shape.B, shape.T, loss, readout);
    const opts = { loss, readout, truncation, initialState: null, inputGrads: true };
    const tag = truncation ? `k=${truncation}` : 'untruncated';
    await backend.setModel(model);
    await reference.setModel(model);
    const ours = await backend.forwardBackward(batch, opts);
    const ref = await reference.forwardBackward(batch, opts);
    err[`outputs ${tag}`] = relativeDistance(ours.outputs, ref.outputs);
    err[`loss ${tag}`] = relativeDistance(ours.loss, ref.loss);
    err[`grads ${tag}`] = relativeDistance(stateDictOf(ours.grads), stateDictOf(ref.grads));
    err[`hiddenGrads ${tag}`] = relativeDistance(ours.hiddenGrads, ref.hiddenGrads);
    err[`inputGrads ${tag}`] = relativeDistance(ours.inputGrads, ref.inputGrads);
    const train = { ...opts, clip: { kind: 'norm', max: 1 }, optimizer: { name: 'adam', lr: 1e-2 } } as const;
    const a = await backend.trainStep(batch, train);
    const b = await reference.trainStep(batch, train);
    err[`step loss ${tag}`] = relativeDistance(a.loss, b.loss);
    err[`params after a step ${tag}`] = relativeDistance(stateDictOf(await backend.readParams()), stateDictOf(await reference.readParams()));
  }
  return err;
}

/**
 * As test/train/successors.test.ts does for reference and wasm: a NaN, huge or subnormal value in
 * the first mixer tensor and in_proj.weight[0]; the step ends, reports applied exactly when its loss
 * and norm are finite (a subnormal one must be), and a step not applied leaves the weights as the
 * arena held them (float32).
 */
async function poisonedStep(backend: TrainingBackend, cell: SuccessorKind, value: number): Promise<Record<string, number>> {
  const model = randomModel(cell, POISONED, 11);
  const mixer = Object.keys(model.params).find((k) => k.startsWith('layers.0.mixer.')) as string;
  model.params[mixer].data.fill(value);
  model.params['layers.0.in_proj.weight'].data[0] = value;
  await backend.setModel(model);
  const batch = randomBatch(new Rng(5), model.spec, POISONED.B, POISONED.T, 'mse', 'every_step');
  const step = await backend.trainStep(batch, { loss: 'mse', readout: 'every_step', truncation: null, initialState: null, clip: { kind: 'norm', max: 1 }, optimizer: { name: 'adam', lr: 1e-3 } });
  const finite = Number.isFinite(step.loss) && Number.isFinite(step.gradNormBefore);
  if (step.applied !== finite) throw new Error(`applied = ${step.applied} for a step whose loss is ${step.loss} and norm ${step.gradNormBefore}`);
  if (value !== 0 && Math.abs(value) < 1e-300 && !finite) throw new Error('a subnormal weight gave a step that is not finite');
  if (!step.applied) {
    const after = await backend.readParams();
    const moved = Object.keys(model.params).filter((k) => !after[k].data.every((x, i) => Object.is(x, Math.fround(model.params[k].data[i]))));
    if (moved.length) throw new Error(`a step not applied moved ${moved.join(', ')}`);
  }
  return {};
}

async function outcome(id: string, kind: SuccessorKind, tol: number, now: () => number, errorsOf: () => Promise<Record<string, number>>): Promise<SuccessorOutcome> {
  const t0 = now();
  try {
    const errors = await errorsOf();
    const bad = Object.entries(errors).filter(([, e]) => !(e <= tol));
    const detail = bad.map(([k, e]) => `${k}: relative error ${e.toExponential(2)} > ${tol}`).join('\n');
    return { id, kind, status: bad.length ? 'fail' : 'pass', detail, errors, ms: now() - t0 };
  } catch (e) {
    const why = refusal(e);
    if (why) return { id, kind, status: 'skip', detail: why, errors: {}, ms: now() - t0 };
    return { id, kind, status: 'fail', detail: `threw: ${e instanceof Error ? e.message : String(e)}`, errors: {}, ms: now() - t0 };
  }
}

/** Every case, then per kind a small and a wide random model, then RWKV and attention with
 *  exponents past float32's range, at tolerance `tol`; then per kind a NaN, a huge and a subnormal weight. */
export async function runSuccessors(backend: TrainingBackend, cases: readonly unknown[], tol: number, now: () => number): Promise<SuccessorOutcome[]> {
  const out: SuccessorOutcome[] = [];
  for (const raw of cases as { name: string; expected: Record<string, unknown> }[]) {
    const kind = (parseAnyCase(raw) as SuccessorCase).model.spec.cell;
    out.push(await outcome(raw.name, kind, tol, now, () => errorsOn(backend, raw)));
  }
  const reference = await BACKENDS.reference.create();
  try {
    for (const kind of SUCCESSOR_KINDS)
      for (const [name, shape] of Object.entries(SHAPES)) out.push(await outcome(`${name} ${kind}`, kind, tol, now, () => randomErrors(backend, reference, randomModel(kind, shape, 7), shape)));
    for (const [kind, large] of Object.entries(LARGE) as [SuccessorKind, { tensors: string[]; by: number }][]) {
      const model = randomModel(kind, SHAPES.random, 7);
      for (const name of large.tensors) model.params[name].data = model.params[name].data.map((x) => x * large.by);
      out.push(await outcome(`large exponents ${kind}`, kind, tol, now, () => randomErrors(backend, reference, model, SHAPES.random)));
    }
    for (const kind of SUCCESSOR_KINDS)
      for (const [what, value] of [['NaN', NaN], ['huge', 1e30], ['subnormal', 1e-310]] as const) out.push(await outcome(`a ${what} weight in ${kind}`, kind, tol, now, () => poisonedStep(backend, kind, value)));
  } finally {
    reference.dispose();
  }
  return out;
}
