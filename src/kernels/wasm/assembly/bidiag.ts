/**
 * Float64 Householder bidiagonalization for the analysis's singular values: src/engine/svd.ts's
 * bidiagonalize written for WebAssembly, the same operations in the same order (bit-identical
 * results, test/analysis-wasm.test.ts). The elementwise row updates run two doubles at a time
 * (f64x2); the sums stay scalar, in svd.ts's order.
 */
import { addScaled, dot4, subScaled } from './f64rows';

/** Four sums of dot4, in the module's static data (16-byte aligned). */
const sums = memory.data(32, 16);

// @ts-ignore: decorator
@inline function f64At(p: usize, i: i32): f64 {
  return load<f64>(p + ((<usize>i) << 3));
}
// @ts-ignore: decorator
@inline function f64Put(p: usize, i: i32, v: f64): void {
  store<f64>(p + ((<usize>i) << 3), v);
}

/**
 * A (rows, cols) row-major, rows ≥ cols = n, reduced in place; d, e (n) receive the bidiagonal
 * (e[n−1] = 0); w (n) and v (rows) are work.
 */
export function bidiagonalize(A: usize, rows: i32, cols: i32, d: usize, e: usize, w: usize, v: usize): void {
  const n = cols;
  for (let i = 0; i < n; i++) {
    f64Put(d, i, 0);
    f64Put(e, i, 0);
  }
  for (let k = 0; k < n; k++) {
    const alpha = f64At(A, k * cols + k);
    let below: f64 = 0;
    for (let i = k + 1; i < rows; i++) {
      const a = f64At(A, i * cols + k);
      below += a * a;
    }
    if (below == 0) f64Put(d, k, alpha);
    else {
      const beta = -(alpha < 0 ? -1.0 : 1.0) * Math.sqrt(alpha * alpha + below);
      const tau = (beta - alpha) / beta;
      const inv = 1 / (alpha - beta);
      f64Put(v, k, 1);
      for (let i = k + 1; i < rows; i++) f64Put(v, i, f64At(A, i * cols + k) * inv);
      f64Put(d, k, beta);
      memory.fill(w + ((<usize>(k + 1)) << 3), 0, (<usize>(n - k - 1)) << 3);
      for (let i = k; i < rows; i++) {
        addScaled(w, A + ((<usize>(i * cols)) << 3), f64At(v, i), k + 1, n);
      }
      for (let i = k; i < rows; i++) subScaled(A + ((<usize>(i * cols)) << 3), w, tau * f64At(v, i), k + 1, n);
    }
    if (k >= n - 1) continue;
    const rowK = A + ((<usize>(k * cols)) << 3);
    const a = f64At(rowK, k + 1);
    let rest: f64 = 0;
    for (let j = k + 2; j < n; j++) {
      const b = f64At(rowK, j);
      rest += b * b;
    }
    if (rest == 0) {
      f64Put(e, k, a);
      continue;
    }
    const beta = -(a < 0 ? -1.0 : 1.0) * Math.sqrt(a * a + rest);
    const tau = (beta - a) / beta;
    const inv = 1 / (a - beta);
    f64Put(rowK, k + 1, 1);
    for (let j = k + 2; j < n; j++) f64Put(rowK, j, f64At(rowK, j) * inv);
    f64Put(e, k, beta);
    // Each row's sum in svd.ts's order, four rows at a time.
    const sa = (<usize>cols) << 3;
    let i = k + 1;
    for (; i + 4 <= rows; i += 4) {
      const row = A + ((<usize>(i * cols)) << 3);
      dot4(row, sa, rowK, k + 1, n, false, sums);
      for (let r = 0; r < 4; r++) subScaled(row + r * sa, rowK, load<f64>(sums + ((<usize>r) << 3)) * tau, k + 1, n);
    }
    for (; i < rows; i++) {
      const row = A + ((<usize>(i * cols)) << 3);
      let s: f64 = 0;
      for (let j = k + 1; j < n; j++) s += f64At(row, j) * f64At(rowK, j);
      subScaled(row, rowK, s * tau, k + 1, n);
    }
  }
}
