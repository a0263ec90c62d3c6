/**
 * The successor block's output gate, o = c ⊙ silu(s), silu(s) = s σ(s), and its backward, as
 * src/kernels/reference/mixers.ts; one thread per element.
 */
import type { Ptr } from '../../../train/kernels';
import { grid, MAIN_1D, u32s, type Program } from '../program';
import type { Recorder } from '../recorder';

const GATE_FORWARD: Program = {
  name: 'gateForward',
  fields: u32s('n', 'c', 's', 'o'),
  body: `${MAIN_1D}
  if (i >= u.n) { return; }
  let s = arena[u.s + i];
  arena[u.o + i] = arena[u.c + i] * s * sigm(s);
}`,
};

const GATE_BACKWARD: Program = {
  name: 'gateBackward',
  fields: u32s('n', 'c', 's', 'dO', 'dC', 'dS'),
  body: `${MAIN_1D}
  if (i >= u.n) { return; }
  let s = arena[u.s + i];
  let sg = sigm(s);
  let d = arena[u.dO + i];
  let c = arena[u.c + i];
  arena[u.dC + i] = d * s * sg; // ∂o/∂c = silu(s)
  arena[u.dS + i] = d * c * sg * (1.0 + s * (1.0 - sg)); // silu'(s) = σ(s)(1 + s(1 − σ(s)))
}`,
};

/** o (n) ← c ⊙ silu(s) */
export function gateForward(rec: Recorder, n: number, c: Ptr, s: Ptr, o: Ptr): void {
  if (n > 0) rec.dispatch(GATE_FORWARD, [n, c, s, o], grid(n));
}

/** dC (n) ← ∂L/∂o ⊙ silu(s); dS (n) ← ∂L/∂o ⊙ c ⊙ silu'(s) */
export function gateBackward(rec: Recorder, n: number, c: Ptr, s: Ptr, dO: Ptr, dC: Ptr, dS: Ptr): void {
  if (n > 0) rec.dispatch(GATE_BACKWARD, [n, c, s, dO, dC, dS], grid(n));
}
