/**
 * The gpu.js backend (WebGL2 fragment shaders, float32 textures), for browsers without WebGPU.
 * On the GPU: the recurrent forward pass and BPTT of RNN/LSTM/GRU (stacked, bidirectional,
 * truncated) and the accumulation of the recurrent parameters' gradients, one kernel per step,
 * textures kept on the GPU between kernels (pipeline mode). On the CPU, in float64, where gpu.js
 * would need many tiny kernels and readbacks for little work: the readout and loss, the start
 * state's gradient, clipping and the optimizer (the engine's own, so the semantics are the
 * reference backend's: state kept across steps, reset by setModel, a fresh one on a change of
 * kind, lr read each step, no update when the loss or a gradient is not finite).
 * Runs in a dedicated worker, where gpu.js draws on an OffscreenCanvas.
 */
import type { Batch } from '../../engine/batch';
import { globalNorm, readoutAndLoss, type RunOptions } from '../../engine/bptt';
import { addColumnSums, addMatMul, addMatMulAT } from '../../engine/linalg';
import { cloneModel, cloneParams, zeroParams, type Model, type Params } from '../../engine/model';
import type { Optimizer } from '../../engine/optim';
import { applyUpdate, optimizerFor } from '../../engine/train';
import type { BackendGradients, StepStats, TrainOptionsForBackend, TrainingBackend } from '../types';
import { dimsOf, flattenParams, paramLayout, type ParamLayout } from '../webgpu/layout';
import { openGpuJs, type GjContext, type GjTexture } from './context';

export type { GjContext, GjKernel, GjTexture } from './context';
import { GjPass } from './pass';
import { stateWidth, UPLOAD_1D } from './sources';

export interface GpuJsBackend extends TrainingBackend {
  /** the class of the kernel that really ran ("WebGL2Kernel"), once one has run */
  readonly kernelClass: string | null;
  /** tests: loses the WebGL2 context on purpose, to exercise onDeviceLost */
  simulateContextLoss(): void;
}

interface Pass extends BackendGradients {
  hiddenStates: Float64Array;
  finalState: { h: Float64Array[]; c: Float64Array[] | null };
}

export async function createGpuJsBackend(): Promise<GpuJsBackend> {
  return gpuJsBackendOn(await openGpuJs());
}

