/**
 * Float64 products of a state Jacobian with a block of vectors, for the fast gradient-flow analysis:
 * src/engine/analysis/operators.ts's applyJ and applyJT written for WebAssembly. Each entry of the
 * result is summed in the same order as there (k ascending), two columns at a time (f64x2), so the
 * results are bit-identical (test/analysis-wasm.test.ts). `dense` < n is LSTM's J, whose columns
 * dense … n−1 hold one entry per row (column dense + i mod dense of row i).
 */

/** Z (n, m) = A Q, A (n, n) and Q (n, m) row-major. */
export function apply_j(A: usize, n: i32, dense: i32, Q: usize, m: i32, Z: usize): void {
  const lstm = dense < n;
  const sq = (<usize>m) << 3; // bytes per row of Q
  for (let i = 0; i < n; i++) {
    const row = A + ((<usize>(i * n)) << 3);
    const c = lstm ? dense + (i % dense) : 0;
    const ac = lstm ? load<f64>(row + ((<usize>c) << 3)) : 0;
    const zi = Z + ((<usize>(i * m)) << 3);
    const qc = Q + ((<usize>(c * m)) << 3);
    let j = 0;
    for (; j + 2 <= m; j += 2) {
      let z = f64x2.splat(0);
      let q = Q + ((<usize>j) << 3);
      for (let k = 0; k < dense; k++) {
        z = f64x2.add(z, f64x2.mul(f64x2.splat(load<f64>(row + ((<usize>k) << 3))), v128.load(q)));
        q += sq;
      }
      const o = (<usize>j) << 3;
      v128.store(zi + o, f64x2.add(z, f64x2.mul(f64x2.splat(ac), v128.load(qc + o))));
    }
    for (; j < m; j++) {
      let z: f64 = 0;
      let q = Q + ((<usize>j) << 3);
      for (let k = 0; k < dense; k++) {
        z += load<f64>(row + ((<usize>k) << 3)) * load<f64>(q);
        q += sq;
      }
      const o = (<usize>j) << 3;
      store<f64>(zi + o, z + ac * load<f64>(qc + o));
    }
  }
}

/** Z (n, m) = Aᵀ Y, A (n, n) and Y (n, m) row-major: row i of A scattered into the rows of Z. */
export function apply_jt(A: usize, n: i32, dense: i32, Y: usize, m: i32, Z: usize): void {
  const sz = (<usize>m) << 3;
  memory.fill(Z, 0, (<usize>(n * m)) << 3);
  for (let i = 0; i < n; i++) {
    const row = A + ((<usize>(i * n)) << 3);
    const yi = Y + ((<usize>(i * m)) << 3);
    let j = 0;
    for (; j + 2 <= m; j += 2) {
      const y = v128.load(yi + ((<usize>j) << 3));
      let z = Z + ((<usize>j) << 3);
      for (let k = 0; k < dense; k++) {
        v128.store(z, f64x2.add(v128.load(z), f64x2.mul(f64x2.splat(load<f64>(row + ((<usize>k) << 3))), y)));
        z += sz;
      }
    }
    for (; j < m; j++) {
      const y = load<f64>(yi + ((<usize>j) << 3));
      let z = Z + ((<usize>j) << 3);
      for (let k = 0; k < dense; k++) {
        store<f64>(z, load<f64>(z) + load<f64>(row + ((<usize>k) << 3)) * y);
        z += sz;
      }
    }
    if (dense < n) {
      const c = dense + (i % dense);
      const a = load<f64>(row + ((<usize>c) << 3));
      const zc = Z + ((<usize>(c * m)) << 3);
      for (let jj = 0; jj < m; jj++) {
        const o = (<usize>jj) << 3;
        store<f64>(zc + o, load<f64>(zc + o) + a * load<f64>(yi + o));
      }
    }
  }
}
