/**
 * Float64 products of a state Jacobian with a block of vectors, for the fast gradient-flow analysis:
 * src/engine/analysis/operators.ts's applyJ and applyJT written for WebAssembly. Each entry of the
 * result is summed in the same order as there (k ascending for applyJ, i ascending for applyJT),
 * so the results are bit-identical (test/analysis-wasm.test.ts); the speed comes from doing four
 * rows at once (four independent sums in flight, one load of Q for four rows) two columns at a
 * time (f64x2). `dense` < n is LSTM's J, whose columns dense … n−1 hold one entry per row (column
 * dense + i mod dense of row i).
 */

// @ts-ignore: decorator
@inline function at(p: usize, i: i32): f64 {
  return load<f64>(p + ((<usize>i) << 3));
}

/** The LSTM column's term of row i added to a finished dense sum z (columns j, j+1 of Z). */
// @ts-ignore: decorator
@inline function finishPair(A: usize, n: i32, dense: i32, i: i32, Q: usize, m: i32, Z: usize, j: i32, z: v128): void {
  const lstm = dense < n;
  const c = lstm ? dense + (i % dense) : 0;
  const ac = lstm ? at(A + ((<usize>(i * n)) << 3), c) : 0;
  const o = (<usize>j) << 3;
  v128.store(Z + ((<usize>(i * m)) << 3) + o, f64x2.add(z, f64x2.mul(f64x2.splat(ac), v128.load(Q + ((<usize>(c * m)) << 3) + o))));
}

/** Z (n, m) = A Q, A (n, n) and Q (n, m) row-major. */
export function apply_j(A: usize, n: i32, dense: i32, Q: usize, m: i32, Z: usize): void {
  const sq = (<usize>m) << 3; // bytes per row of Q
  const sa = (<usize>n) << 3; // bytes per row of A
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const r0 = A + ((<usize>(i * n)) << 3);
    for (let j = 0; j + 2 <= m; j += 2) {
      let z0 = f64x2.splat(0);
      let z1 = f64x2.splat(0);
      let z2 = f64x2.splat(0);
      let z3 = f64x2.splat(0);
      let q = Q + ((<usize>j) << 3);
      let a = r0;
      for (let k = 0; k < dense; k++) {
        const qk = v128.load(q);
        z0 = f64x2.add(z0, f64x2.mul(f64x2.splat(load<f64>(a)), qk));
        z1 = f64x2.add(z1, f64x2.mul(f64x2.splat(load<f64>(a + sa)), qk));
        z2 = f64x2.add(z2, f64x2.mul(f64x2.splat(load<f64>(a + 2 * sa)), qk));
        z3 = f64x2.add(z3, f64x2.mul(f64x2.splat(load<f64>(a + 3 * sa)), qk));
        q += sq;
        a += 8;
      }
      finishPair(A, n, dense, i, Q, m, Z, j, z0);
      finishPair(A, n, dense, i + 1, Q, m, Z, j, z1);
      finishPair(A, n, dense, i + 2, Q, m, Z, j, z2);
      finishPair(A, n, dense, i + 3, Q, m, Z, j, z3);
    }
    if (m & 1) for (let r = i; r < i + 4; r++) oddColumn(A, n, dense, r, Q, m, Z);
  }
  for (; i < n; i++) {
    const row = A + ((<usize>(i * n)) << 3);
    for (let j = 0; j + 2 <= m; j += 2) {
      let z = f64x2.splat(0);
      let q = Q + ((<usize>j) << 3);
      for (let k = 0; k < dense; k++) {
        z = f64x2.add(z, f64x2.mul(f64x2.splat(at(row, k)), v128.load(q)));
        q += sq;
      }
      finishPair(A, n, dense, i, Q, m, Z, j, z);
    }
    if (m & 1) oddColumn(A, n, dense, i, Q, m, Z);
  }
}

