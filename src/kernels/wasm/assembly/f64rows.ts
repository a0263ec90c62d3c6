/**
 * Float64 row updates shared by the analysis's kernels (./eigen.ts, ./bidiag.ts), two doubles at a
 * time (f64x2). Elementwise: each entry gets the one operation the TypeScript reference gives it,
 * so the results stay bit-identical to it.
 */

/** p[j] += f · q[j] for j from lo to hi − 1 (byte offsets p, q of element 0). */
// @ts-ignore: decorator
@inline export function addScaled(p: usize, q: usize, f: f64, lo: i32, hi: i32): void {
  const ff = f64x2.splat(f);
  let j = lo;
  for (; j + 2 <= hi; j += 2) {
    const o = (<usize>j) << 3;
    v128.store(p + o, f64x2.add(v128.load(p + o), f64x2.mul(ff, v128.load(q + o))));
  }
  for (; j < hi; j++) {
    const o = (<usize>j) << 3;
    store<f64>(p + o, load<f64>(p + o) + f * load<f64>(q + o));
  }
}

/** p[j] −= f · q[j] for j from lo to hi − 1. */
// @ts-ignore: decorator
@inline export function subScaled(p: usize, q: usize, f: f64, lo: i32, hi: i32): void {
  const ff = f64x2.splat(f);
  let j = lo;
  for (; j + 2 <= hi; j += 2) {
    const o = (<usize>j) << 3;
    v128.store(p + o, f64x2.sub(v128.load(p + o), f64x2.mul(ff, v128.load(q + o))));
  }
  for (; j < hi; j++) {
    const o = (<usize>j) << 3;
    store<f64>(p + o, load<f64>(p + o) - f * load<f64>(q + o));
  }
}

/** max |x_i| over x (len): NaN if any entry is NaN (f64x2.max and f64.max propagate it), else Infinity if any is infinite. */
export function max_abs(x: usize, len: i32): f64 {
  let m = f64x2.splat(0);
  let i = 0;
  for (; i + 2 <= len; i += 2) m = f64x2.max(m, f64x2.abs(v128.load(x + ((<usize>i) << 3))));
  let r = max(f64x2.extract_lane(m, 0), f64x2.extract_lane(m, 1));
  for (; i < len; i++) r = max(r, Math.abs(load<f64>(x + ((<usize>i) << 3))));
  return r;
}

/**
 * dst row i += d[i] · src row i (len entries; strides in floats) for i < rows, skipping the rows
 * whose d[i] is 0 when skipZero: the state Jacobians' diag(d)·W blocks (analysis/stateJacobian.ts).
 */
export function add_scaled_rows(dst: usize, dstStride: i32, src: usize, srcStride: i32, d: usize, rows: i32, len: i32, skipZero: bool): void {
  for (let i = 0; i < rows; i++) {
    const s = load<f64>(d + ((<usize>i) << 3));
    if (skipZero && s == 0) continue;
    addScaled(dst + ((<usize>(i * dstStride)) << 3), src + ((<usize>(i * srcStride)) << 3), s, 0, len);
  }
}
