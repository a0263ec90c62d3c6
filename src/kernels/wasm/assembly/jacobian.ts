/**
 * Products of a state Jacobian with a block of vectors for the fast gradient-flow analysis
 * (src/engine/analysis/operators.ts's applyJ and applyJT), in float32: the norms it estimates need
 * 6 % (fast.ts), float32's 1e-7 is far below that, and four lanes do twice the work of f64x2 on
 * half the memory. J_t is copied once into a compact float32 form: per row its `dense` leading
 * entries, and for LSTM (dense = n/2, whose columns past them hold one entry per row: column
 * dense + i mod dense of row i) that one entry (row stride S = dense + 1). The blocks stay float64
 * outside the products.
 */

/** dst: J (n, n) float64 → compact float32 rows of stride S (see above). */
export function compact_f32(src: usize, n: i32, dense: i32, dst: usize): void {
  const lstm = dense < n;
  const S = lstm ? dense + 1 : dense;
  for (let i = 0; i < n; i++) {
    const row = src + ((<usize>(i * n)) << 3);
    const out = dst + ((<usize>(i * S)) << 2);
    let k = 0;
    for (; k + 4 <= dense; k += 4) {
      const lo = f32x4.demote_f64x2_zero(v128.load(row + ((<usize>k) << 3)));
      const hi = f32x4.demote_f64x2_zero(v128.load(row + ((<usize>(k + 2)) << 3)));
      v128.store(out + ((<usize>k) << 2), i8x16.shuffle(lo, hi, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23));
    }
    for (; k < dense; k++) store<f32>(out + ((<usize>k) << 2), <f32>load<f64>(row + ((<usize>k) << 3)));
    if (lstm) store<f32>(out + ((<usize>dense) << 2), <f32>load<f64>(row + ((<usize>(dense + (i % dense))) << 3)));
  }
}

