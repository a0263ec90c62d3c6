/**
 * The slow mode's words for the current step of the unrolled network (read out in an aria-live
 * region): on the way forward, the cell's own equations at that step (PyTorch's RNN, LSTM and GRU);
 * on the way back, which Jacobian product carries the loss to the state.
 */
import type { CellKind, Nonlinearity } from '../../../engine/model';
import { fmt } from '../../format';
import { chunkEnd } from './layout';
import type { SlowState } from './useSweep';

/** What the cell computes at step t, in PyTorch's notation (⊙: elementwise product). */
export function forwardEquations(cell: CellKind, nonlinearity: Nonlinearity, t: number): string {
  const x = `x_${t}`;
  const h = `h_${t - 1}`;
  const pre = `W_ih·${x} + W_hh·${h} + b`;
  switch (cell) {
    case 'rnn':
      return nonlinearity === 'linear' ? `h_${t} = ${pre}` : `h_${t} = ${nonlinearity === 'relu' ? 'ReLU' : 'tanh'}(${pre})`;
    case 'lstm':
      return `i, f, o = σ(${pre}), g = tanh(…); c_${t} = f⊙c_${t - 1} + i⊙g; h_${t} = o⊙tanh(c_${t})`;
    case 'gru':
      return `r, z = σ(${pre}), n = tanh(W_in·${x} + b_in + r⊙(W_hn·${h} + b_hn)); h_${t} = (1 − z)⊙n + z⊙${h}`;
  }
}

/** The state the gradient flows through: h_t, or (h_t, c_t) for an LSTM. */
const stateOf = (cell: CellKind, t: number) => (cell === 'lstm' ? `(h_${t}, c_${t})` : `h_${t}`);

export function slowCaption(slow: SlowState | null, T: number, truncation: number, norms: Float64Array | null, cell: CellKind, nonlinearity: Nonlinearity): string {
  if (!slow) return '';
  const { t, phase } = slow;
  if (phase === 'fwd') return `Forward, step ${t}: ${forwardEquations(cell, nonlinearity, t)}; the same weights at every step.`;
  const e = chunkEnd(t, T, truncation);
  const size = `‖∂L/∂h_${t}‖ = ${fmt(norms?.[t])}`;
  if (e === t) return `Backward, step ${t}: ${e < T - 1 ? 'a cut follows: ' : ''}only this step's loss reaches ${stateOf(cell, t)}; ${size}.`;
  const cut = e < T - 1 ? ` (cut after step ${e})` : '';
  const product = e === t + 1 ? `J_${e}, 1 factor` : `J_${e} ⋯ J_${t + 1}, ${e - t} factors`;
  return `Backward, step ${t}: the loss at step ${e}${cut} reaches ${stateOf(cell, t)} through ${product}; ${size}.`;
}
