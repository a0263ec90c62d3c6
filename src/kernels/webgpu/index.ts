/// <reference types="@webgpu/types" />
/**
 * The WebGPU backend: hand-written WGSL compute kernels for the forward pass and BPTT of RNN,
 * LSTM and GRU (stacked, bidirectional, truncated), the readout and both losses, clipping and the
 * optimizers, all on the GPU in float32. θ, its gradient and the optimizer moments stay on the
 * GPU; each step is one command encoder and one readback.
 *
 * Semantics mirror src/kernels/reference: the optimizer state carries across steps, setModel
 * resets it, a change of optimizer kind starts a fresh one, the learning rate is read each step,
 * and a step whose loss or gradient is NaN/±Inf leaves the weights alone (applied = false).
 */
import type { Batch } from '../../engine/batch';
import type { RunOptions } from '../../engine/bptt';
import type { ClipSpec } from '../../engine/clip';
import type { Model, ModelSpec } from '../../engine/model';
import type { OptimizerSpec } from '../../engine/optim';
import type { BackendGradients, StepStats, TrainOptionsForBackend, TrainingBackend } from '../types';
import { openGpu, type Gpu } from './device';
import { clipOutcome, flattenParams, paramLayout, unflattenParams, unpackFinalState, widen, type ParamLayout } from './layout';
import { runPass, type UpdateValues } from './pass';
import { makePlan, planKey, type ParamBuffers, type Plan } from './plan';

/** The optimizer and clipping fields of the `Run` uniform for update number t (from 1). */
export function updateValues(opt: OptimizerSpec, clip: ClipSpec, t: number): UpdateValues {
  const clipPart = { clipKind: clip === null ? 0 : clip.kind === 'norm' ? 1 : 2, clipMax: clip === null ? 3e38 : clip.max };
  const base = { ...clipPart, lr: opt.lr, c1: 0, c2: 0, eps: 0, stepSize: 0, sqrtBc2: 1 };
  if (opt.name === 'sgd') return { ...base, optKind: 0, c1: opt.momentum ?? 0 };
  if (opt.name === 'adam') {
    const [b1, b2] = opt.betas ?? [0.9, 0.999];
    return { ...base, optKind: 1, c1: b1, c2: b2, eps: opt.eps ?? 1e-8, stepSize: opt.lr / (1 - Math.pow(b1, t)), sqrtBc2: Math.sqrt(1 - Math.pow(b2, t)) };
  }
  return { ...base, optKind: 2, c1: opt.alpha ?? 0.99, eps: opt.eps ?? 1e-8 };
}

interface Loaded {
  spec: ModelSpec;
  layout: ParamLayout;
  pb: ParamBuffers;
  plans: Map<string, Plan>;
}

