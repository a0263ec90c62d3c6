/**
 * A layer and direction's recurrence, the part of BPTT that runs step by step: forward, per step
 * a_t += W_hh h_{t−1} and the cell's elementwise step; backward, per step the cell's backward and
 * ∂L/∂h_{t−1} = ∂L/∂a_t · W_hh. The one training path calls these for all B rows of the batch.
 *
 * Why rows: row b of h_t depends only on row b of h_{t−1} (and of ∂L/∂h_t only on row b of
 * ∂L/∂h_{t+1}), so a backend with a second thread can run the rows [0, m) on one thread and
 * [m, B) on the other for all T steps, with one hand-off per sweep instead of one per step, and
 * the elementwise steps run on both threads too. The products compute each row of C from its own
 * row of A with the same instructions whatever M is, and the elementwise steps go along H: the
 * halves are bit-identical to the whole.
 *
 * A sweep is described by a record of integers (SweepJob: sizes, float offsets into the arena,
 * flags), so that it crosses to another thread as a few words of shared memory.
 */
import { isDetachedAt, timeOf } from '../engine/bptt';
import type { Kernels, Ptr } from './kernels';

/** The fields of a sweep, in the order they are encoded. */
export const SWEEP_FIELDS = [
  'pass', // SWEEP_PASS
  'cell', // SWEEP_CELL
  'G', // gates per unit (the layout's G: 1, 4 or 3)
  'act', // the RNN's nonlinearity (ACTIVATION)
  'B', // rows of the whole batch (the strides of the (T, B, ·) buffers)
  'H',
  'T',
  'dir', // 0 forward in time, 1 reverse
  'Hd', // H · dirs: row stride of out and dOut
  'ldT', // row stride of W_hhᵀ
  'gates', // (T, B, G·H) pre-activations, then gate values
  'out', // (T, B, H·dirs) h_t; this direction's columns start at dir · H
  'h_init', // (B, H) the state before the first step
  'c_init', // (B, H) LSTM
  'c', // (T, B, H) LSTM c_t
  'tc', // (T, B, H) LSTM tanh(c_t)
  'hn', // (T, B, H) GRU W_hn h_{t−1} + b_hn
  'gh', // (B, 3H) GRU scratch: W_hh h_{t−1} + b_hh of the current step
  'b_hh', // (3H) GRU
  'W_hhT', // (H, G·H) row stride ldT: the forward's products
  'W_hh', // (G·H, H): the backward's products
  'W_hhT_p', // W_hhᵀ packed (Kernels.packed), or 0: the forward's products read W_hhT
  'W_hh_p', // W_hh packed, or 0
  'zeroStart', // 1: the state before the first step is zero (W_hh · 0 is skipped)
  'project', // 1: a_t ← b_ih (+ b_hh) + x_t W_ihᵀ here, step by step (else the path did it for all T·B rows)
  'affine', // 1: through Kernels.packed.affine, a_t whole (RNN, LSTM; needs project) or GRU's W_hh h_{t−1} + b_hh, each written once
  'x', // (T, B, D) the layer's input
  'D',
  'W_ihT', // (D, G·H) row stride ldT
  'W_ihT_p', // W_ihᵀ packed, or 0
  'b_ih', // (G·H)
  'b_hh_a', // (G·H) b_hh where a_t holds it (not GRU), or 0
  'dOut', // (T, B, H·dirs) direct ∂L/∂h_t, made total
  'dnext', // (B, H) ∂L/∂h arriving from the next step
  'dcnext', // (B, H) LSTM ∂L/∂c arriving from the next step
  'dA', // (T, B, G·H) ∂L/∂a
  'dgh', // (T, B, 3H) GRU ∂L/∂(W_hh h + b_hh)
  'truncation', // detach every k steps; 0: never
  'readout', // 1: dOut_t ← the readout's ∂L/∂h here, step by step (else the path did it for all rows)
  'dL_dy', // (N, Y) ∂L/∂ŷ of the readout's rows
  'Y',
  'W_out', // (Y, H·dirs)
  'readRow', // the first row the readout reads (0 every step, (T − 1)·B the final step)
  'h0Grad', // 1: ∂L/∂h_{−1} is wanted (a learned start state)
] as const;

export type SweepJob = Record<(typeof SWEEP_FIELDS)[number], number>;

/** Integers a job takes encoded. */
export const SWEEP_INTS = SWEEP_FIELDS.length;

export const SWEEP_PASS = { forward: 0, backward: 1 } as const;
export const SWEEP_CELL = { rnn: 0, lstm: 1, gru: 2 } as const;

export function sweepCellOf(cell: string): number {
  if (cell === 'rnn' || cell === 'lstm' || cell === 'gru') return SWEEP_CELL[cell];
  throw new Error(`no recurrence sweep for ${cell}`);
}

