/// <reference types="@webgpu/types" />
/**
 * A plan: every buffer and bind group one (model, B, T, readout) needs, built once and reused
 * while those stay the same. θ, ∂L/∂θ and the optimizer moments belong to the backend (they
 * outlive plans); everything here is scratch that each pass overwrites in full.
 */
import type { ModelSpec } from '../../engine/model';
import type { Gpu, Kernel } from './device';
import { dimsOf, inputSizeOf, type Dims, type ParamLayout } from './layout';
import { DIMS_STRIDE, packDims } from './wgsl/common';
import { backwardKernel, finalStateKernel, forwardKernel, inputGradKernel, paramGradKernel, startStateKernel } from './wgsl/recurrent';
import { readoutBackwardKernel, readoutForwardKernel, statsKernel, updateKernel } from './wgsl/readout';

/** The backend's long-lived buffers, each (P) f32. */
export interface ParamBuffers {
  theta: GPUBuffer;
  grad: GPUBuffer;
  /** Adam's first moment */
  m: GPUBuffer;
  /** SGD's momentum buffer, or the second moment of Adam and RMSprop */
  v: GPUBuffer;
}

export interface LayerBuffers {
  /** (T, B, H·dirs) */
  hout: GPUBuffer;
  /** (dirs, T, B, (G+1)·H) */
  cache: GPUBuffer;
  /** (T, B, H·dirs) total ∂L/∂h_t */
  dH: GPUBuffer;
  /** (dirs, T, B, (2G+1)·H) */
  dA: GPUBuffer;
  /** (T, B, H·dirs) direct gradient into the output */
  dOut: GPUBuffer;
  forward: GPUBindGroup;
  backward: GPUBindGroup;
  paramGrad: GPUBindGroup;
  finalState: GPUBindGroup;
  /** layers above the first: writes the layer below's dOut */
  inputGrad: GPUBindGroup | null;
}

export interface Kernels {
  forward: Kernel;
  backward: Kernel;
  paramGrad: Kernel;
  inputGrad: Kernel;
  startState: Kernel;
  finalState: Kernel;
  readoutForward: Kernel;
  readoutBackward: Kernel;
  stats: Kernel;
  update: Kernel;
}

export function kernelsFor(gpu: Gpu, spec: ModelSpec): Kernels {
  const { cell } = spec;
  const phi = cell === 'rnn' ? spec.nonlinearity : 'tanh';
  return {
    forward: gpu.pipeline(`forward:${cell}:${phi}`, () => forwardKernel(cell, phi)),
    backward: gpu.pipeline(`backward:${cell}:${phi}`, () => backwardKernel(cell, phi)),
    paramGrad: gpu.pipeline(`paramGrad:${cell}`, () => paramGradKernel(cell)),
    inputGrad: gpu.pipeline(`inputGrad:${cell}`, () => inputGradKernel(cell)),
    startState: gpu.pipeline(`startState:${cell}`, () => startStateKernel(cell)),
    finalState: gpu.pipeline(`finalState:${cell}`, () => finalStateKernel(cell)),
    readoutForward: gpu.pipeline('readoutForward', readoutForwardKernel),
    readoutBackward: gpu.pipeline('readoutBackward', readoutBackwardKernel),
    stats: gpu.pipeline('stats', statsKernel),
    update: gpu.pipeline('update', updateKernel),
  };
}

export interface Plan {
  key: string;
  d: Dims;
  kernels: Kernels;
  /** (T, B, D) */
  x: GPUBuffer;
  /** MSE (N, Y), cross-entropy (N) */
  tgt: GPUBuffer;
  /** (N) */
  weight: GPUBuffer;
  /** (L·dirs, 2, B, H) */
  start: GPUBuffer;
  /** (L·dirs, 2, B, H) */
  fin: GPUBuffer;
  /** (N, Y) */
  yhat: GPUBuffer;
  /** (4) loss, Σg², Σclamp(g)², max|g| */
  stats: GPUBuffer;
  /** L·T blocks of `Dims`, DIMS_STRIDE bytes apart: block l·T + p */
  dimsBuf: GPUBuffer;
  /** the `Run` uniform */
  runBuf: GPUBuffer;
  layers: LayerBuffers[];
  startState: GPUBindGroup;
  readoutForward: GPUBindGroup;
  readoutBackward: GPUBindGroup;
  statsGroup: GPUBindGroup;
  update: GPUBindGroup;
  /** the (truncation, trainInit) the Dims blocks were last written for */
  dimsFor: string;
  destroy(): void;
}

export function planKey(B: number, T: number, finalStep: boolean): string {
  return `${B}:${T}:${finalStep ? 'final' : 'every'}`;
}