/** Σ of the four lanes of a f32x4, as float64. */
// @ts-ignore: decorator
@inline function lanes(v: v128): f64 {
  return <f64>(f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + <f64>(f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

/**
 * Z (n, m) float64 = J Q, J in compact float32 (stride S), Q (n, m) float64; work: (m, n) float32
 * for Qᵀ. Each entry is a float32 dot product over the dense columns, four rows at a time, plus
 * LSTM's one entry past them.
 */
export function apply_j32(A: usize, n: i32, dense: i32, Q: usize, m: i32, Z: usize, work: usize): void {
  const lstm = dense < n;
  const S = lstm ? dense + 1 : dense;
  for (let k = 0; k < n; k++) for (let c = 0; c < m; c++) store<f32>(work + ((<usize>(c * n + k)) << 2), <f32>load<f64>(Q + ((<usize>(k * m + c)) << 3)));
  const sa = (<usize>S) << 2;
  const d4 = dense & ~3;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const r0 = A + ((<usize>(i * S)) << 2);
    for (let c = 0; c < m; c++) {
      const q = work + ((<usize>(c * n)) << 2);
      let z0 = f32x4.splat(0);
      let z1 = f32x4.splat(0);
      let z2 = f32x4.splat(0);
      let z3 = f32x4.splat(0);
      for (let k = 0; k < d4; k += 4) {
        const o = (<usize>k) << 2;
        const qk = v128.load(q + o);
        z0 = f32x4.add(z0, f32x4.mul(v128.load(r0 + o), qk));
        z1 = f32x4.add(z1, f32x4.mul(v128.load(r0 + sa + o), qk));
        z2 = f32x4.add(z2, f32x4.mul(v128.load(r0 + 2 * sa + o), qk));
        z3 = f32x4.add(z3, f32x4.mul(v128.load(r0 + 3 * sa + o), qk));
      }
      finish32(A, S, dense, lstm, i, c, q, Q, m, Z, lanes(z0), d4, n);
      finish32(A, S, dense, lstm, i + 1, c, q, Q, m, Z, lanes(z1), d4, n);
      finish32(A, S, dense, lstm, i + 2, c, q, Q, m, Z, lanes(z2), d4, n);
      finish32(A, S, dense, lstm, i + 3, c, q, Q, m, Z, lanes(z3), d4, n);
    }
  }
  for (; i < n; i++) for (let c = 0; c < m; c++) finish32(A, S, dense, lstm, i, c, work + ((<usize>(c * n)) << 2), Q, m, Z, 0, 0, n);
}

/** Z[i, c] = z (the sum over columns below d4) + the rest of row i's dense columns + LSTM's entry. */
function finish32(A: usize, S: i32, dense: i32, lstm: bool, i: i32, c: i32, q: usize, Q: usize, m: i32, Z: usize, z: f64, d4: i32, n: i32): void {
  const row = A + ((<usize>(i * S)) << 2);
  let s = z;
  for (let k = d4; k < dense; k++) s += <f64>load<f32>(row + ((<usize>k) << 2)) * <f64>load<f32>(q + ((<usize>k) << 2));
  if (lstm) s += <f64>load<f32>(row + ((<usize>dense) << 2)) * load<f64>(Q + ((<usize>((dense + (i % dense)) * m + c)) << 3));
  store<f64>(Z + ((<usize>(i * m + c)) << 3), s);
}

/**
 * Z (n, m) float64 = Jᵀ Y, J in compact float32, Y (n, m) float64; work: (m, n) float32 for the
 * accumulators Zᵀ. Rows of J are scattered into Zᵀ four at a time (one load and store of Zᵀ per
 * four rows), four columns a lane-step.
 */
export function apply_jt32(A: usize, n: i32, dense: i32, Y: usize, m: i32, Z: usize, work: usize): void {
  const lstm = dense < n;
  const S = lstm ? dense + 1 : dense;
  memory.fill(work, 0, (<usize>(m * n)) << 2);
  const sa = (<usize>S) << 2;
  const d4 = dense & ~3;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const r0 = A + ((<usize>(i * S)) << 2);
    for (let c = 0; c < m; c++) {
      const zt = work + ((<usize>(c * n)) << 2);
      const y0 = f32x4.splat(<f32>load<f64>(Y + ((<usize>(i * m + c)) << 3)));
      const y1 = f32x4.splat(<f32>load<f64>(Y + ((<usize>((i + 1) * m + c)) << 3)));
      const y2 = f32x4.splat(<f32>load<f64>(Y + ((<usize>((i + 2) * m + c)) << 3)));
      const y3 = f32x4.splat(<f32>load<f64>(Y + ((<usize>((i + 3) * m + c)) << 3)));
      for (let k = 0; k < d4; k += 4) {
        const o = (<usize>k) << 2;
        let s = f32x4.add(v128.load(zt + o), f32x4.mul(v128.load(r0 + o), y0));
        s = f32x4.add(s, f32x4.mul(v128.load(r0 + sa + o), y1));
        s = f32x4.add(s, f32x4.mul(v128.load(r0 + 2 * sa + o), y2));
        s = f32x4.add(s, f32x4.mul(v128.load(r0 + 3 * sa + o), y3));
        v128.store(zt + o, s);
      }
    }
    for (let r = i; r < i + 4; r++) scatterTail32(A, S, dense, lstm, r, Y, m, work, d4, n);
  }
  for (; i < n; i++) scatterTail32(A, S, dense, lstm, i, Y, m, work, 0, n);
  for (let k = 0; k < n; k++) for (let c = 0; c < m; c++) store<f64>(Z + ((<usize>(k * m + c)) << 3), <f64>load<f32>(work + ((<usize>(c * n + k)) << 2)));
}

/** Row i's dense columns from `from` on, and LSTM's entry, into Zᵀ. */
function scatterTail32(A: usize, S: i32, dense: i32, lstm: bool, i: i32, Y: usize, m: i32, work: usize, from: i32, n: i32): void {
  const row = A + ((<usize>(i * S)) << 2);
  for (let c = 0; c < m; c++) {
    const y = <f32>load<f64>(Y + ((<usize>(i * m + c)) << 3));
    const zt = work + ((<usize>(c * n)) << 2);
    for (let k = from; k < dense; k++) {
      const o = (<usize>k) << 2;
      store<f32>(zt + o, load<f32>(zt + o) + load<f32>(row + o) * y);
    }
    if (lstm) {
      const o = (<usize>(dense + (i % dense))) << 2;
      store<f32>(zt + o, load<f32>(zt + o) + load<f32>(row + ((<usize>dense) << 2)) * y);
    }
  }
}