/** A job with every buffer absent (0) and every flag off: the path fills in what its cell uses. */
export function emptySweep(): SweepJob {
  return Object.fromEntries(SWEEP_FIELDS.map((f) => [f, 0])) as SweepJob;
}

/** job → ints[at, at + SWEEP_INTS) */
export function encodeSweep(job: SweepJob, ints: Int32Array, at: number): void {
  SWEEP_FIELDS.forEach((f, i) => (ints[at + i] = job[f]));
}

export function decodeSweep(ints: Int32Array, at: number): SweepJob {
  const job = emptySweep();
  SWEEP_FIELDS.forEach((f, i) => (job[f] = ints[at + i]));
  return job;
}

/**
 * From this many multiply-adds per step (B·G·H², at B = 32: LSTM from H = 64, RNN from H = 128)
 * an RNN's or LSTM's a_t goes through Kernels.packed.affine, step by step, on one thread as on two.
 * Below, one (T·B)-row input product for all steps costs less than T small ones: measured on one
 * thread, alternating, LSTM at H = 32 ran 1 % slower step by step; at H = 64 even, at H = 256 3 %
 * faster (2–7 % on two threads, which project step by step anyway). GRU's gh always goes through it
 * (nothing is moved out of the loop: the fill and the product become one pass).
 */
export const AFFINE_MIN_STEP_MACS = 1 << 18;

/** Whether this job's forward steps write their pre-activations through Kernels.packed.affine (the job's `affine`). */
export function usesAffine(k: Kernels, job: SweepJob): boolean {
  if (!k.packed?.affine || !job.W_ihT_p || !job.W_hhT_p) return false;
  return job.cell === SWEEP_CELL.gru || job.B * job.G * job.H * job.H >= AFFINE_MIN_STEP_MACS;
}

/** Multiply-adds of a sweep's products: what a backend weighs before sharing it. */
export function sweepMacs(job: SweepJob): number {
  return job.T * job.B * job.G * job.H * job.H;
}

/** C (M, N) += A (M, K) · B: from B packed at P where the kernels pack and the layout packed it, else from B (row stride ldb). */
function timesB(k: Kernels, M: number, N: number, K: number, A: Ptr, lda: number, P: Ptr, Bm: Ptr, ldb: number, C: Ptr, ldc: number): void {
  if (k.packed && P) k.packed.gemmNN(M, N, K, A, lda, P, C, ldc);
  else k.gemmNN(M, N, K, A, lda, Bm, ldb, C, ldc);
}

/** Runs the job on rows [r0, r1) of the batch. */
export function runSweep(k: Kernels, job: SweepJob, r0: number, r1: number): void {
  if (job.pass === SWEEP_PASS.forward) forwardSweep(k, job, r0, r1);
  else backwardSweep(k, job, r0, r1);
}

/** Every step of the forward recurrence on rows [r0, r1); a_t already holds W_ih x_t + b, unless the job projects. */
function forwardSweep(k: Kernels, j: SweepJob, r0: number, r1: number): void {
  const { B, H, T, dir, Hd } = j;
  const R = r1 - r0;
  const GH = j.G * H;
  /** C (R, G·H) += h (R, H) · W_hhᵀ */
  const timesW = (h: Ptr, ldh: number, C: Ptr): void => timesB(k, R, GH, H, h, ldh, j.W_hhT_p, j.W_hhT, j.ldT, C, GH);
  const affine = j.affine ? k.packed?.affine : undefined;
  const gru = j.cell === SWEEP_CELL.gru;
  for (let p = 0; p < T; p++) {
    const t = timeOf(p, dir, T);
    const tp = timeOf(p - 1, dir, T);
    const hprev = p === 0 ? j.h_init + r0 * H : j.out + (tp * B + r0) * Hd + dir * H; // (R, H), row stride ldp
    const ldp = p === 0 ? H : Hd;
    const skip = p === 0 && j.zeroStart === 1; // W_hh · 0
    const a_t = j.gates + (t * B + r0) * GH; // (R, G·H)
    const h_t = j.out + (t * B + r0) * Hd + dir * H; // (R, H), row stride H·dirs
    const x_t = j.x + (t * B + r0) * j.D; // (R, D)
    const Kh = skip ? 0 : H; // W_hh · 0 is skipped
    if (affine && !gru) {
      // a_t ← b_ih + b_hh + x_t W_ihᵀ + h_{t−1} W_hhᵀ, written once
      affine(R, GH, j.b_ih, j.b_hh_a, j.D, x_t, j.D, j.W_ihT_p, Kh, hprev, ldp, j.W_hhT_p, a_t, GH);
    } else if (j.project) {
      // a_t ← b_ih (+ b_hh) + x_t W_ihᵀ, as the path's (T·B)-row product would have, row by row
      k.fillRows(a_t, R, GH, GH, j.b_ih, j.b_hh_a);
      timesB(k, R, GH, j.D, x_t, j.D, j.W_ihT_p, j.W_ihT, j.ldT, a_t, GH);
    }
    if (gru) {
      const gh = j.gh + r0 * GH; // (R, 3H)
      if (affine) affine(R, GH, j.b_hh, 0, Kh, hprev, ldp, j.W_hhT_p, 0, 0, 0, 0, gh, GH); // b_hh + W_hh h_{t−1}, written once
      else {
        k.fillRows(gh, R, GH, GH, j.b_hh, 0);
        if (!skip) timesW(hprev, ldp, gh);
      }
      k.gruForward(R, H, a_t, gh, hprev, ldp, j.hn + (t * B + r0) * H, h_t, Hd);
    } else {
      if (!skip && !affine) timesW(hprev, ldp, a_t);
      if (j.cell === SWEEP_CELL.lstm) {
        const cprev = p === 0 ? j.c_init + r0 * H : j.c + (tp * B + r0) * H;
        k.lstmForward(R, H, a_t, cprev, j.c + (t * B + r0) * H, j.tc + (t * B + r0) * H, h_t, Hd);
      } else k.rnnForward(j.act as 0 | 1 | 2, R, H, a_t, h_t, Hd);
    }
  }
}

