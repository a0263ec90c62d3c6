/**
 * One pass of the gpu.js backend, in two halves around the readout (which runs on the CPU):
 *   forward():  every layer and direction, one kernel per step, textures F_t kept on the GPU;
 *               reads back the top layer's states (StepStats needs them anyway)
 *   backward(): BPTT from the direct ∂L/∂h of the top layer, one kernel per step for dS_t and
 *               one accumulating the parameter gradients; reads back the gradients and the top
 *               layer's total ∂L/∂h_t. Every texture is deleted at the end.
 */
import type { Batch } from '../../engine/batch';
import { isDetachedAt, timeOf } from '../../engine/bptt';
import { layerInputSize, type ModelSpec } from '../../engine/model';
import type { Dims, ParamLayout } from '../webgpu/layout';
import type { GjContext, GjTexture } from './context';
import { backwardSource, forwardSource, gates, gradAccSource, gradWidth, inputGradSource, stateWidth, UPLOAD_2D, ZERO, type StepShape } from './sources';

const rows = (t: GjTexture): Float32Array[] => t.toArray() as Float32Array[];

export interface ForwardState {
  /** per layer·dirs + dir, per time t: F_t (B, S) */
  F: GjTexture[][];
  /** per layer·dirs + dir: the start state in F's layout */
  start: GjTexture[];
  /** (T, B, H·dirs) the top layer's states */
  top: Float32Array;
  /** per layer·dirs + dir: h and c after the direction's last step, each (B, H) */
  finalH: Float32Array[];
  finalC: Float32Array[];
}

export interface BackwardResult {
  /** per layer·dirs + dir: ∂L/∂[W_ih, W_hh, b_ih, b_hh] flat, (G·H·(D+H+2)) */
  layerGrads: Float32Array[];
  /** per layer·dirs + dir: ∂L/∂h and ∂L/∂c reaching the start state, each (B, H) */
  startGradH: Float32Array[];
  startGradC: Float32Array[];
  /** (T, B, H·dirs) total ∂L/∂h_t of the top layer */
  hiddenGrads: Float32Array;
}

export class GjPass {
  private readonly textures: GjTexture[] = [];
  constructor(
    private readonly ctx: GjContext,
    private readonly spec: ModelSpec,
    private readonly layout: ParamLayout,
    private readonly d: Dims,
    private readonly theta: GjTexture,
    private readonly batch: Batch,
  ) {}

  private keep<T extends GjTexture>(t: T): T {
    this.textures.push(t);
    return t;
  }

  shape(l: number, dir: number): StepShape {
    const D = layerInputSize(this.spec, l);
    const { H, dirs } = this.d;
    const Da = l === 0 || dirs === 1 ? D : H;
    return { cell: this.spec.cell, phi: this.spec.nonlinearity, B: this.d.B, H, D, Da, base: this.layout.layerBase[l * dirs + dir], dirCol: dir * H };
  }

  /** x_t of layer l as the two kernel inputs (xa, xb). */
  private inputAt(l: number, t: number, F: GjTexture[][]): [unknown, unknown] {
    const { B, dirs } = this.d;
    if (l === 0) {
      const D = this.spec.inputSize;
      const x = this.ctx.input(Float32Array.from(this.batch.x.subarray(t * B * D, (t + 1) * B * D)), [D, B]);
      return [x, x];
    }
    return [F[(l - 1) * dirs][t], F[(l - 1) * dirs + dirs - 1][t]];
  }

  /** @param startStates per layer·dirs + dir: (B, S) h in [0, H), c in [H, 2H) */
  forward(startStates: Float32Array[]): ForwardState {
    const { B, T, H, L, dirs, Hd } = this.d;
    const S = stateWidth(this.spec.cell, H);
    const upload = this.ctx.kernel(UPLOAD_2D, [S, B]);
    const start = startStates.map((s) => this.keep(upload(this.ctx.input(s, [S, B]))));
    const F: GjTexture[][] = [];
    for (let l = 0; l < L; l++) {
      for (let dir = 0; dir < dirs; dir++) {
        const step = this.ctx.kernel(forwardSource(this.shape(l, dir)), [S, B], l === 0 ? 'x:input' : 'x:texture');
        const Fl: GjTexture[] = new Array(T);
        let prev = start[l * dirs + dir];
        for (let p = 0; p < T; p++) {
          const t = timeOf(p, dir, T);
          const [xa, xb] = this.inputAt(l, t, F);
          prev = Fl[t] = this.keep(step(this.theta, xa, xb, prev));
        }
        F.push(Fl);
      }
    }
    const top = new Float32Array(T * B * Hd); // (T, B, H·dirs)
    const finalH: Float32Array[] = [];
    const finalC: Float32Array[] = [];
    for (let i = 0; i < L * dirs; i++) {
      const dir = i % dirs;
      const last = rows(F[i][timeOf(T - 1, dir, T)]);
      finalH.push(Float32Array.from(last.flatMap((r) => Array.from(r.subarray(0, H)))));
      finalC.push(Float32Array.from(last.flatMap((r) => Array.from(r.subarray(H, 2 * H)))));
    }
    for (let dir = 0; dir < dirs; dir++) {
      for (let t = 0; t < T; t++) {
        const r = rows(F[(L - 1) * dirs + dir][t]);
        for (let b = 0; b < B; b++) top.set(r[b].subarray(0, H), (t * B + b) * Hd + dir * H);
      }
    }
    return { F, start, top, finalH, finalC };
  }

