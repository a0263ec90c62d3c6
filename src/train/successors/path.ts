/**
 * The successor blocks (lru, mamba, rwkv, mingru, attention) on the one training path, step for
 * step as src/engine/successors/block.ts defines them, through the backend's kernels:
 *   v = in_proj(u), s = gate_proj(u)       two (T·B)-row products per block
 *   c = mixer(v)                           the backend's mixer kernel over the whole sequence
 *   o = c ⊙ silu(s)                        the gate kernel
 * then the readout and loss of every model; backward in reverse, ∂L/∂u = ∂L/∂v W_in + ∂L/∂s W_g.
 */
import type { Batch } from '../../engine/batch';
import type { RecurrentState, RunOptions } from '../../engine/bptt';
import { isRecurrentKind, isSuccessorKind, type SuccessorModel } from '../../engine/successors/spec';
import { readRows } from '../forward';
import { SLOT, type MixerKernels, type Region } from '../kernels';
import { PathBase, type AnyModel } from '../pathBase';
import { validateRun } from '../validate';
import { successorBatchLayout, successorModelLayout, type SuccessorBatchLayout, type SuccessorModelLayout } from './layout';

/** Why kernels that run a recurrence only as a loop refuse the parallel scan, in words. */
export function scanRefusal(kernels: string, cell: string): string {
  return `these ${kernels} kernels run ${cell}'s recurrence as a sequential loop, not as a parallel scan`;
}

export class SuccessorPath extends PathBase<SuccessorModelLayout, SuccessorBatchLayout> {
  private mixers(): MixerKernels {
    if (!this.k.mixers) throw new Error(`these ${this.k.precision} kernels have no successor mixers`);
    return this.k.mixers;
  }

  protected layoutOf(model: AnyModel): SuccessorModelLayout {
    if (!isSuccessorKind(model.spec.cell)) throw new Error(`the successor path does not train ${model.spec.cell}`);
    return successorModelLayout((model as SuccessorModel).spec, this.k.base);
  }

  /** in_projᵀ, gate_projᵀ and readoutᵀ from the weights (the mixers read their own tensors). */
  protected refreshTransposes(): void {
    const m = this.model();
    for (const s of m.blocks) {
      this.k.transpose(s.W_inT, m.H, s.W_in, m.H, s.D);
      this.k.transpose(s.W_gT, m.H, s.W_g, m.H, s.D);
    }
    this.k.transpose(m.W_outT, m.Y, m.W_out, m.Y, m.H);
  }