export function makePlan(gpu: Gpu, spec: ModelSpec, pb: ParamBuffers, B: number, T: number, finalStep: boolean): Plan {
  const { device } = gpu;
  const d = dimsOf(spec, B, T, finalStep);
  const made: GPUBuffer[] = [];
  const S = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
  const buf = (floats: number, usage = S): GPUBuffer => {
    const b = device.createBuffer({ size: Math.max(16, 4 * floats), usage });
    made.push(b);
    return b;
  };
  const group = (k: Kernel, buffers: (GPUBuffer | [GPUBuffer, number])[]): GPUBindGroup =>
    device.createBindGroup({
      layout: k.layout,
      entries: buffers.map((b, binding) => (Array.isArray(b) ? { binding, resource: { buffer: b[0], size: b[1] } } : { binding, resource: { buffer: b } })),
    });
  const kernels = kernelsFor(gpu, spec);
  const { G, H, L, dirs, Hd, N, Y } = d;
  const TBH = T * B * Hd;
  const x = buf(T * B * spec.inputSize);
  const tgt = buf(N * Math.max(Y, 1));
  const weight = buf(N);
  const start = buf(L * dirs * 2 * B * H);
  const fin = buf(L * dirs * 2 * B * H);
  const yhat = buf(N * Y);
  const dLdy = buf(N * Y); // (N, Y)
  const lossRow = buf(N); // (N)
  const stats = buf(4);
  const dimsBuf = buf((L * T * DIMS_STRIDE) / 4, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
  const runBuf = buf(64, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
  const dims: [GPUBuffer, number] = [dimsBuf, 64];
  const layers: LayerBuffers[] = [];
  for (let l = 0; l < L; l++) {
    const hout = buf(TBH);
    const cache = buf(dirs * T * B * (G + 1) * H);
    const dH = buf(TBH);
    const dA = buf(dirs * T * B * (2 * G + 1) * H);
    const dOut = buf(TBH);
    const xin = l === 0 ? x : layers[l - 1].hout;
    layers.push({
      hout,
      cache,
      dH,
      dA,
      dOut,
      forward: group(kernels.forward, [dims, pb.theta, xin, start, hout, cache]),
      backward: group(kernels.backward, [dims, pb.theta, start, hout, cache, dOut, dH, dA]),
      paramGrad: group(kernels.paramGrad, [dims, pb.theta, xin, start, hout, cache, dH, dA, pb.grad]),
      finalState: group(kernels.finalState, [dims, hout, cache, fin]),
      inputGrad: null,
    });
  }
  for (let l = 1; l < L; l++) layers[l].inputGrad = group(kernels.inputGrad, [dims, pb.theta, layers[l].dA, layers[l - 1].dOut]);
  const top = layers[L - 1];
  return {
    key: planKey(B, T, finalStep),
    d,
    kernels,
    x,
    tgt,
    weight,
    start,
    fin,
    yhat,
    stats,
    dimsBuf,
    runBuf,
    layers,
    startState: group(kernels.startState, [dims, pb.theta, start]),
    readoutForward: group(kernels.readoutForward, [runBuf, pb.theta, top.hout, tgt, weight, yhat, dLdy, lossRow]),
    readoutBackward: group(kernels.readoutBackward, [runBuf, pb.theta, top.hout, dLdy, pb.grad, top.dOut]),
    statsGroup: group(kernels.stats, [runBuf, lossRow, pb.grad, stats]),
    update: group(kernels.update, [runBuf, stats, pb.grad, pb.theta, pb.m, pb.v]),
    dimsFor: '',
    destroy() {
      for (const b of made) b.destroy();
    },
  };
}

/** Writes the L·T `Dims` blocks: they change only with truncation and whether h0/c0 train. */
export function writeDims(gpu: Gpu, plan: Plan, spec: ModelSpec, layout: ParamLayout, truncation: number | null, trainInit: boolean): void {
  const key = `${truncation ?? 0}:${trainInit}`;
  if (plan.dimsFor === key) return;
  const { B, T, H, L, dirs } = plan.d;
  const words = new Uint32Array((L * T * DIMS_STRIDE) / 4);
  for (let l = 0; l < L; l++) {
    const i0 = l * dirs;
    const i1 = l * dirs + dirs - 1;
    for (let p = 0; p < T; p++) {
      const block = packDims({
        B,
        T,
        D: inputSizeOf(spec, l),
        H,
        dirs,
        p,
        trunc: truncation ?? 0,
        l,
        base0: layout.layerBase[i0],
        base1: layout.layerBase[i1],
        init0: Math.max(0, layout.initOffset[i0]),
        init1: Math.max(0, layout.initOffset[i1]),
        trainInit: trainInit ? 1 : 0,
        L,
        learned: spec.initialState === 'learned' ? 1 : 0,
        pad: 0,
      });
      words.set(block, ((l * T + p) * DIMS_STRIDE) / 4);
    }
  }
  gpu.device.queue.writeBuffer(plan.dimsBuf, 0, words);
  plan.dimsFor = key;
}
