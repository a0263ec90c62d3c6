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