/** Every step of BPTT's recurrence on rows [r0, r1), from the last processing step to the first;
 *  leaves ∂L/∂a in dA (GRU: also dgh) and in dnext (dcnext) what reaches the start state. A job
 *  with `readout` (the top layer's first direction) first writes the readout's ∂L/∂h_t into dOut_t. */
function backwardSweep(k: Kernels, j: SweepJob, r0: number, r1: number): void {
  const { B, H, T, dir, Hd } = j;
  const R = r1 - r0;
  const GH = j.G * H;
  const lstm = j.cell === SWEEP_CELL.lstm;
  const gru = j.cell === SWEEP_CELL.gru;
  const dnext = j.dnext + r0 * H; // (R, H)
  const dcnext = j.dcnext + r0 * H; // (R, H) LSTM
  const dgh = gru ? j.dgh : j.dA; // what W_hh sees
  const truncation = j.truncation > 0 ? j.truncation : null;
  k.zero(dnext, R * H);
  if (lstm) k.zero(dcnext, R * H);
  for (let p = T - 1; p >= 0; p--) {
    const t = timeOf(p, dir, T);
    const tp = timeOf(p - 1, dir, T);
    const hprev = p === 0 ? j.h_init + r0 * H : j.out + (tp * B + r0) * Hd + dir * H;
    const ldp = p === 0 ? H : Hd;
    const a_t = j.gates + (t * B + r0) * GH;
    const dA_t = j.dA + (t * B + r0) * GH;
    if (j.readout) {
      // dOut_t (R, H·dirs, both directions' columns) ← ∂L/∂ŷ_t · W_out where the readout reads step
      // t, else 0: as the path's product over all rows would have, row by row
      const row = (t * B + r0) * Hd;
      k.zero(j.dOut + row, R * Hd);
      if (t * B >= j.readRow) k.gemmNN(R, Hd, j.Y, j.dL_dy + (t * B + r0 - j.readRow) * j.Y, j.Y, j.W_out, Hd, j.dOut + row, Hd);
    }
    const dOut_t = j.dOut + (t * B + r0) * Hd + dir * H;
    if (gru) k.gruBackward(R, H, a_t, j.hn + (t * B + r0) * H, hprev, ldp, dOut_t, Hd, dnext, dA_t, j.dgh + (t * B + r0) * GH);
    else if (lstm) {
      const cprev = p === 0 ? j.c_init + r0 * H : j.c + (tp * B + r0) * H;
      k.lstmBackward(R, H, a_t, cprev, j.tc + (t * B + r0) * H, dOut_t, Hd, dnext, dcnext, dA_t);
    } else k.rnnBackward(j.act as 0 | 1 | 2, R, H, a_t, dOut_t, Hd, dnext, dA_t);
    if (isDetachedAt(p, truncation)) {
      // The state entering this step was detached: no gradient crosses the chunk boundary.
      k.zero(dnext, R * H);
      if (lstm) k.zero(dcnext, R * H);
    } else if (p > 0 || j.h0Grad === 1) {
      // ∂L/∂h_{t−1} (R, H) += ∂L/∂a_t (R, G·H) · W_hh
      timesB(k, R, H, GH, dgh + (t * B + r0) * GH, GH, j.W_hh_p, j.W_hh, H, dnext, H);
    }
  }
}
