/**
 * What the one training path does the same for every family of models (the RNN stack in
 * ./backend.ts, the successor blocks in ./successors/path.ts): the parameter block's upload and
 * read-back, the optimizer's kind and count, and the update (clipping and the optimizer) after a
 * run. A family adds its layout, its forward and backward passes and what the charts read.
 */
import type { Batch } from '../engine/batch';
import type { RecurrentState, RunOptions } from '../engine/bptt';
import type { AnyModel } from '../engine/anyModel';
import type { Params } from '../engine/model';
import type { OptimizerSpec } from '../engine/optim';
import { updatePlan, type TensorSlot } from '../engine/plan';
import { normsPerStep } from '../engine/stepNorms';
import type { TrainOptionsForBackend } from '../kernels/types';
import type { ReadRows } from './forward';
import type { Kernels, Ptr, Region } from './kernels';

/** What every model's layout has: the parameter block (θ, ∂L/∂θ and two optimizer moments, P floats each). */
export interface ParamBlockLayout {
  P: number;
  params: Ptr;
  grads: Ptr;
  moment1: Ptr;
  moment2: Ptr;
  tensors: TensorSlot[];
  end: Ptr;
}

export type { AnyModel } from '../engine/anyModel';

/** The path's state over one model, whatever its family. */
export abstract class PathBase<M extends ParamBlockLayout, BL = unknown> {
  protected m: M | null = null;
  /** the layout of the last batch shape (laid out again when B or T change) */
  protected b: BL | null = null;
  protected rows: ReadRows = { N: 0, row: 0 };
  /** whether the last run computed ∂L/∂x_t */
  protected withInputGrads = false;
  /** the optimizer kind in use and its number of applied updates (Adam's bias correction counts them) */
  private optimizer: { name: OptimizerSpec['name']; t: number } | null = null;

  constructor(readonly k: Kernels) {}

  protected batch(): BL {
    if (!this.b) throw new Error('training path: run a batch first');
    return this.b;
  }

  protected model(): M {
    if (!this.m) throw new Error(`${this.k.precision} path: setModel first`);
    return this.m;
  }

  get hasModel(): boolean {
    return this.m !== null;
  }

  /** The model's layout from `base` on. */
  protected abstract layoutOf(model: AnyModel): M;
  /** The transposed copies the products read, from the weights (after an upload or an update). */
  protected abstract refreshTransposes(): void;

  /** Lays out and uploads the weights; resets the optimizer. */
  setModel(model: AnyModel): void {
    const m = this.layoutOf(model);
    this.k.reserve(m.end);
    this.k.zero(m.params, m.end - m.params);
    for (const t of m.tensors) {
      const src = model.params[t.name];
      if (!src || src.data.length !== t.size) throw new Error(`parameter ${t.name} is missing or has the wrong size`);
      this.k.write(m.params + t.offset, src.data);
    }
    this.m = m;
    this.b = null;
    this.optimizer = null;
    this.refreshTransposes();
  }

  /** The tensors of a block (θ or ∂L/∂θ) by state_dict name, as float64; after a flush. */
  tensors(block: number): Params {
    const all = this.k.read(block, this.model().P);
    const out: Params = {};
    for (const t of this.model().tensors) out[t.name] = { shape: [...t.shape], data: all.slice(t.offset, t.offset + t.size) };
    return out;
  }

  /** ∂L/∂θ by state_dict name, before clipping when read after run(); after a flush */
  grads(): Params {
    return this.tensors(this.model().grads);
  }

  async readParams(): Promise<Params> {
    await this.k.flush([{ ptr: this.model().params, n: this.model().P }]);
    return this.tensors(this.model().params);
  }

  /** Records forward, loss, backward and Σg² (SLOT.sumsqBefore); with `inputGrads` also ∂L/∂x_t. */
  abstract run(batch: Batch, opts: RunOptions, inputGrads: boolean): void;

  /** Records clipping and the update (skipped on the device when the step was not finite). */
  update(spec: TrainOptionsForBackend): void {
    const m = this.model();
    if (!this.optimizer || this.optimizer.name !== spec.optimizer.name) {
      // A new optimizer kind starts from fresh moments; the same kind keeps them (a new lr applies at once).
      this.k.zero(m.moment1, m.P);
      this.k.zero(m.moment2, m.P);
      this.optimizer = { name: spec.optimizer.name, t: 0 };
    }
    this.k.update(updatePlan(spec.optimizer, spec.clip, this.optimizer.t + 1), m.P, m.params, m.grads, m.moment1, m.moment2);
    this.refreshTransposes();
  }

  /** After flush: counts an applied update. */
  countUpdate(applied: boolean): void {
    if (applied && this.optimizer) this.optimizer.t++;
  }

  /** What the charts read after a step (outputs, the top layer's output and its gradient, ∂L/∂x_t
   *  when computed, the final state); `grads` adds ∂L/∂θ. */
  abstract reads(grads: boolean, hidden?: boolean): Region[];
  /** (N, Y) the last run's outputs */
  abstract outputs(): Float64Array;
  /** Where the last run left the top layer's output (`out`) and its total gradient (`grad`), each
   *  (T, B, width); T steps. */
  protected abstract top(): { out: Region; grad: Region; T: number };

  /** (T, B, width) ∂L/∂ of the top layer's output at every step (every later path included) */
  hiddenGrads(): Float64Array {
    const { grad } = this.top();
    return this.k.read(grad.ptr, grad.n);
  }
  /** (T, B, width) the top layer's outputs */
  hiddenStates(): Float64Array {
    const { out } = this.top();
    return this.k.read(out.ptr, out.n);
  }

  /** (T) ‖∂L/∂h_t‖ over the batch of the top layer, for each t, read in place (no copy) */
  hiddenGradNorms(): Float64Array {
    const { grad, T } = this.top();
    return this.k.stepNorms ? this.k.stepNorms(grad.ptr, grad.n, T) : normsPerStep(this.k.view(grad.ptr, grad.n), T);
  }
  /** (T, B, D) ∂L/∂x_t from the last run, which must have asked for it */
  abstract inputGrads(): Float64Array;
  /** the state after the last step, for a stream's next chunk; undefined where not kept */
  abstract finalState(): RecurrentState | undefined;
}