/** The backend on a given gpu.js context (the unit tests pass one that runs the kernels on the CPU). */
export function gpuJsBackendOn(ctx: GjContext): GpuJsBackend {
  let model: Model | null = null;
  let layout: ParamLayout | null = null;
  let optimizer: Optimizer | null = null;
  let theta: GjTexture | null = null; // (P) θ on the GPU, re-uploaded after each update
  let thetaHost = new Float32Array(0);

  const current = (): Model => {
    const lost = ctx.lostReason();
    if (lost) throw new Error(lost);
    if (!model) throw new Error('gpujs backend: setModel first');
    return model;
  };
  const upload = (m: Model) => {
    layout = paramLayout(m.spec);
    thetaHost = flattenParams(m.params, layout);
    theta?.delete();
    theta = ctx.kernel(UPLOAD_1D, [layout.total])(ctx.input(thetaHost, [layout.total]));
  };

  /** Forward on the GPU, readout and loss on the CPU, BPTT on the GPU: everything a step needs. */
  const run = (m: Model, batch: Batch, opts: RunOptions): Pass => {
    const { spec } = m;
    const lay = layout as ParamLayout;
    const d = dimsOf(spec, batch.B, batch.T, opts.readout === 'final_step');
    const { B, T, H, L, dirs, Hd, Y } = d;
    const pass = new GjPass(ctx, spec, lay, d, theta as GjTexture, batch);
    pass.thetaHost = thetaHost;
    try {
      const S = stateWidth(spec.cell, H);
      const starts: Float32Array[] = [];
      for (let i = 0; i < L * dirs; i++) {
        const s = new Float32Array(B * S); // (B, S): h then c in the first 2H columns
        const sfx = `_l${Math.floor(i / dirs)}${i % dirs ? '_reverse' : ''}`;
        const h = opts.initialState ? opts.initialState.h[i] : null;
        const c = opts.initialState ? (opts.initialState.c?.[i] ?? null) : null;
        for (let b = 0; b < B; b++) {
          for (let j = 0; j < H; j++) {
            s[b * S + j] = h ? h[b * H + j] : (m.params[`h0${sfx}`]?.data[j] ?? 0);
            s[b * S + H + j] = c ? c[b * H + j] : (m.params[`c0${sfx}`]?.data[j] ?? 0);
          }
        }
        starts.push(s);
      }
      const fw = pass.forward(starts);
      const top = Float64Array.from(fw.top);
      const r = readoutAndLoss(m, top, batch, opts);
      const grads = zeroParams(spec);
      addMatMulAT(grads['readout.weight'].data, r.dL_dy, r.readIn, r.N, Y, Hd);
      addColumnSums(grads['readout.bias'].data, r.dL_dy, r.N, Y);
      const dTop = new Float64Array(T * B * Hd); // (T, B, H·dirs)
      addMatMul(opts.readout === 'every_step' ? dTop : dTop.subarray((T - 1) * B * Hd), r.dL_dy, m.params['readout.weight'].data, r.N, Y, Hd);
      const trainStart = spec.initialState === 'learned' && !opts.initialState;
      const bw = pass.backward(fw, Float32Array.from(dTop), opts.truncation, trainStart);
      for (let l = 0; l < L; l++) {
        for (let dir = 0; dir < dirs; dir++) {
          const i = l * dirs + dir;
          const base = lay.layerBase[i];
          for (const e of lay.entries) {
            if (e.offset >= base && e.offset < base + bw.layerGrads[i].length) grads[e.name].data.set(bw.layerGrads[i].subarray(e.offset - base, e.offset - base + e.size));
          }
          const sfx = `_l${l}${dir ? '_reverse' : ''}`;
          if (trainStart) {
            addColumnSums(grads[`h0${sfx}`].data, Float64Array.from(bw.startGradH[i]), B, H);
            if (grads[`c0${sfx}`]) addColumnSums(grads[`c0${sfx}`].data, Float64Array.from(bw.startGradC[i]), B, H);
          }
        }
      }
      return {
        outputs: r.outputs,
        loss: r.loss,
        grads,
        gradNorm: globalNorm(grads),
        hiddenGrads: Float64Array.from(bw.hiddenGrads),
        hiddenStates: top,
        finalState: {
          h: fw.finalH.map((a) => Float64Array.from(a)),
          c: spec.cell === 'lstm' ? fw.finalC.map((a) => Float64Array.from(a)) : null,
        },
      };
    } finally {
      pass.dispose();
    }
  };

  const backend: GpuJsBackend = {
    name: 'gpujs',
    description: `gpu.js WebGL2 on ${ctx.isSoftware ? 'SwiftShader (software)' : ctx.renderer}`,
    isSoftware: ctx.isSoftware,
    get kernelClass() {
      return ctx.kernelClass();
    },
    async setModel(m: Model) {
      if (ctx.lostReason()) throw new Error(ctx.lostReason() as string);
      model = cloneModel(m);
      optimizer = null;
      upload(model);
    },
    async readParams() {
      return cloneParams(current().params);
    },
    async forwardBackward(batch: Batch, opts: RunOptions): Promise<BackendGradients> {
      const r = run(current(), batch, opts);
      return { outputs: r.outputs, loss: r.loss, grads: r.grads, gradNorm: r.gradNorm, hiddenGrads: r.hiddenGrads };
    },
    async trainStep(batch: Batch, opts: TrainOptionsForBackend): Promise<StepStats> {
      const m = current();
      optimizer = optimizerFor(optimizer, opts.optimizer);
      const r = run(m, batch, opts);
      const { clip, applied } = applyUpdate(m, optimizer, r.loss, r.gradNorm, r.grads as Params, opts.clip);
      if (applied) upload(m);
      return {
        loss: r.loss,
        gradNormBefore: clip.normBefore,
        gradNormAfter: clip.normAfter,
        clipped: clip.clipped,
        applied,
        outputs: r.outputs,
        hiddenGrads: r.hiddenGrads,
        hiddenStates: r.hiddenStates,
        finalState: r.finalState,
      };
    },
    dispose() {
      theta?.delete();
      theta = null;
      model = null;
      ctx.destroy();
    },
    onDeviceLost(callback: (reason: string) => void) {
      ctx.onLost(callback);
    },
    simulateContextLoss() {
      ctx.loseContext?.();
    },
    simulateDeviceLoss() {
      ctx.loseContext?.();
    },
  };
  return backend;
}
