/**
 * The one training path: a TrainingBackend made from any backend's kernels. It owns the layout of
 * the arena, the order of the calls (forward, loss, BPTT, gradient norm, clipping and the update)
 * and the optimizer's step count; the kernels only compute. A step records every call, then
 * flushes once and reads back what the charts need.
 *
 * Semantics (the same for every backend, checked by one test table): setModel resets the optimizer
 * state, a change of optimizer kind starts a fresh one, the learning rate is read at each step, and
 * a step whose loss or gradient is NaN/±Inf leaves the weights alone (applied = false).
 */
import type { Batch } from '../engine/batch';
import { timeOf, type RecurrentState, type RunOptions } from '../engine/bptt';
import type { Model } from '../engine/model';
import { isSuccessorKind } from '../engine/successors/spec';
import type { BackendGradients, BackendName, StepStats, TrainOptionsForBackend, TrainingBackend } from '../kernels/types';
import { backwardPass } from './backward';
import { forwardPass, readRows } from './forward';
import { SLOT, type Kernels, type Ptr, type Region } from './kernels';
import { batchLayout, modelLayout, type BatchLayout, type ModelLayout } from './layout';
import { PathBase, type AnyModel, type ParamBlockLayout } from './pathBase';
import { SuccessorPath } from './successors/path';
import { validateRun } from './validate';

export interface PathBackendInfo {
  name: BackendName;
  description: string;
  isSoftware: boolean;
}

/** The RNN stack (rnn, lstm, gru; layers and directions) on the path. */
export class TrainingPath extends PathBase<ModelLayout, BatchLayout> {
  protected layoutOf(model: AnyModel): ModelLayout {
    if (isSuccessorKind(model.spec.cell)) throw new Error(`the RNN path does not train ${model.spec.cell}`);
    return modelLayout((model as Model).spec, this.k.base, this.k.packed?.size);
  }

  /** W_ihᵀ, W_hhᵀ, W_outᵀ from the weights, after an upload or an update; where the kernels pack, W_ihᵀ, W_hhᵀ and W_hh packed instead of W_hhᵀ. */
  protected refreshTransposes(): void {
    const m = this.model();
    const GH = m.G * m.H;
    const packed = this.k.packed;
    for (const s of m.layers) {
      this.k.transpose(s.W_ihT, m.ldT, s.W_ih, GH, s.D); // the (T·B)-row input product reads it
      if (packed) {
        // the recurrence's products read W_hh only packed: W_hhᵀ straight from W_hh
        packed.packTransposed(s.W_ihT_p, s.W_ih, s.D, s.D, GH);
        packed.packTransposed(s.W_hhT_p, s.W_hh, m.H, m.H, GH);
        packed.pack(s.W_hh_p, s.W_hh, m.H, GH, m.H);
      } else this.k.transpose(s.W_hhT, m.ldT, s.W_hh, GH, m.H);
    }
    this.k.transpose(m.W_outT, m.Y, m.W_out, m.Y, m.Hd);
  }

  /** Records forward, loss, BPTT and Σg² (SLOT.sumsqBefore); the gradients stay in the arena. */
  run(batch: Batch, opts: RunOptions, inputGrads: boolean): void {
    const m = this.model();
    validateRun(m.spec, batch, opts);
    const { B, T } = batch;
    if (!this.b || this.b.B !== B || this.b.T !== T) {
      const b = batchLayout(m, B, T);
      this.k.reserve(b.end);
      this.b = b;
    }
    const b = this.b;
    this.k.write(b.x, batch.x);
    this.rows = readRows(opts.readout, B, T);
    forwardPass(this.k, m, b, opts, this.rows);
    const mask = opts.readout === 'every_step' ? (batch.mask ?? null) : null;
    this.k.loss(opts.loss, b.outputs, this.rows.N, m.Y, B, b.dL_dy, batch.target, mask, { target: b.target, mask: b.mask });
    this.withInputGrads = inputGrads;
    backwardPass(this.k, m, b, opts, this.rows, inputGrads);
    this.k.sumsq(m.grads, m.P, SLOT.sumsqBefore);
  }

  /** What the charts read after a step: outputs, the top layer's ∂L/∂h_t (and h_t when `hidden`),
   *  the final state (each layer and direction's last step); `grads` adds ∂L/∂θ. */
  reads(grads: boolean, hidden = true): Region[] {
    const m = this.model();
    const b = this.batch();
    const top = this.top();
    const r: Region[] = [{ ptr: b.outputs, n: this.rows.N * m.Y }, top.grad];
    if (hidden) r.push(top.out);
    for (const [ptr, n] of this.finalStateParts()) r.push({ ptr, n });
    if (grads) r.push({ ptr: m.grads, n: m.P });
    if (this.withInputGrads) r.push({ ptr: b.dX, n: b.T * b.B * m.spec.inputSize });
    return r;
  }

  /** (N, Y) the last run's outputs */
  outputs(): Float64Array {
    return this.k.read(this.batch().outputs, this.rows.N * this.model().Y);
  }

