/**
 * The successor block's output gate, o = c ⊙ silu(s), silu(s) = s σ(s), and its backward, as
 * src/kernels/reference/mixers.ts: four at a time, the n mod 4 tail on one lane of the same code.
 */
import { ld, st, vone, vsigmoid } from './vmath';

// @ts-ignore: decorator
@inline function gateFwdBody(c: usize, s: usize, o: usize, tail: bool): void {
  const si = ld(s, tail);
  st(o, f32x4.mul(ld(c, tail), f32x4.mul(si, vsigmoid(si))), tail);
}

/** o (n) ← c ⊙ silu(s) */
export function gate_fwd(n: i32, c: usize, s: usize, o: usize): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const b = (<usize>i) << 2;
    gateFwdBody(c + b, s + b, o + b, false);
  }
  for (; i < n; i++) {
    const b = (<usize>i) << 2;
    gateFwdBody(c + b, s + b, o + b, true);
  }
}

// @ts-ignore: decorator
@inline function gateBwdBody(c: usize, s: usize, dO: usize, dC: usize, dS: usize, tail: bool): void {
  const si = ld(s, tail);
  const sg = vsigmoid(si);
  const d = ld(dO, tail);
  st(dC, f32x4.mul(d, f32x4.mul(si, sg)), tail); // ∂o/∂c = silu(s)
  // silu'(s) = σ(s)(1 + s(1 − σ(s)))
  const one = vone();
  const dsilu = f32x4.mul(sg, f32x4.add(one, f32x4.mul(si, f32x4.sub(one, sg))));
  st(dS, f32x4.mul(f32x4.mul(d, ld(c, tail)), dsilu), tail);
}

/** dC (n) ← ∂L/∂o ⊙ silu(s); dS (n) ← ∂L/∂o ⊙ c ⊙ silu'(s) */
export function gate_bwd(n: i32, c: usize, s: usize, dO: usize, dC: usize, dS: usize): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const b = (<usize>i) << 2;
    gateBwdBody(c + b, s + b, dO + b, dC + b, dS + b, false);
  }
  for (; i < n; i++) {
    const b = (<usize>i) << 2;
    gateBwdBody(c + b, s + b, dO + b, dC + b, dS + b, true);
  }
}
