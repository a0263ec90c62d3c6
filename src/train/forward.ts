/**
 * The forward pass of the one training path, for every backend: src/engine/bptt.ts step for step,
 * on the backend's arena through its kernels. What differs from the engine is only where products
 * are batched: a_t = W_ih x_t + b for all T steps at once (one (T·B)-row product per layer and
 * direction), then per step a_t += W_hh h_{t−1} and the cell's elementwise step.
 */
import type { RunOptions } from '../engine/bptt';
import { timeOf } from '../engine/bptt';
import { ACTIVATION, type Kernels, type Ptr } from './kernels';
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
  const lstm = spec.cell === 'lstm';
  const gru = spec.cell === 'gru';
  const act = ACTIVATION[spec.nonlinearity];
  const zeroInit = startsAtZero(m, opts);
  m.layers.forEach((s, i) => {
    const c = b.caches[i];
    const { l, dir, D } = s;
    const input = l === 0 ? b.x : b.out[l - 1]; // (T, B, D)
    const out = b.out[l]; // (T, B, H·dirs)
    // a = W_ih x + b_ih (+ b_hh, except GRU, whose b_hh sits inside r ⊙ (·)) for every step at once
    k.fillRows(c.gates, TB, GH, GH, s.b_ih, gru ? 0 : s.b_hh);
    k.gemmNN(TB, GH, D, input, D, s.W_ihT, ldT, c.gates, GH);
    initState(k, m, opts, i, s, c, B);
    for (let p = 0; p < T; p++) {
      const t = timeOf(p, dir, T);
      const tp = timeOf(p - 1, dir, T);
      const hprev = p === 0 ? c.h_init : out + tp * B * Hd + dir * H; // (B, H), row stride ldp
      const ldp = p === 0 ? H : Hd;
      const skip = p === 0 && zeroInit; // W_hh · 0
      const a_t = c.gates + t * B * GH; // (B, G·H)
      const h_t = out + t * B * Hd + dir * H; // (B, H), row stride H·dirs
      if (gru) {
        k.fillRows(b.gh, B, GH, GH, s.b_hh, 0);
        if (!skip) k.gemmNN(B, GH, H, hprev, ldp, s.W_hhT, ldT, b.gh, GH);
        k.gruForward(B, H, a_t, b.gh, hprev, ldp, c.hn + t * B * H, h_t, Hd);
      } else {
        if (!skip) k.gemmNN(B, GH, H, hprev, ldp, s.W_hhT, ldT, a_t, GH);
        if (lstm) {
          const cprev = p === 0 ? c.c_init : c.c + tp * B * H;
          k.lstmForward(B, H, a_t, cprev, c.c + t * B * H, c.tc + t * B * H, h_t, Hd);
        } else k.rnnForward(act, B, H, a_t, h_t, Hd);
      }
    }
  });
  // ŷ = W_out h + b_out, at every step or at the last one
  const readIn = b.out[spec.numLayers - 1] + r.row * Hd; // (N, H·dirs)
  k.fillRows(b.outputs, r.N, Y, Y, m.b_out, 0);
  k.gemmNN(r.N, Y, Hd, readIn, Hd, m.W_outT, Y, b.outputs, Y);
}