  /** the top layer's h_t and total ∂L/∂h_t, each (T, B, H·dirs) */
  protected top(): { out: Region; grad: Region; T: number } {
    const b = this.batch();
    const n = b.T * b.B * this.model().Hd;
    const l = this.model().spec.numLayers - 1;
    return { out: { ptr: b.out[l], n }, grad: { ptr: b.dOut[l], n }, T: b.T };
  }

  /** (T, B, D) ∂L/∂x_t from the last run, which must have asked for it */
  inputGrads(): Float64Array {
    if (!this.withInputGrads) throw new Error('training path: the last run did not compute ∂L/∂x');
    const b = this.batch();
    return this.k.read(b.dX, b.T * b.B * this.model().spec.inputSize);
  }

  /** Where each layer and direction's last state lies: [h rows (B, H·dirs) at its last time, c (B, H)] */
  private finalStateParts(): [Ptr, number][] {
    const b = this.batch();
    const { H, Hd, dirs, spec } = this.model();
    const { B, T } = b;
    const parts: [Ptr, number][] = [];
    for (let l = 0; l < spec.numLayers; l++)
      for (let dir = 0; dir < dirs; dir++) {
        const t = timeOf(T - 1, dir, T);
        parts.push([b.out[l] + t * B * Hd, B * Hd]);
        if (spec.cell === 'lstm') parts.push([b.caches[l * dirs + dir].c + t * B * H, B * H]);
      }
    return parts;
  }

  /** The state after each direction's last step, per layer and direction (l·dirs + dir): what a
   *  stream's next chunk starts from. */
  finalState(): RecurrentState {
    const { H, Hd, spec } = this.model();
    const B = this.batch().B;
    const lstm = spec.cell === 'lstm';
    const state: RecurrentState = { h: [], c: lstm ? [] : null };
    const parts = this.finalStateParts();
    for (let i = 0, dir = 0; i < parts.length; i += lstm ? 2 : 1) {
      const rows = this.k.read(parts[i][0], parts[i][1]); // (B, H·dirs) at this direction's last time
      const h = new Float64Array(B * H); // (B, H)
      for (let bb = 0; bb < B; bb++) h.set(rows.subarray(bb * Hd + dir * H, bb * Hd + dir * H + H), bb * H);
      state.h.push(h);
      if (state.c) state.c.push(this.k.read(parts[i + 1][0], parts[i + 1][1]));
      dir = (dir + 1) % (Hd / H);
    }
    return state;
  }
}

/** A TrainingBackend on a backend's kernels: every backend's training is this one path. */
export function pathBackend(kernels: Kernels, info: PathBackendInfo, onDispose?: () => void): TrainingBackend {
  let disposed = false;
  let path: PathBase<ParamBlockLayout> | null = null;
  const current = (): PathBase<ParamBlockLayout> => {
    if (disposed) throw new Error(`${info.name} backend: disposed`);
    if (!path?.hasModel) throw new Error(`${info.name} backend: setModel first`);
    return path;
  };
  return {
    ...info,
    scanKinds: kernels.mixers?.scanKinds ?? [],
    async setModel(model: AnyModel) {
      if (disposed) throw new Error(`${info.name} backend: disposed`);
      const kind = model.spec.cell;
      if (isSuccessorKind(kind)) {
        if (!kernels.mixers?.kinds.includes(kind)) throw new Error(`the ${info.name} backend does not train ${kind} yet`);
        if (!(path instanceof SuccessorPath)) path = new SuccessorPath(kernels);
      } else if (!(path instanceof TrainingPath)) path = new TrainingPath(kernels);
      path.setModel(model);
    },
    readParams: async () => current().readParams(),
    async forwardBackward(batch: Batch, opts: RunOptions): Promise<BackendGradients> {
      const p = current();
      p.run(batch, opts, true);
      await p.k.flush(p.reads(true));
      const s = p.k.scalars();
      return { outputs: p.outputs(), loss: s[SLOT.loss], grads: p.grads(), gradNorm: Math.sqrt(s[SLOT.sumsqBefore]), hiddenGrads: p.hiddenGrads(), inputGrads: p.inputGrads() };
    },
    async trainStep(batch: Batch, opts: TrainOptionsForBackend): Promise<StepStats> {
      const p = current();
      const inputGrads = opts.inputGrads === true;
      const hidden = opts.hiddenReads !== false;
      p.run(batch, opts, inputGrads);
      p.update(opts);
      await p.k.flush(p.reads(false, hidden));
      const s = p.k.scalars();
      const applied = s[SLOT.applied] !== 0;
      p.countUpdate(applied);
      const normBefore = Math.sqrt(s[SLOT.sumsqBefore]);
      return {
        loss: s[SLOT.loss],
        gradNormBefore: normBefore,
        gradNormAfter: applied ? Math.sqrt(s[SLOT.sumsqAfter]) : normBefore,
        clipped: applied && s[SLOT.clipped] !== 0,
        applied,
        outputs: p.outputs(),
        hiddenGradNorms: p.hiddenGradNorms(),
        ...(hidden ? { hiddenGrads: p.hiddenGrads(), hiddenStates: p.hiddenStates() } : {}),
        ...(inputGrads ? { inputGrads: p.inputGrads() } : {}),
        finalState: p.finalState(),
      };
    },
    dispose() {
      disposed = true;
      path = null;
      onDispose?.();
    },
  };
}