export async function createWebGpuBackend(): Promise<TrainingBackend> {
  const gpu: Gpu = await openGpu();
  const { device } = gpu;
  let loaded: Loaded | null = null;
  let optName: OptimizerSpec['name'] | null = null;
  let updates = 0; // updates made by the current optimizer: Adam's bias correction counts them
  let lost: string | null = null;
  let disposed = false;
  let simulated = false; // a test destroys the device on purpose: treat that as a loss
  const lostCallbacks: ((reason: string) => void)[] = [];
  void device.lost.then((info) => {
    if (disposed || (info.reason === 'destroyed' && !simulated)) return;
    lost = simulated ? 'device lost (simulated)' : info.message || 'the WebGPU device was lost';
    for (const cb of lostCallbacks) cb(lost);
  });

  const current = (): Loaded => {
    if (lost) throw new Error(`WebGPU device lost: ${lost}`);
    if (!loaded) throw new Error('webgpu backend: setModel first');
    return loaded;
  };
  const planFor = (m: Loaded, batch: Batch, opts: RunOptions): Plan => {
    const finalStep = opts.readout === 'final_step';
    const key = planKey(batch.B, batch.T, finalStep);
    let plan = m.plans.get(key);
    if (!plan) {
      // Keep a few shapes (a stream and a probe batch alternate); drop the oldest beyond that.
      if (m.plans.size >= 3) {
        const [oldKey, old] = m.plans.entries().next().value as [string, Plan];
        old.destroy();
        m.plans.delete(oldKey);
      }
      plan = makePlan(gpu, m.spec, m.pb, batch.B, batch.T, finalStep);
      m.plans.set(key, plan);
    }
    return plan;
  };
  const clearMoments = (m: Loaded) => {
    const enc = device.createCommandEncoder();
    enc.clearBuffer(m.pb.m);
    enc.clearBuffer(m.pb.v);
    device.queue.submit([enc.finish()]);
  };
  const release = () => {
    if (!loaded) return;
    for (const p of loaded.plans.values()) p.destroy();
    for (const b of Object.values(loaded.pb)) b.destroy();
    loaded = null;
  };

  return {
    name: 'webgpu',
    description: gpu.description,
    isSoftware: gpu.isSoftware,
    async setModel(model: Model) {
      if (lost) throw new Error(`WebGPU device lost: ${lost}`);
      const layout = paramLayout(model.spec);
      const sameShape = loaded && JSON.stringify(loaded.spec) === JSON.stringify(model.spec);
      if (!sameShape) {
        release();
        const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
        const size = Math.max(16, 4 * layout.total);
        const mk = () => device.createBuffer({ size, usage });
        loaded = { spec: { ...model.spec }, layout, pb: { theta: mk(), grad: mk(), m: mk(), v: mk() }, plans: new Map() };
      }
      const m = loaded as Loaded;
      device.queue.writeBuffer(m.pb.theta, 0, flattenParams(model.params, layout));
      clearMoments(m);
      optName = null;
      updates = 0;
    },
    async readParams() {
      const m = current();
      const staging = device.createBuffer({ size: Math.max(16, 4 * m.layout.total), usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
      const enc = device.createCommandEncoder();
      enc.copyBufferToBuffer(m.pb.theta, 0, staging, 0, 4 * m.layout.total);
      device.queue.submit([enc.finish()]);
      await staging.mapAsync(GPUMapMode.READ);
      const theta = new Float32Array(staging.getMappedRange().slice(0));
      staging.unmap();
      staging.destroy();
      return unflattenParams(theta, m.layout);
    },
    async forwardBackward(batch: Batch, opts: RunOptions): Promise<BackendGradients> {
      const m = current();
      const r = await runPass(gpu, planFor(m, batch, opts), m.spec, m.layout, m.pb, batch, opts, null, true);
      const grads = unflattenParams(r.grads as Float32Array, m.layout);
      let ss = 0;
      for (const g of r.grads as Float32Array) ss += g * g;
      return { outputs: widen(r.outputs), loss: r.stats[0], grads, gradNorm: Math.sqrt(ss), hiddenGrads: widen(r.hiddenGrads) };
    },
    async trainStep(batch: Batch, opts: TrainOptionsForBackend): Promise<StepStats> {
      const m = current();
      if (optName !== opts.optimizer.name) {
        clearMoments(m);
        optName = opts.optimizer.name;
        updates = 0;
      }
      const values = updateValues(opts.optimizer, opts.clip, updates + 1);
      const plan = planFor(m, batch, opts);
      const r = await runPass(gpu, plan, m.spec, m.layout, m.pb, batch, opts, values, false);
      const c = clipOutcome(r.stats, opts.clip);
      if (c.finite) updates++;
      return {
        loss: c.loss,
        gradNormBefore: c.normBefore,
        gradNormAfter: c.normAfter,
        clipped: c.clipped,
        applied: c.finite,
        outputs: widen(r.outputs),
        hiddenGrads: widen(r.hiddenGrads),
        hiddenStates: widen(r.hiddenStates),
        finalState: unpackFinalState(r.finalState, plan.d, m.spec.cell === 'lstm'),
      };
    },
    dispose() {
      disposed = true;
      release();
      device.destroy();
    },
    simulateDeviceLoss() {
      simulated = true;
      device.destroy();
    },
    onDeviceLost(callback: (reason: string) => void) {
      lostCallbacks.push(callback);
      if (lost) callback(lost);
    },
  };
}