  /** @param dTop (T, B, H·dirs) the direct gradient from the readout into the top layer's output */
  backward(fw: ForwardState, dTop: Float32Array, truncation: number | null, wantStartGrads: boolean): BackwardResult {
    const { B, T, H, L, dirs, Hd } = this.d;
    const { cell } = this.spec;
    const W = gradWidth(cell, H);
    const zeroW = this.keep(this.ctx.kernel(ZERO, [W, B])());
    const layerGrads: Float32Array[] = new Array(L * dirs);
    const startGradH: Float32Array[] = new Array(L * dirs);
    const startGradC: Float32Array[] = new Array(L * dirs);
    const hiddenGrads = new Float32Array(T * B * Hd); // (T, B, H·dirs)
    // the direct gradient into the current layer's output at each t: (B, H·dirs)
    let dOut: unknown[] = Array.from({ length: T }, (_, t) => this.ctx.input(dTop.subarray(t * B * Hd, (t + 1) * B * Hd), [Hd, B]));
    for (let l = L - 1; l >= 0; l--) {
      const dS: GjTexture[][] = [];
      for (let dir = 0; dir < dirs; dir++) {
        const i = l * dirs + dir;
        const s = this.shape(l, dir);
        const Pd = gates(cell) * H * (s.D + H + 2);
        const step = this.ctx.kernel(backwardSource(s), [W, B], l === L - 1 ? 'dOut:input' : 'dOut:texture');
        const acc = this.ctx.kernel(gradAccSource(s), [Pd], l === 0 ? 'x:input' : 'x:texture');
        const Fl = fw.F[i];
        const dSl: GjTexture[] = new Array(T);
        let sum = this.keep(this.ctx.kernel(ZERO, [Pd])());
        for (let p = T - 1; p >= 0; p--) {
          const t = timeOf(p, dir, T);
          const hasNext = p < T - 1 && !isDetachedAt(p + 1, truncation);
          const tn = hasNext ? timeOf(p + 1, dir, T) : t;
          const prev = p === 0 ? fw.start[i] : Fl[timeOf(p - 1, dir, T)];
          dSl[t] = this.keep(step(this.theta, Fl[t], prev, Fl[tn], hasNext ? dSl[tn] : zeroW, dOut[t], hasNext ? 1 : 0));
          const [xa, xb] = this.inputAt(l, t, fw.F);
          sum = this.keep(acc(sum, dSl[t], xa, xb, prev));
        }
        layerGrads[i] = Float32Array.from(sum.toArray() as Float32Array).subarray(0, Pd);
        if (wantStartGrads) [startGradH[i], startGradC[i]] = this.startGrads(l, dir, rows(dSl[timeOf(0, dir, T)]), rows(Fl[timeOf(0, dir, T)]));
        if (l === L - 1) {
          for (let t = 0; t < T; t++) {
            const r = rows(dSl[t]);
            for (let b = 0; b < B; b++) hiddenGrads.set(r[b].subarray(2 * gates(cell) * H, (2 * gates(cell) + 1) * H), (t * B + b) * Hd + dir * H);
          }
        }
        dS.push(dSl);
      }
      if (l > 0) {
        const D = layerInputSize(this.spec, l);
        const bases = Array.from({ length: dirs }, (_, dir) => this.layout.layerBase[l * dirs + dir]);
        const k = this.ctx.kernel(inputGradSource(gates(cell) * H, D, bases), [D, B]);
        dOut = Array.from({ length: T }, (_, t) => this.keep(k(this.theta, dS[0][t], dS[dirs - 1][t])));
      }
    }
    return { layerGrads, startGradH, startGradC, hiddenGrads };
  }

  /**
   * What reaches the start state from step 0 (small, on the CPU from dS_0 and F_0):
   * ∂L/∂h_start = W_hhᵀ ∂L/∂(W_hh h + b_hh) (+ z ⊙ ∂L/∂h_0 for GRU); ∂L/∂c_start = ∂L/∂c_0 ⊙ f_0.
   */
  private startGrads(l: number, dir: number, dS0: Float32Array[], F0: Float32Array[]): [Float32Array, Float32Array] {
    const { B, H } = this.d;
    const G = gates(this.spec.cell);
    const GH = G * H;
    const whh = this.layout.layerBase[l * this.d.dirs + dir] + GH * layerInputSize(this.spec, l);
    const theta = this.thetaHost;
    const gh = new Float32Array(B * H); // (B, H)
    const gc = new Float32Array(B * H); // (B, H)
    for (let b = 0; b < B; b++) {
      for (let j = 0; j < H; j++) {
        let s = 0;
        for (let r = 0; r < GH; r++) s += theta[whh + r * H + j] * dS0[b][GH + r];
        if (this.spec.cell === 'gru') s += dS0[b][2 * GH + j] * F0[b][3 * H + j];
        gh[b * H + j] = s;
        if (this.spec.cell === 'lstm') gc[b * H + j] = dS0[b][2 * GH + H + j] * F0[b][3 * H + j];
      }
    }
    return [gh, gc];
  }

  /** θ on the host, for the start-state gradients */
  thetaHost: Float32Array = new Float32Array(0);

  dispose(): void {
    for (const t of this.textures) t.delete();
    this.textures.length = 0;
  }
}