/** The last column of Z when m is odd, row i. */
function oddColumn(A: usize, n: i32, dense: i32, i: i32, Q: usize, m: i32, Z: usize): void {
  const sq = (<usize>m) << 3;
  const row = A + ((<usize>(i * n)) << 3);
  const j = m - 1;
  let z: f64 = 0;
  let q = Q + ((<usize>j) << 3);
  for (let k = 0; k < dense; k++) {
    z += at(row, k) * load<f64>(q);
    q += sq;
  }
  const lstm = dense < n;
  const c = lstm ? dense + (i % dense) : 0;
  const ac = lstm ? at(row, c) : 0;
  store<f64>(Z + ((<usize>(i * m + j)) << 3), z + ac * at(Q, c * m + j));
}

/** Z (n, m) = Aᵀ Y, A (n, n) and Y (n, m) row-major: rows of A scattered into the rows of Z, four at a time. */
export function apply_jt(A: usize, n: i32, dense: i32, Y: usize, m: i32, Z: usize): void {
  const sz = (<usize>m) << 3;
  const sa = (<usize>n) << 3;
  memory.fill(Z, 0, (<usize>(n * m)) << 3);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const r0 = A + ((<usize>(i * n)) << 3);
    let j = 0;
    for (; j + 2 <= m; j += 2) {
      const y0 = v128.load(Y + ((<usize>(i * m + j)) << 3));
      const y1 = v128.load(Y + ((<usize>((i + 1) * m + j)) << 3));
      const y2 = v128.load(Y + ((<usize>((i + 2) * m + j)) << 3));
      const y3 = v128.load(Y + ((<usize>((i + 3) * m + j)) << 3));
      let z = Z + ((<usize>j) << 3);
      let a = r0;
      for (let k = 0; k < dense; k++) {
        // Row i's term first, then i+1's …: each entry sums over i in ascending order, as operators.ts.
        let s = f64x2.add(v128.load(z), f64x2.mul(f64x2.splat(load<f64>(a)), y0));
        s = f64x2.add(s, f64x2.mul(f64x2.splat(load<f64>(a + sa)), y1));
        s = f64x2.add(s, f64x2.mul(f64x2.splat(load<f64>(a + 2 * sa)), y2));
        s = f64x2.add(s, f64x2.mul(f64x2.splat(load<f64>(a + 3 * sa)), y3));
        v128.store(z, s);
        z += sz;
        a += 8;
      }
    }
    for (; j < m; j++) for (let r = i; r < i + 4; r++) scatterColumn(A, n, dense, r, Y, m, Z, j);
    for (let r = i; r < i + 4; r++) lstmColumn(A, n, dense, r, Y, m, Z);
  }
  for (; i < n; i++) {
    for (let j = 0; j < m; j++) scatterColumn(A, n, dense, i, Y, m, Z, j);
    lstmColumn(A, n, dense, i, Y, m, Z);
  }
}

/** Z[·, j] += A[i, ·dense] · Y[i, j]. */
function scatterColumn(A: usize, n: i32, dense: i32, i: i32, Y: usize, m: i32, Z: usize, j: i32): void {
  const sz = (<usize>m) << 3;
  const row = A + ((<usize>(i * n)) << 3);
  const y = at(Y, i * m + j);
  let z = Z + ((<usize>j) << 3);
  for (let k = 0; k < dense; k++) {
    store<f64>(z, load<f64>(z) + at(row, k) * y);
    z += sz;
  }
}

/** LSTM's one entry of row i past the dense columns: Z[c, ·] += A[i, c] · Y[i, ·]. */
function lstmColumn(A: usize, n: i32, dense: i32, i: i32, Y: usize, m: i32, Z: usize): void {
  if (dense >= n) return;
  const c = dense + (i % dense);
  const a = at(A + ((<usize>(i * n)) << 3), c);
  const zc = Z + ((<usize>(c * m)) << 3);
  const yi = Y + ((<usize>(i * m)) << 3);
  for (let jj = 0; jj < m; jj++) {
    const o = (<usize>jj) << 3;
    store<f64>(zc + o, load<f64>(zc + o) + a * load<f64>(yi + o));
  }
}
