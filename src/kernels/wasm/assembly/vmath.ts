/**
 * exp, σ and tanh on f32x4, accurate to a few float32 ulps over the whole line and never NaN for a
 * finite input (a NaN input stays NaN, so a diverged run is still seen).
 *
 *   exp(x)  Cephes expf: x = n ln2 + r, |r| ≤ ln2/2, a degree-6 polynomial for e^r, 2ⁿ by bits;
 *           the input is clamped to [−87.3, 87] so that 2ⁿ, and σ at the far left, stay normal floats
 *           (denormals would slow every later product).
 *   σ(x)    1 / (1 + e^(−x)): 1 at the right end, about 1.6e−38 at the far left, never NaN.
 *   tanh(x) Cephes tanhf: x + x³ Q(x²) for |x| < 0.625 (no cancellation near 0), else
 *           sign(x) (1 − 2 / (e^(2|x|) + 1)).
 *
 * The constants come from a table in memory (`v128.load32_splat`, one broadcast load each): as
 * `v128.const` V8 rebuilds each one inside the loop from 64-bit immediates, which made these
 * functions a fifth slower.
 */

const TABLE = memory.data<f32>([
  -87.3, 87.0, 1.44269504088896341, 0.693359375, -2.12194440e-4, 12582912.0, // exp: range, log2 e, ln 2 (hi, lo), 1.5·2²³
  1.9875691500e-4, 1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1, // exp: P0 … P5
  -5.70498872745e-3, 2.06390887954e-2, -5.37397155531e-2, 1.33314422036e-1, -3.33332819422e-1, // tanh: Q0 … Q4
  0.625, 1.0, 2.0, 0.0,
]);
const EXP_MIN = 0;
const EXP_MAX = 1;
const LOG2E = 2;
const LN2_HI = 3;
const LN2_LO = 4;
const ROUNDER = 5;
const EXP_P = 6;
const TANH_Q = 12;
const TANH_SMALL = 17;
const ONE = 18;
const TWO = 19;
const ZERO = 20;

// @ts-ignore: decorator
@inline function splatOf(i: i32): v128 {
  return v128.load32_splat(TABLE + ((<usize>i) << 2));
}

// @ts-ignore: decorator
@inline export function vone(): v128 {
  return splatOf(ONE);
}

// @ts-ignore: decorator
@inline export function vzero(): v128 {
  return splatOf(ZERO);
}

// @ts-ignore: decorator
@inline function madd(a: v128, b: v128, c: v128): v128 {
  return f32x4.add(f32x4.mul(a, b), c);
}

// @ts-ignore: decorator
@inline export function vexp(x: v128): v128 {
  // pmax/pmin with x first keep a NaN lane NaN.
  x = f32x4.pmin(f32x4.pmax(x, splatOf(EXP_MIN)), splatOf(EXP_MAX));
  // n = round(x log2 e), by adding 1.5·2²³: n then sits in the low mantissa bits of t
  const t = madd(x, splatOf(LOG2E), splatOf(ROUNDER));
  const n = f32x4.sub(t, splatOf(ROUNDER));
  const r = f32x4.sub(f32x4.sub(x, f32x4.mul(n, splatOf(LN2_HI))), f32x4.mul(n, splatOf(LN2_LO)));
  let y = splatOf(EXP_P);
  y = madd(y, r, splatOf(EXP_P + 1));
  y = madd(y, r, splatOf(EXP_P + 2));
  y = madd(y, r, splatOf(EXP_P + 3));
  y = madd(y, r, splatOf(EXP_P + 4));
  y = madd(y, r, splatOf(EXP_P + 5));
  y = f32x4.add(madd(y, f32x4.mul(r, r), r), splatOf(ONE));
  const pow2n = i32x4.shl(i32x4.add(i32x4.sub(t, splatOf(ROUNDER)), i32x4.splat(127)), 23); // 2ⁿ
  return f32x4.mul(y, pow2n);
}

// @ts-ignore: decorator
@inline export function vsigmoid(x: v128): v128 {
  const one = splatOf(ONE);
  return f32x4.div(one, f32x4.add(one, vexp(f32x4.neg(x))));
}

// @ts-ignore: decorator
@inline export function vtanh(x: v128): v128 {
  const ax = f32x4.abs(x);
  // small |x|: x + x³ Q(x²)
  const z = f32x4.mul(x, x);
  let q = splatOf(TANH_Q);
  q = madd(q, z, splatOf(TANH_Q + 1));
  q = madd(q, z, splatOf(TANH_Q + 2));
  q = madd(q, z, splatOf(TANH_Q + 3));
  q = madd(q, z, splatOf(TANH_Q + 4));
  const small = madd(f32x4.mul(q, z), x, x);
  // large |x|: 1 − 2 / (e^(2|x|) + 1), with the sign of x put back
  const one = splatOf(ONE);
  const e = vexp(f32x4.add(ax, ax));
  const big = f32x4.sub(one, f32x4.div(splatOf(TWO), f32x4.add(e, one)));
  const signed = v128.or(big, v128.andnot(x, ax)); // x & ~|x|: the sign bit of x
  return v128.bitselect(small, signed, f32x4.lt(ax, splatOf(TANH_SMALL)));
}

// @ts-ignore: decorator
@inline export function vrelu(x: v128): v128 {
  return f32x4.pmax(x, splatOf(ZERO));
}

/** four floats at p, or (tail) one float at p in every lane */
// @ts-ignore: decorator
@inline export function ld(p: usize, tail: bool): v128 {
  return tail ? v128.load32_splat(p) : v128.load(p);
}

/** four floats to p, or (tail) lane 0 only */
// @ts-ignore: decorator
@inline export function st(p: usize, v: v128, tail: bool): void {
  if (tail) store<f32>(p, f32x4.extract_lane(v, 0));
  else v128.store(p, v);
}

/** Σ of the four lanes */
// @ts-ignore: decorator
@inline export function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}