  run(batch: Batch, opts: RunOptions, inputGrads: boolean): void {
    const m = this.model();
    const k = this.k;
    const mixers = this.mixers();
    validateRun(m.spec, batch, opts);
    if (opts.initialState) throw new Error(`a carried state is not kept for ${m.spec.cell} yet: start every batch from zero`);
    const { B, T } = batch;
    if (!this.b || this.b.B !== B || this.b.T !== T) {
      const b = successorBatchLayout(m, mixers, B, T);
      k.reserve(b.end);
      this.b = b;
    }
    const b = this.b;
    const { spec, H, Y } = m;
    const TB = T * B;
    const truncation = isRecurrentKind(spec.cell) ? opts.truncation : null;
    const scan = isRecurrentKind(spec.cell) ? (opts.scan ?? 'loop') : 'loop'; // attention has no recurrence to scan
    if (scan === 'parallel' && !mixers.scanKinds?.includes(spec.cell)) throw new Error(scanRefusal(this.k.precision, spec.cell));
    k.write(b.x, batch.x);
    const r = (this.rows = readRows(opts.readout, B, T));

    // Forward, block by block.
    m.blocks.forEach((s, l) => {
      const u = l === 0 ? b.x : b.blocks[l - 1].o; // (T, B, D)
      const a = b.blocks[l];
      k.fillRows(a.v, TB, H, H, s.b_in, 0);
      k.gemmNN(TB, H, s.D, u, s.D, s.W_inT, H, a.v, H);
      k.fillRows(a.s, TB, H, H, s.b_g, 0);
      k.gemmNN(TB, H, s.D, u, s.D, s.W_gT, H, a.s, H);
      mixers.mixerForward(l, spec.cell, b.dims, truncation, s.mixer, a.v, a.c, a.work, scan);
      mixers.gateForward(TB * H, a.c, a.s, a.o);
    });
    const top = b.blocks[spec.numLayers - 1];
    const readIn = top.o + r.row * H; // (N, H)
    k.fillRows(b.outputs, r.N, Y, Y, m.b_out, 0);
    k.gemmNN(r.N, Y, H, readIn, H, m.W_outT, Y, b.outputs, Y);
    const mask = opts.readout === 'every_step' ? (batch.mask ?? null) : null;
    k.loss(opts.loss, b.outputs, r.N, Y, B, b.dL_dy, batch.target, mask, { target: b.target, mask: b.mask });

    // Backward: the readout, then every block from the top.
    k.zero(m.grads, m.P);
    k.gemmTN(Y, H, r.N, b.dL_dy, Y, readIn, H, m.gW_out, H);
    k.colSums(m.gb_out, b.dL_dy, r.N, Y, Y);
    k.zero(top.dO, TB * H);
    k.gemmNN(r.N, H, Y, b.dL_dy, Y, m.W_out, H, top.dO + r.row * H, H);
    this.withInputGrads = inputGrads;
    for (let l = spec.numLayers - 1; l >= 0; l--) {
      const s = m.blocks[l];
      const a = b.blocks[l];
      const u = l === 0 ? b.x : b.blocks[l - 1].o; // (T, B, D)
      mixers.gateBackward(TB * H, a.c, a.s, a.dO, b.dC, b.dS);
      mixers.mixerBackward(l, spec.cell, b.dims, truncation, s.mixer, s.mixerGrads, b.dC, b.dV, a.work, scan);
      k.gemmTN(H, s.D, TB, b.dV, H, u, s.D, s.gW_in, s.D);
      k.colSums(s.gb_in, b.dV, TB, H, H);
      k.gemmTN(H, s.D, TB, b.dS, H, u, s.D, s.gW_g, s.D);
      k.colSums(s.gb_g, b.dS, TB, H, H);
      const dU = l > 0 ? b.blocks[l - 1].dO : inputGrads ? b.dX : 0; // (T, B, D)
      if (dU) {
        k.zero(dU, TB * s.D);
        k.gemmNN(TB, s.D, H, b.dV, H, s.W_in, s.D, dU, s.D);
        k.gemmNN(TB, s.D, H, b.dS, H, s.W_g, s.D, dU, s.D);
      }
    }
    k.sumsq(m.grads, m.P, SLOT.sumsqBefore);
  }

  reads(grads: boolean, hidden = true): Region[] {
    const m = this.model();
    const b = this.batch();
    const top = this.top();
    const r: Region[] = [{ ptr: b.outputs, n: this.rows.N * m.Y }, top.grad];
    if (hidden) r.push(top.out);
    if (grads) r.push({ ptr: m.grads, n: m.P });
    if (this.withInputGrads) r.push({ ptr: b.dX, n: b.T * b.B * m.spec.inputSize });
    return r;
  }

  outputs(): Float64Array {
    return this.k.read(this.batch().outputs, this.rows.N * this.model().Y);
  }

  /** the top block's output o_t and ∂L/∂o_t (its output feeds only the readout), each (T, B, H) */
  protected top(): { out: Region; grad: Region; T: number } {
    const b = this.batch();
    const n = b.T * b.B * this.model().H;
    const block = b.blocks[this.model().spec.numLayers - 1];
    return { out: { ptr: block.o, n }, grad: { ptr: block.dO, n }, T: b.T };
  }

  inputGrads(): Float64Array {
    if (!this.withInputGrads) throw new Error('successor path: the last run did not compute ∂L/∂x');
    const b = this.batch();
    return this.k.read(b.dX, b.T * b.B * this.model().spec.inputSize);
  }

  /** Not kept yet: a stream of these kinds starts every chunk from zero (run() refuses a carried state). */
  finalState(): RecurrentState | undefined {
    return undefined;
  }
}
