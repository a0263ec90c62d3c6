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

/** x_i ← (x_i · f1) · f2, as spectra.ts's normalizeInto rescales (two powers of two: exact where normal). */
export function scale_pow2(x: usize, len: i32, f1: f64, f2: f64): void {
  const a = f64x2.splat(f1);
  const b = f64x2.splat(f2);
  let i = 0;
  for (; i + 2 <= len; i += 2) {
    const o = (<usize>i) << 3;
    v128.store(x + o, f64x2.mul(f64x2.mul(v128.load(x + o), a), b));
  }
  for (; i < len; i++) {
    const o = (<usize>i) << 3;
    store<f64>(x + o, load<f64>(x + o) * f1 * f2);
  }
}
