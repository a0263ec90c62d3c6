/**
 * The state Jacobian J_t = ∂s_t/∂s_{t−1} of one batch element, in closed form per cell, from the
 * values the forward pass cached. s = h for RNN and GRU, s = [h; c] for LSTM.
 *
 *   RNN   J = diag(φ'(a_t)) W_hh
 *   GRU   J = diag(z) + diag((h − n) ⊙ z(1−z)) W_hz
 *             + diag((1−z) ⊙ (1−n²)) [diag(r) W_hn + diag(hn ⊙ r(1−r)) W_hr]
 *   LSTM  ∂c'/∂h = diag(c ⊙ f(1−f)) W_hf + diag(g ⊙ i(1−i)) W_hi + diag(i ⊙ (1−g²)) W_hg
 *         ∂c'/∂c = diag(f)
 *         ∂h'/∂h = diag(tanh c' ⊙ o(1−o)) W_ho + diag(o ⊙ (1 − tanh² c')) ∂c'/∂h
 *         ∂h'/∂c = diag(o ⊙ (1 − tanh² c') ⊙ f)
 */
import type { StepCache } from '../cells';
import { denseKernels } from '../dense';
import type { CellKind, Nonlinearity } from '../model';

/** Size of the state s: H, or 2H for LSTM's [h; c]. */
export function stateSize(cell: CellKind, H: number): number {
  return cell === 'lstm' ? 2 * H : H;
}

/** Adds diag(d) · (rows g·H … g·H + H of W_hh) into out (n, n) at row offset r0 and column offset 0. */
function addScaledBlock(out: Float64Array, n: number, r0: number, d: Float64Array, W_hh: Float64Array, g: number, H: number): void {
  if (denseKernels().addScaledRows?.(out, r0 * n, n, W_hh, g * H * H, H, d, H, H, true)) return; // the same sums on wasm
  for (let i = 0; i < H; i++) {
    const s = d[i];
    if (s === 0) continue;
    const w = (g * H + i) * H;
    const o = (r0 + i) * n;
    for (let j = 0; j < H; j++) out[o + j] += s * W_hh[w + j];
  }
}

/**
 * @param W_hh (G·H, H) the layer's recurrent weights
 * @param cache the forward step at time t
 * @param b the batch element
 * @param out (n, n) a buffer to write J into (overwritten), or none for a new one
 * @returns (n, n) with n = stateSize(cell, H)
 */
export function stateJacobian(cell: CellKind, phi: Nonlinearity, W_hh: Float64Array, cache: StepCache, b: number, H: number, out?: Float64Array): Float64Array {
  const n = stateSize(cell, H);
  const J = out ? out.fill(0) : new Float64Array(n * n); // (n, n)
  const d = new Float64Array(H); // (H) the diagonal of one term
  if (cell === 'rnn') {
    for (let i = 0; i < H; i++) {
      const h = cache.h[b * H + i];
      d[i] = phi === 'tanh' ? 1 - h * h : phi === 'relu' ? (h > 0 ? 1 : 0) : 1;
    }
    addScaledBlock(J, n, 0, d, W_hh, 0, H);
    return J;
  }
  const G = cell === 'lstm' ? 4 * H : 3 * H;
  const gate = (g: number, i: number) => cache.gates[b * G + g * H + i];
  if (cell === 'gru') {
    const dn = new Float64Array(H); // (H) ∂h'/∂(n's pre-activation)
    for (let i = 0; i < H; i++) {
      const z = gate(1, i);
      const nv = gate(2, i);
      const hPrev = cache.h_prev[b * H + i];
      J[i * n + i] += z; // the direct path z ⊙ h
      dn[i] = (1 - z) * (1 - nv * nv);
      d[i] = (hPrev - nv) * z * (1 - z);
    }
    addScaledBlock(J, n, 0, d, W_hh, 1, H); // through z
    for (let i = 0; i < H; i++) d[i] = dn[i] * gate(0, i);
    addScaledBlock(J, n, 0, d, W_hh, 2, H); // through W_hn h, scaled by r
    for (let i = 0; i < H; i++) {
      const r = gate(0, i);
      d[i] = dn[i] * (cache.hn as Float64Array)[b * H + i] * r * (1 - r);
    }
    addScaledBlock(J, n, 0, d, W_hh, 0, H); // through r
    return J;
  }
  // LSTM: rows 0…H−1 are h', rows H…2H−1 are c'; columns 0…H−1 are h, H…2H−1 are c.
  const c = cache.c as Float64Array;
  const cPrev = cache.c_prev as Float64Array;
  const tanhC = new Float64Array(H); // (H)
  const dh_dc = new Float64Array(H); // (H) o ⊙ (1 − tanh² c')
  for (let i = 0; i < H; i++) {
    tanhC[i] = Math.tanh(c[b * H + i]);
    dh_dc[i] = gate(3, i) * (1 - tanhC[i] * tanhC[i]);
  }
  // ∂c'/∂h, built in rows H…2H−1.
  for (let i = 0; i < H; i++) d[i] = gate(2, i) * gate(0, i) * (1 - gate(0, i));
  addScaledBlock(J, n, H, d, W_hh, 0, H); // through i
  for (let i = 0; i < H; i++) d[i] = cPrev[b * H + i] * gate(1, i) * (1 - gate(1, i));
  addScaledBlock(J, n, H, d, W_hh, 1, H); // through f
  for (let i = 0; i < H; i++) d[i] = gate(0, i) * (1 - gate(2, i) * gate(2, i));
  addScaledBlock(J, n, H, d, W_hh, 2, H); // through g
  // ∂h'/∂h = diag(tanh c' ⊙ o(1−o)) W_ho + diag(dh_dc) ∂c'/∂h
  for (let i = 0; i < H; i++) d[i] = tanhC[i] * gate(3, i) * (1 - gate(3, i));
  addScaledBlock(J, n, 0, d, W_hh, 3, H);
  if (!denseKernels().addScaledRows?.(J, 0, n, J, H * n, n, dh_dc, H, H, false))
    for (let i = 0; i < H; i++) for (let j = 0; j < H; j++) J[i * n + j] += dh_dc[i] * J[(H + i) * n + j];
  // The c columns: ∂c'/∂c = diag(f), ∂h'/∂c = diag(dh_dc ⊙ f).
  for (let i = 0; i < H; i++) {
    const f = gate(1, i);
    J[(H + i) * n + H + i] = f;
    J[i * n + H + i] = dh_dc[i] * f;
  }
  return J;
}
