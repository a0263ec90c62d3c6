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
 * s_r = Σ_j x[j] · row_r[j], j from hi − 1 down to lo (`down`) or lo up to hi − 1, for the four rows
 * at p, p + stride, …: four independent sums in flight, each in the scalar order the TypeScript
 * reference sums one row, so each is bit-identical to it. Written to out[0 … 3].
 */
export function dot4(p: usize, stride: usize, x: usize, lo: i32, hi: i32, down: bool, out: usize): void {
  let s0: f64 = 0;
  let s1: f64 = 0;
  let s2: f64 = 0;
  let s3: f64 = 0;
  if (down) {
    for (let j = hi - 1; j >= lo; j--) {
      const o = (<usize>j) << 3;
      const xj = load<f64>(x + o);
      s0 += xj * load<f64>(p + o);
      s1 += xj * load<f64>(p + stride + o);
      s2 += xj * load<f64>(p + 2 * stride + o);
      s3 += xj * load<f64>(p + 3 * stride + o);
    }
  } else {
    for (let j = lo; j < hi; j++) {
      const o = (<usize>j) << 3;
      const xj = load<f64>(x + o);
      s0 += load<f64>(p + o) * xj;
      s1 += load<f64>(p + stride + o) * xj;
      s2 += load<f64>(p + 2 * stride + o) * xj;
      s3 += load<f64>(p + 3 * stride + o) * xj;
    }
  }
  store<f64>(out, s0);
  store<f64>(out, s1, 8);
  store<f64>(out, s2, 16);
  store<f64>(out, s3, 24);
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
