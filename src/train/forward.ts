/**
 * The forward pass of the one training path, for every backend: src/engine/bptt.ts step for step,
 * on the backend's arena through its kernels. What differs from the engine is only where products
 * are batched: a_t = W_ih x_t + b for all T steps at once (one (T·B)-row product per layer and
 * direction), then the recurrence (./sweep.ts): per step a_t += W_hh h_{t−1} and the cell's
 * elementwise step. A backend that shares the recurrence between threads computes a_t inside it,
 * and so does one whose kernels write a step's a_t = b + x_t W_ihᵀ + h_{t−1} W_hhᵀ in one pass
 * (Kernels.packed.affine), on one thread as on two, where the step is large enough to gain.
 */
import type { RunOptions } from '../engine/bptt';
import { ACTIVATION, type Kernels, type Ptr } from './kernels';
import { emptySweep, runSweep, sweepCellOf, usesAffine, SWEEP_PASS, type SweepJob } from './sweep';
import type { BatchLayout, LayerDirCache, LayerDirSlots, ModelLayout } from './layout';

/** Which rows the readout reads: all T·B (every step) or the last B (final step). */
export interface ReadRows {
  /** rows read: T·B or B */
  N: number;
  /** the first row read */
  row: number;
}

export function readRows(readout: RunOptions['readout'], B: number, T: number): ReadRows {
  return readout === 'every_step' ? { N: T * B, row: 0 } : { N: B, row: (T - 1) * B };
}

/** Whether the state before the first step is zero (no carried state, no learned h0): W_hh · 0 is skipped. */
export function startsAtZero(m: ModelLayout, opts: RunOptions): boolean {
  return !opts.initialState && m.spec.initialState !== 'learned';
}

/** The state before the first step: the carried stream state, the learned h0/c0, or zeros. */
function initState(k: Kernels, m: ModelLayout, opts: RunOptions, i: number, s: LayerDirSlots, c: LayerDirCache, B: number): void {
  const { H, spec } = m;
  const lstm = spec.cell === 'lstm';
  const fill = (dst: Ptr, src: Ptr): void => {
    if (src) k.fillRows(dst, B, H, H, src, 0); // the learned start state, broadcast over the batch
    else k.zero(dst, B * H);
  };
  if (opts.initialState) {
    k.write(c.h_init, opts.initialState.h[i]);
    if (lstm) k.write(c.c_init, (opts.initialState.c as Float64Array[])[i]);
  } else {
    fill(c.h_init, s.h0);
    if (lstm) fill(c.c_init, s.c0);
  }
}

/** Every layer and direction over b.x, then ŷ = W_out h + b_out on the rows `r`. */
export function forwardPass(k: Kernels, m: ModelLayout, b: BatchLayout, opts: RunOptions, r: ReadRows): void {
  const { spec, G, H, Hd, Y, ldT } = m;
  const { B, T } = b;
  const GH = G * H;
  const TB = T * B;
  const gru = spec.cell === 'gru';
  const act = ACTIVATION[spec.nonlinearity];
  const zeroInit = startsAtZero(m, opts);
  m.layers.forEach((s, i) => {
    const c = b.caches[i];
    const { l, dir, D } = s;
    const input = l === 0 ? b.x : b.out[l - 1]; // (T, B, D)
    const out = b.out[l]; // (T, B, H·dirs)
    initState(k, m, opts, i, s, c, B);
    // The recurrence (./sweep.ts): per step a_t += W_hh h_{t−1} and the cell's step. A backend that
    // shares it between threads also computes a_t = W_ih x_t + b_ih (+ b_hh, except GRU, whose
    // b_hh sits inside r ⊙ (·)) there, each thread for its own rows just before using them; else
    // that is one (T·B)-row product for every step at once, first. Where the job is `affine`, the
    // whole a_t (RNN, LSTM) or GRU's W_hh h_{t−1} + b_hh is written in one pass at each step, on one
    // thread as on two: the same sums, so that two threads stay bit-identical to one.
    const job: SweepJob = {
      ...emptySweep(),
      pass: SWEEP_PASS.forward, cell: sweepCellOf(spec.cell), G, act, B, H, T, dir, Hd, ldT,
      gates: c.gates, out, h_init: c.h_init, c_init: c.c_init, c: c.c, tc: c.tc, hn: c.hn, gh: b.gh,
      b_hh: s.b_hh, W_hhT: s.W_hhT, W_hhT_p: s.W_hhT_p, zeroStart: zeroInit ? 1 : 0,
      project: 1, x: input, D, W_ihT: s.W_ihT, W_ihT_p: s.W_ihT_p, b_ih: s.b_ih, b_hh_a: gru ? 0 : s.b_hh,
    };
    job.affine = usesAffine(k, job) ? 1 : 0;
    if (k.splitSweep?.(job)) return;
    if (job.affine && !gru) runSweep(k, job, 0, B); // a_t step by step on one thread too, written once, as on two
    else {
      k.fillRows(c.gates, TB, GH, GH, s.b_ih, gru ? 0 : s.b_hh);
      k.gemmNN(TB, GH, D, input, D, s.W_ihT, ldT, c.gates, GH);
      runSweep(k, { ...job, project: 0 }, 0, B);
    }
  });
  // ŷ = W_out h + b_out, at every step or at the last one
  const readIn = b.out[spec.numLayers - 1] + r.row * Hd; // (N, H·dirs)
  k.fillRows(b.outputs, r.N, Y, Y, m.b_out, 0);
  k.gemmNN(r.N, Y, Hd, readIn, Hd, m.W_outT, Y, b.outputs, Y);
}
