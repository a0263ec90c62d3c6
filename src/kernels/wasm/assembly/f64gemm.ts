/**
 * The float64 engine's three matrix products (src/engine/linalg.ts) for WebAssembly, each entry
 * summed in the same order as there, so the results are bit-identical (test/analysis-wasm.test.ts):
 *   mm_bt   out (M, N) += X (M, K) · Wᵀ, W (N, K)   each out[m, n] a dot product over k ascending,
 *                                                     four of them in flight (rows m, m+1 × n, n+1)
 *   mm_acc  dX (M, K) += dA (M, N) · W (N, K)      row m += dA[m, n] · row n of W, n ascending,
 *                                                     rows with dA[m, n] = 0 skipped as there
 *   mm_at   dW (N, K) += dAᵀ (M, N) · X (M, K)     row n += dA[m, n] · row m of X, m ascending, zeros skipped
 * The forward pass and the final-step gradients of the analysis, and the float64 engine's own
 * training (sequence to sequence), run on them in the worker.
 */
import { addScaled } from './f64rows';

// @ts-ignore: decorator
@inline function at(p: usize, i: i32): f64 {
  return load<f64>(p + ((<usize>i) << 3));
}

export function mm_bt(out: usize, X: usize, W: usize, M: i32, N: i32, K: i32): void {
  let m = 0;
  for (; m + 2 <= M; m += 2) {
    const x0 = X + ((<usize>(m * K)) << 3);
    const x1 = x0 + ((<usize>K) << 3);
    let n = 0;
    for (; n + 2 <= N; n += 2) {
      const w0 = W + ((<usize>(n * K)) << 3);
      const w1 = w0 + ((<usize>K) << 3);
      let s00: f64 = 0;
      let s01: f64 = 0;
      let s10: f64 = 0;
      let s11: f64 = 0;
      for (let k = 0; k < K; k++) {
        const o = (<usize>k) << 3;
        const a0 = load<f64>(x0 + o);
        const a1 = load<f64>(x1 + o);
        const b0 = load<f64>(w0 + o);
        const b1 = load<f64>(w1 + o);
        s00 += a0 * b0;
        s01 += a0 * b1;
        s10 += a1 * b0;
        s11 += a1 * b1;
      }
      const o0 = out + ((<usize>(m * N + n)) << 3);
      const o1 = o0 + ((<usize>N) << 3);
      store<f64>(o0, load<f64>(o0) + s00);
      store<f64>(o0, load<f64>(o0, 8) + s01, 8);
      store<f64>(o1, load<f64>(o1) + s10);
      store<f64>(o1, load<f64>(o1, 8) + s11, 8);
    }
    for (; n < N; n++) {
      dotInto(out, m, n, N, x0, W, K);
      dotInto(out, m + 1, n, N, x1, W, K);
    }
  }
  for (; m < M; m++) {
    const x0 = X + ((<usize>(m * K)) << 3);
    for (let n = 0; n < N; n++) dotInto(out, m, n, N, x0, W, K);
  }
}

/** out[m, n] += Σ_k x[k] · W[n, k], k ascending. */
function dotInto(out: usize, m: i32, n: i32, N: i32, x: usize, W: usize, K: i32): void {
  const w = W + ((<usize>(n * K)) << 3);
  let s: f64 = 0;
  for (let k = 0; k < K; k++) s += at(x, k) * at(w, k);
  const o = out + ((<usize>(m * N + n)) << 3);
  store<f64>(o, load<f64>(o) + s);
}

export function mm_acc(dX: usize, dA: usize, W: usize, M: i32, N: i32, K: i32): void {
  for (let m = 0; m < M; m++) {
    const row = dX + ((<usize>(m * K)) << 3);
    for (let n = 0; n < N; n++) {
      const g = at(dA, m * N + n);
      if (g == 0) continue;
      addScaled(row, W + ((<usize>(n * K)) << 3), g, 0, K);
    }
  }
}

export function mm_at(dW: usize, dA: usize, X: usize, M: i32, N: i32, K: i32): void {
  for (let m = 0; m < M; m++) {
    const x = X + ((<usize>(m * K)) << 3);
    for (let n = 0; n < N; n++) {
      const g = at(dA, m * N + n);
      if (g == 0) continue;
      addScaled(dW + ((<usize>(n * K)) << 3), x, g, 0, K);
    }
  }
}
