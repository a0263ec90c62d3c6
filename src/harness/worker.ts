/**
 * The harness worker: a dedicated module worker (where the app trains too, and where gpu.js
 * draws on an OffscreenCanvas). For each case it runs the chosen backend's forwardBackward and,
 * for training cases, the trainStep sequence from the same start, and posts the numbers back.
 */
import { batchFirst3, nested2, type Batch } from '../engine/batch';
import type { RecurrentState, RunOptions } from '../engine/bptt';
import { directionsOf, type Model, type Params } from '../engine/model';
import { stateDictOf } from '../engine/modelFile';
import { parseCase } from '../engine/referenceCase';
import type { TrainingBackend } from '../kernels/types';
import { HARNESS_BACKENDS } from './backends';
import type { BackendInfo, CaseResult, HarnessExtras, HarnessRequest, HarnessResult, ToWorker } from './protocol';

function scaled(model: Model, factor: number | undefined): Model {
  if (!factor || factor === 1) return model;
  const params: Params = {};
  for (const [name, t] of Object.entries(model.params)) {
    const isWeight = name.startsWith('weight_');
    params[name] = { shape: [...t.shape], data: isWeight ? t.data.map((v) => v * factor) : new Float64Array(t.data) };
  }
  return { spec: model.spec, params };
}

/** The batch and options of a case with the extras applied (deterministic, so alike everywhere). */
function withExtras(model: Model, batch: Batch, opts: RunOptions, extras: HarnessExtras | undefined): { batch: Batch; opts: RunOptions } {
  if (!extras) return { batch, opts };
  const { B, T } = batch;
  const out: Batch = { ...batch, x: new Float64Array(batch.x) };
  if (extras.poison) out.x[0] = NaN;
  if (extras.mask && opts.readout === 'every_step') {
    out.mask = new Float64Array(T * B); // (T, B)
    for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) out.mask[t * B + b] = (t + b) % 3 === 2 ? 0 : 1;
  }
  let initialState: RecurrentState | null = null;
  if (extras.initialState) {
    const { hiddenSize: H, numLayers: L } = model.spec;
    const n = L * directionsOf(model.spec);
    const pattern = (i: number, s: number) => Float64Array.from({ length: B * H }, (_, k) => 0.5 * Math.sin(1.3 * k + 0.7 * i + 2.1 * s));
    initialState = { h: Array.from({ length: n }, (_, i) => pattern(i, 0)), c: model.spec.cell === 'lstm' ? Array.from({ length: n }, (_, i) => pattern(i, 1)) : null };
  }
  return { batch: out, opts: { ...opts, initialState } };
}

const flatState = (s: RecurrentState | undefined): number[] => (s ? [...s.h, ...(s.c ?? [])].flatMap((a) => Array.from(a)) : []);

async function runCase(backend: TrainingBackend, raw: unknown, req: HarnessRequest): Promise<CaseResult> {
  const c = parseCase(raw);
  const model = scaled(c.model, req.scaleWeights);
  const { batch, opts } = withExtras(model, c.batch, c.opts, req.extras);
  const { B, T } = batch;
  const Y = model.spec.outputSize;
  const Hd = model.spec.hiddenSize * directionsOf(model.spec);
  await backend.setModel(model);
  const t0 = performance.now();
  const r = await backend.forwardBackward(batch, opts);
  const t1 = performance.now();
  const result: CaseResult = {
    name: c.name,
    outputs: opts.readout === 'every_step' ? batchFirst3(r.outputs, T, B, Y) : nested2(r.outputs, B, Y),
    loss: r.loss,
    grads: stateDictOf(r.grads),
    gradNorm: r.gradNorm,
    hiddenGrads: Array.from({ length: T }, (_, t) => nested2(r.hiddenGrads.subarray(t * B * Hd, (t + 1) * B * Hd), B, Hd)),
    ms: { forwardBackward: t1 - t0, training: 0 },
  };
  if (c.training && !req.skipTraining) {
    await backend.setModel(model);
    const losses: number[] = [];
    const norms: number[] = [];
    const applied: boolean[] = [];
    const clipped: boolean[] = [];
    const normsAfter: number[] = [];
    const finalStates: number[][] = [];
    const paramsAfter: Record<string, unknown>[] = [];
    const optimizers = req.extras?.optimizers ?? [c.training.optimizer];
    const t2 = performance.now();
    for (let s = 0; s < c.training.steps; s++) {
      const optimizer = optimizers[s % optimizers.length];
      const step = await backend.trainStep(batch, { ...opts, clip: c.training.clip, optimizer });
      losses.push(step.loss);
      norms.push(step.gradNormBefore);
      normsAfter.push(step.gradNormAfter);
      applied.push(step.applied);
      clipped.push(step.clipped);
      finalStates.push(flatState(step.finalState));
      paramsAfter.push(stateDictOf(await backend.readParams()));
    }
    result.ms.training = performance.now() - t2;
    Object.assign(result, { lossesDuringTraining: losses, gradNormsDuringTraining: norms, gradNormsAfter: normsAfter, clipped, paramsAfter, applied, finalStates });
  }
  return result;
}

/** Loses the device on purpose and reports what onDeviceLost said and what a later call threw. */
async function loseDevice(backend: TrainingBackend, raw: unknown): Promise<HarnessResult['lost']> {
  const simulate = (backend as { simulateContextLoss?: () => void }).simulateContextLoss;
  if (!simulate) return { reason: null, afterwards: null };
  const reason = await new Promise<string | null>((resolve) => {
    const timer = setTimeout(() => resolve(null), 5000);
    backend.onDeviceLost?.((why) => {
      clearTimeout(timer);
      resolve(why);
    });
    simulate.call(backend);
  });
  const c = parseCase(raw);
  try {
    await backend.forwardBackward(c.batch, c.opts);
    return { reason, afterwards: null };
  } catch (e) {
    return { reason, afterwards: e instanceof Error ? e.message : String(e) };
  }
}

async function handle(req: HarnessRequest): Promise<HarnessResult> {
  const factory = HARNESS_BACKENDS[req.backend];
  if (!factory) return { backend: null, cases: [], error: `unknown backend ${req.backend}` };
  let backend: TrainingBackend;
  try {
    backend = await factory();
  } catch (e) {
    return { backend: null, cases: [], error: `${req.backend} did not start: ${e instanceof Error ? e.message : String(e)}` };
  }
  const info: BackendInfo = { name: backend.name, description: backend.description, isSoftware: backend.isSoftware };
  const cases: CaseResult[] = [];
  try {
    for (const raw of req.cases) cases.push(await runCase(backend, raw, req));
    const kernelClass = (backend as { kernelClass?: string }).kernelClass;
    if (kernelClass) info.kernelClass = kernelClass;
    const lost = req.extras?.loseDevice ? await loseDevice(backend, req.cases[0]) : undefined;
    return { backend: info, cases, ...(lost ? { lost } : {}) };
  } catch (e) {
    return { backend: info, cases, error: e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e) };
  } finally {
    backend.dispose();
  }
}

self.onmessage = async (e: MessageEvent<ToWorker>) => {
  const { id, request } = e.data;
  const result = await handle(request);
  self.postMessage({ id, result });
};
