/**
 * BPTT of the one training path, for every backend. Per step the cell's backward and
 * ∂L/∂h_{t−1} = ∂L/∂a_t · W_hh; ∂L/∂a is kept for every step, so that ∂W_ih, ∂W_hh, the bias
 * gradients and ∂L/∂x (the layer below's output gradient) are each one product over all T·B rows
 * after the sweep. Truncation detaches in each direction's own processing order (isDetachedAt), a
 * learned h0/c0 collects what reaches the start state, a stateful initialState is a constant.
 */
import type { RunOptions } from '../engine/bptt';
import { timeOf } from '../engine/bptt';
import type { ReadRows } from './forward';
import { startsAtZero } from './forward';
import { ACTIVATION, type Kernels } from './kernels';
import { emptySweep, runSweep, sweepCellOf, SWEEP_PASS, type SweepJob } from './sweep';
import type { BatchLayout, ModelLayout } from './layout';

/** The readout's and every layer's gradients into m.grads (zeroed first), from b.dL_dy; with
 *  `inputGrads` also ∂L/∂x_t into b.dX (one more product, the size of the input projection). */
export function backwardPass(k: Kernels, m: ModelLayout, b: BatchLayout, opts: RunOptions, r: ReadRows, inputGrads: boolean): void {
  const { spec, G, H, Hd, Y } = m;
  const { B, T } = b;
  const GH = G * H;
  const TB = T * B;
  const N = r.N;
  const lstm = spec.cell === 'lstm';
  const gru = spec.cell === 'gru';
  const act = ACTIVATION[spec.nonlinearity];
  const zeroInit = startsAtZero(m, opts);
  const h0Grad = !opts.initialState && spec.initialState === 'learned';
  k.zero(m.grads, m.P);

  // Readout: ∂W_out, ∂b_out, and the direct ∂L/∂h of the top layer's output.
  const top = spec.numLayers - 1;
  const readIn = b.out[top] + r.row * Hd; // (N, H·dirs)
  k.gemmTN(Y, Hd, N, b.dL_dy, Y, readIn, Hd, m.gW_out, Hd);
  k.colSums(m.gb_out, b.dL_dy, N, Y, Y);
  /** the readout's ∂L/∂h into the top layer's dOut, for all rows at once (the sweep's threads do it for theirs) */
  const readoutGrads = (): void => {
    k.zero(b.dOut[top], TB * Hd);
    k.gemmNN(N, Hd, Y, b.dL_dy, Y, m.W_out, Hd, b.dOut[top] + r.row * Hd, Hd);
  };

  for (let l = top; l >= 0; l--) {
    const dIn = l > 0 ? b.dOut[l - 1] : inputGrads ? b.dX : 0; // (T, B, D_l): ∂L/∂ of this layer's input
    if (dIn) k.zero(dIn, TB * (l > 0 ? Hd : spec.inputSize));
    const out = b.out[l];
    const dOut = b.dOut[l];
    for (let dir = 0; dir < m.dirs; dir++) {
      const i = l * m.dirs + dir;
      const s = m.layers[i];
      const c = b.caches[i];
      const D = s.D;
      const input = l === 0 ? b.x : b.out[l - 1];
      const dgh = gru ? b.dgh : b.dA; // what W_hh and b_hh see
      // Per step the cell's backward and ∂L/∂h_{t−1} = ∂L/∂a_t · W_hh (./sweep.ts). A backend that
      // shares the sweep between threads also writes the readout's ∂L/∂h_t there (the top layer's
      // first direction, for both directions' columns), each thread for its own rows.
      const job: SweepJob = {
        ...emptySweep(),
        pass: SWEEP_PASS.backward, cell: sweepCellOf(spec.cell), G, act, B, H, T, dir, Hd, ldT: m.ldT,
        gates: c.gates, out, h_init: c.h_init, c_init: c.c_init, c: c.c, tc: c.tc, hn: c.hn,
        W_hh: s.W_hh, W_hh_p: s.W_hh_p, dOut, dnext: b.dnext, dcnext: b.dcnext, dA: b.dA, dgh: b.dgh,
        truncation: opts.truncation ?? 0, h0Grad: h0Grad ? 1 : 0,
        readout: l === top && dir === 0 ? 1 : 0, dL_dy: b.dL_dy, Y, W_out: m.W_out, readRow: r.row,
      };
      if (!k.splitSweep?.(job)) {
        if (job.readout) readoutGrads();
        runSweep(k, { ...job, readout: 0 }, 0, B);
      }
      // What reaches the start state trains the learned initial state, summed over the batch.
      if (h0Grad) {
        k.colSums(s.gh0, b.dnext, B, H, H);
        if (lstm) k.colSums(s.gc0, b.dcnext, B, H, H);
      }
      // Weight and bias gradients over all T·B rows at once.
      k.gemmTN(GH, D, TB, b.dA, GH, input, D, s.gW_ih, D);
      if (T > 1) {
        // ∂a_t pairs with h_{t−1} (forward) or h_{t+1} (reverse): the same rows shifted by one step.
        if (dir === 0) k.gemmTN(GH, H, (T - 1) * B, dgh + B * GH, GH, out + dir * H, Hd, s.gW_hh, H);
        else k.gemmTN(GH, H, (T - 1) * B, dgh, GH, out + B * Hd + dir * H, Hd, s.gW_hh, H);
      }
      if (!zeroInit) k.gemmTN(GH, H, B, dgh + timeOf(0, dir, T) * B * GH, GH, c.h_init, H, s.gW_hh, H);
      k.colSums(s.gb_ih, b.dA, TB, GH, GH);
      // RNN and LSTM: b_hh sits beside b_ih in a_t, so its gradient is the same sums: copied (one
      // row filled from gb_ih), without a second pass over the T·B rows
      if (gru) k.colSums(s.gb_hh, dgh, TB, GH, GH);
      else k.fillRows(s.gb_hh, 1, GH, GH, s.gb_ih, 0);
      if (dIn) k.gemmNN(TB, D, GH, b.dA, GH, s.W_ih, D, dIn, D);
    }
  }
}
