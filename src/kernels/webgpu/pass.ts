/// <reference types="@webgpu/types" />
/**
 * One pass on the GPU: forward over all T steps of every layer, readout and loss, BPTT, the
 * gradient statistics and (training) clipping plus the optimizer, all recorded in one command
 * encoder and one compute pass, then one readback of what StepStats and BackendGradients need.
 */
import type { Batch } from '../../engine/batch';
import type { RunOptions } from '../../engine/bptt';
import type { ModelSpec } from '../../engine/model';
import { workgroupGrid, type Gpu, type Kernel } from './device';
import { inputSizeOf, packBatch, packInitialState, type ParamLayout } from './layout';
import { writeDims, type ParamBuffers, type Plan } from './plan';
import { DIMS_STRIDE } from './wgsl/common';
import { packRun, type RunValues } from './wgsl/readout';

/** The optimizer part of the `Run` uniform; absent: no update. */
export type UpdateValues = Pick<RunValues, 'clipKind' | 'optKind' | 'lr' | 'clipMax' | 'c1' | 'c2' | 'eps' | 'stepSize' | 'sqrtBc2'>;

export interface PassResult {
  /** [loss, Σg², Σclamp(g)², max|g|] */
  stats: Float32Array;
  /** (N, Y) */
  outputs: Float32Array;
  /** (T, B, H·dirs) total ∂L/∂h_t of the top layer */
  hiddenGrads: Float32Array;
  /** (T, B, H·dirs) the top layer's states */
  hiddenStates: Float32Array;
  /** (L·dirs, 2, B, H) */
  finalState: Float32Array;
  /** (P), when asked for: the gradients before clipping */
  grads: Float32Array | null;
}

export async function runPass(
  gpu: Gpu,
  plan: Plan,
  spec: ModelSpec,
  layout: ParamLayout,
  pb: ParamBuffers,
  batch: Batch,
  opts: RunOptions,
  update: UpdateValues | null,
  wantGrads: boolean,
): Promise<PassResult> {
  const { device } = gpu;
  const { queue } = device;
  const d = plan.d;
  const { B, T, H, L, dirs, Hd, N, Y } = d;
  const P = layout.total;
  const everyStep = opts.readout === 'every_step';
  const given = opts.initialState ?? null;
  const learned = spec.initialState === 'learned';
  writeDims(gpu, plan, spec, layout, opts.truncation, learned && !given);

  const packed = packBatch(batch, everyStep, N);
  queue.writeBuffer(plan.x, 0, packed.x);
  queue.writeBuffer(plan.tgt, 0, packed.target);
  queue.writeBuffer(plan.weight, 0, packed.weight);
  if (given) queue.writeBuffer(plan.start, 0, packInitialState(given, d));
  const run: RunValues = {
    B,
    T,
    Hd,
    Y,
    N,
    rowOff: everyStep ? 0 : (T - 1) * B,
    lossKind: opts.loss === 'mse' ? 0 : 1,
    wOut: layout.readoutWeight,
    bOut: layout.readoutBias,
    P,
    clipKind: 0,
    optKind: 0,
    lr: 0,
    clipMax: 3e38,
    c1: 0,
    c2: 0,
    eps: 0,
    stepSize: 0,
    sqrtBc2: 1,
    pad: 0,
    ...update,
  };
  queue.writeBuffer(plan.runBuf, 0, packRun(run));

  const enc = device.createCommandEncoder();
  if (!given && !learned) enc.clearBuffer(plan.start);
  const pass = enc.beginComputePass();
  let current: Kernel | null = null;
  const dispatch = (k: Kernel, group: GPUBindGroup, threads: number, dimsBlock: number | null) => {
    if (current !== k) pass.setPipeline(k.pipeline);
    current = k;
    pass.setBindGroup(0, group, dimsBlock === null ? [] : [dimsBlock * DIMS_STRIDE]);
    const [x, y] = workgroupGrid(threads);
    pass.dispatchWorkgroups(x, y);
  };
  const K = plan.kernels;
  if (learned && !given) dispatch(K.startState, plan.startState, L * dirs * 2 * B * H, 0);
  for (let l = 0; l < L; l++) {
    const lb = plan.layers[l];
    for (let p = 0; p < T; p++) dispatch(K.forward, lb.forward, dirs * B * H, l * T + p);
    dispatch(K.finalState, lb.finalState, dirs * 2 * B * H, l * T);
  }
  dispatch(K.readoutForward, plan.readoutForward, N, null);
  dispatch(K.readoutBackward, plan.readoutBackward, Y * Hd + Y + T * B * Hd, null);
  const G = d.G;
  const nInit = learned ? (spec.cell === 'lstm' ? 2 : 1) : 0;
  for (let l = L - 1; l >= 0; l--) {
    const lb = plan.layers[l];
    const D = inputSizeOf(spec, l);
    for (let p = T - 1; p >= 0; p--) dispatch(K.backward, lb.backward, dirs * B * H, l * T + p);
    const Pd = G * H * (D + H + 2) + nInit * H;
    dispatch(K.paramGrad, lb.paramGrad, dirs * Pd, l * T);
    if (lb.inputGrad) dispatch(K.inputGrad, lb.inputGrad, T * B * D, l * T);
  }
  if (current !== K.stats) pass.setPipeline(K.stats.pipeline);
  pass.setBindGroup(0, plan.statsGroup);
  pass.dispatchWorkgroups(1);
  current = K.stats;
  if (update) dispatch(K.update, plan.update, P, null);
  pass.end();

  // One staging buffer, one map: stats, outputs, ∂L/∂h and h of the top layer, final state, grads.
  const top = plan.layers[L - 1];
  const parts: [GPUBuffer, number][] = [
    [plan.stats, 4],
    [plan.yhat, N * Y],
    [top.dH, T * B * Hd],
    [top.hout, T * B * Hd],
    [plan.fin, L * dirs * 2 * B * H],
  ];
  if (wantGrads) parts.push([pb.grad, P]);
  const total = parts.reduce((n, [, f]) => n + f, 0);
  const staging = device.createBuffer({ size: 4 * total, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  let at = 0;
  for (const [b, floats] of parts) {
    if (floats > 0) enc.copyBufferToBuffer(b, 0, staging, 4 * at, 4 * floats);
    at += floats;
  }
  queue.submit([enc.finish()]);
  try {
    await staging.mapAsync(GPUMapMode.READ);
  } catch (e) {
    staging.destroy();
    throw new Error(`WebGPU readback failed: ${gpu.takeError() ?? (e instanceof Error ? e.message : String(e))}`);
  }
  const all = new Float32Array(staging.getMappedRange().slice(0));
  staging.unmap();
  staging.destroy();
  const error = gpu.takeError();
  if (error) throw new Error(`WebGPU error: ${error}`);
  const views: Float32Array[] = [];
  at = 0;
  for (const [, floats] of parts) {
    views.push(all.subarray(at, at + floats));
    at += floats;
  }
  return { stats: views[0], outputs: views[1], hiddenGrads: views[2], hiddenStates: views[3], finalState: views[4], grads: wantGrads ? views[5] : null };
}
